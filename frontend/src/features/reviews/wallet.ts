// Review tokens (RFC 9474, RSABSSA-SHA384-PSS-Randomized) made and kept in this browser.
//
// The server signs blinded messages while it knows who asks (one batch per person per round)
// and later accepts the unblinded tokens without knowing who sends them. The tokens never
// leave this browser except inside an anonymous review request (credentials: 'omit') or
// encrypted under a recovery code that only the person holds (recovery.ts).
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import type { Schemas } from '../../api/client';

const suite = RSABSSA.SHA384.PSS.Randomized();
const DB = 'challenge-review-tokens';
const STORE = 'tokens';

/** What the server is sent for one review; kept in this browser until it is recorded. */
export interface ReviewBody {
  token: { key_id: string; prepared_message: string; signature: string };
  submission_id: string;
  scores: Record<string, number>;
  comment: string;
}

/**
 * Where one token's review stands, as this browser knows it:
 * - unsent: the token is waiting for a review;
 * - queued: the review is saved here and was not yet accepted (the service could not be
 *   reached): this page sends it again;
 * - pending: the service holds it in its mix and will record it with others' reviews;
 * - committed: recorded (the token and the review are no longer kept here);
 * - lost: the round closed before the review reached the service.
 */
export type ReviewState = 'unsent' | 'queued' | 'pending' | 'committed' | 'lost';

export interface Token {
  round_id: string;
  submission_id: string;
  key_id: string;
  prepared_message: string;
  signature: string;
  state: ReviewState;
  /** Lowercase hex SHA-256 of the prepared message's bytes: what the receipt check asks about. */
  receipt?: string;
  /** The review as sent, kept until a receipt says it is recorded (to send it again). */
  review?: ReviewBody;
  /** Records from before review states: true meant sent. */
  sent?: boolean;
}

/** A token as the recovery wallet carries it. */
export interface WalletToken {
  submission_id: string;
  key_id: string;
  prepared_message: string;
  signature: string;
}

export function b64(bytes: Uint8Array): string {
  let text = '';
  bytes.forEach((b) => (text += String.fromCharCode(b)));
  return btoa(text);
}

export function unb64(text: string): Uint8Array {
  const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/** One transaction on a browser-kept store of tokens: `work` gets the store and may return a
 * request, whose result is given back once the transaction completed. */
export type WithStore = <T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T> | void,
) => Promise<T | undefined>;

/** The IndexedDB store a kind of token is kept in (review tokens here, rating tokens in
 * features/ratings/tokens.ts): opened, and closed again, for each transaction. */
export function tokenStore(name: string, keyPath: string | string[]): WithStore {
  const open = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  return async (mode, work) => {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => {
        db.close();
        resolve(request ? request.result : undefined);
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    });
  };
}

const withStore = tokenStore(DB, ['round_id', 'submission_id']);

function normalise(token: Token): Token {
  if (token.state) return token;
  return { ...token, state: token.sent ? 'committed' : 'unsent' };
}

export async function tokensOf(roundId: string): Promise<Token[]> {
  const all = (await withStore('readonly', (s) => s.getAll() as IDBRequest<Token[]>)) ?? [];
  return all.filter((t) => t.round_id === roundId).map(normalise);
}

export async function saveTokens(tokens: Token[]): Promise<void> {
  await withStore('readwrite', (s) => {
    tokens.forEach((t) => s.put(t));
  });
}

/** Recorded: keep only what the page needs to say so (no token, no review). */
export function recorded(token: Token): Token {
  return {
    round_id: token.round_id,
    submission_id: token.submission_id,
    key_id: token.key_id,
    prepared_message: '',
    signature: '',
    state: 'committed',
  };
}

/** The tokens this browser can still put in a recovery wallet (not yet recorded). */
export function walletTokens(tokens: Token[]): WalletToken[] {
  return tokens
    .filter((t) => t.prepared_message && t.signature)
    .map(({ submission_id, key_id, prepared_message, signature }) => ({
      submission_id,
      key_id,
      prepared_message,
      signature,
    }));
}

async function importKey(spki: string): Promise<CryptoKey> {
  // The library reads n and e through a JWK export: the key must be extractable.
  return crypto.subtle.importKey(
    'spki',
    unb64(spki) as BufferSource,
    { name: 'RSA-PSS', hash: 'SHA-384' },
    true,
    ['verify'],
  );
}

/** One fresh random message, prepared and blinded for a key (its SPKI, base64): what the
 * server signs without seeing the message. Kept in memory until the signature comes back. */
export interface BlindedToken {
  key: CryptoKey;
  prepared: Uint8Array;
  inv: Uint8Array;
  blindedMessage: string;
}

export async function blindFresh(spki: string): Promise<BlindedToken> {
  const key = await importKey(spki);
  const prepared = suite.prepare(crypto.getRandomValues(new Uint8Array(32)));
  const { blindedMsg, inv } = await suite.blind(key, prepared);
  return { key, prepared, inv, blindedMessage: b64(blindedMsg) };
}

/** Unblind the server's signature into a token; finalize verifies it, so a token that would not
 * be accepted fails here. */
export async function finaliseToken(
  blinded: BlindedToken,
  blindSignature: string,
): Promise<{ prepared_message: string; signature: string }> {
  const signature = await suite.finalize(
    blinded.key,
    blinded.prepared,
    unb64(blindSignature),
    blinded.inv,
  );
  return { prepared_message: b64(blinded.prepared), signature: b64(signature) };
}

/** Blind one fresh random message per eligible submission, ask for the batch, finalise. */
export async function obtainTokens(
  manifest: Schemas['RoundManifest'],
  eligible: string[],
  issue: (
    blinded: { submission_id: string; blinded_message: string }[],
  ) => Promise<Schemas['IssuanceResponse']>,
  onProgress: (done: number, total: number) => void,
): Promise<Token[]> {
  const keys = new Map(manifest.keys.map((k) => [k.submission_id, k]));
  const pending = new Map<string, BlindedToken>();
  const blinded: { submission_id: string; blinded_message: string }[] = [];
  const total = eligible.length * 2;
  for (const submissionId of eligible) {
    const entry = keys.get(submissionId);
    if (!entry) throw new Error('manifest has no key for a submission');
    const fresh = await blindFresh(entry.spki);
    pending.set(submissionId, fresh);
    blinded.push({ submission_id: submissionId, blinded_message: fresh.blindedMessage });
    onProgress(pending.size, total);
  }
  const response = await issue(blinded);
  const tokens: Token[] = [];
  for (const item of response.signatures) {
    const p = pending.get(item.submission_id);
    if (!p) continue;
    tokens.push({
      round_id: manifest.round_id,
      submission_id: item.submission_id,
      key_id: item.key_id,
      ...(await finaliseToken(p, item.blind_signature)),
      state: 'unsent',
    });
    onProgress(eligible.length + tokens.length, total);
  }
  await saveTokens(tokens);
  return tokens;
}

/** Anonymous requests: no cookie, no CSRF header, nothing that says who sends them. Throws
 * only when the service cannot be reached. */
export async function anonymousPost<T>(
  path: string,
  body: unknown,
): Promise<{ ok: boolean; status: number; data: T }> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  let data: T;
  try {
    data = (await response.json()) as T;
  } catch {
    data = {
      title: response.statusText,
      status: response.status,
      code: response.status >= 500 ? 'service_unavailable' : 'generic',
    } as T;
  }
  return { ok: response.ok, status: response.status, data };
}
