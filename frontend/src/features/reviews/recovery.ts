// The recovery wallet: tokens, encrypted in the browser under a code only the person holds.
//
// Right after tokens are issued (a round's review tokens, or the one rating token of a lesson or
// an idea) the browser draws 16 random bytes (the recovery code, shown once as groups of four
// characters), derives an AES-GCM-256 key from them with HKDF-SHA256 (salt: the round's or the
// rated subject's id, info: "review-wallet/v1" or "rating-wallet/v1"), encrypts the tokens and
// stores the result on the server under the signed-in person. The server cannot open it; another
// browser of the same person opens it with the code. The code is never sent anywhere.
import { b64, unb64 } from './wallet';

/** Crockford's base32: no I, L, O or U, so that a written code reads back unambiguously. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_BYTES = 16;
/** 128 bits in 5-bit characters: 26 characters (the last two bits are zero). */
export const CODE_LENGTH = Math.ceil((CODE_BYTES * 8) / 5);

/** What a wallet holds and whose: its key is bound to both, so a code opens only the wallet it
 * was made for, never another round's or another subject's. */
export interface WalletScope {
  purpose: 'review' | 'rating';
  /** The review round's id, or the rated subject's. */
  id: string;
}

export class WrongCode extends Error {}

export function newRecoveryCode(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(CODE_BYTES));
}

/** "7K3M-…-Q2": groups of four characters. */
export function formatCode(code: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let text = '';
  for (const byte of code) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += ALPHABET[(value >> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) text += ALPHABET[(value << (5 - bits)) & 31];
  return (text.match(/.{1,4}/g) ?? []).join('-');
}

/** The code's bytes from what the person typed (any case, spaces or dashes; O read as 0, I
 * and L as 1), or null when it cannot be a code. */
export function parseCode(typed: string): Uint8Array | null {
  const text = typed
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (text.length !== CODE_LENGTH) return null;
  const bytes = new Uint8Array(CODE_BYTES);
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return null;
    value = (value << 5) | digit;
    bits += 5;
    if (bits >= 8) {
      if (index < CODE_BYTES) bytes[index++] = (value >> (bits - 8)) & 255;
      bits -= 8;
      value &= (1 << bits) - 1;
    }
  }
  return bytes;
}

async function walletKey(code: Uint8Array, scope: WalletScope): Promise<CryptoKey> {
  const encoder = new TextEncoder();
  const material = await crypto.subtle.importKey('raw', code as BufferSource, 'HKDF', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: encoder.encode(scope.id),
      info: encoder.encode(`${scope.purpose}-wallet/v1`),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The blob the server keeps: base64 of {"v":1,"iv","ct"}, the tokens as JSON inside. */
export async function sealWallet<T>(
  code: Uint8Array,
  scope: WalletScope,
  tokens: T[],
): Promise<string> {
  const key = await walletKey(code, scope);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify({ tokens }));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plaintext));
  return btoa(JSON.stringify({ v: 1, iv: b64(iv), ct: b64(ct) }));
}

/** The tokens inside a blob; WrongCode when the code does not open it. */
export async function openWallet<T>(
  code: Uint8Array,
  scope: WalletScope,
  blob: string,
): Promise<T[]> {
  let sealed: { v: number; iv: string; ct: string };
  try {
    sealed = JSON.parse(atob(blob)) as typeof sealed;
  } catch {
    throw new Error('the stored wallet is not readable');
  }
  if (sealed.v !== 1) throw new Error('unknown wallet version');
  const key = await walletKey(code, scope);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unb64(sealed.iv) as BufferSource },
      key,
      unb64(sealed.ct) as BufferSource,
    );
  } catch {
    throw new WrongCode();
  }
  const content = JSON.parse(new TextDecoder().decode(plaintext)) as { tokens: T[] };
  return content.tokens;
}

// Until the person confirms they wrote the code down, this tab keeps it (a reload must not
// lose it; the tokens it opens are in this browser anyway).
const shownKey = (scope: WalletScope) => `${scope.purpose}-recovery-code:${scope.id}`;

export function codeToShow(scope: WalletScope): string | null {
  return sessionStorage.getItem(shownKey(scope));
}

export function rememberCodeToShow(scope: WalletScope, code: string): void {
  sessionStorage.setItem(shownKey(scope), code);
}

export function forgetCodeToShow(scope: WalletScope): void {
  sessionStorage.removeItem(shownKey(scope));
}
