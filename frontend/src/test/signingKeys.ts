// Test keys for the blind-signature flows (reviews, ratings, surveys): making an RSA key takes
// a while, and every test that needs one makes it the same way.
import { RSABSSA } from '@cloudflare/blindrsa-ts';
import { b64 } from '../features/reviews/wallet';

/** The service's suite (RFC 9474: RSABSSA-SHA384-PSS-Randomized). */
export const suite = RSABSSA.SHA384.PSS.Randomized();

/** A new signing key pair and its public key as the API shows it (SPKI, base64). */
export async function newSigningKey() {
  const pair = await suite.generateKey({
    modulusLength: 2048,
    publicExponent: Uint8Array.from([1, 0, 1]),
  });
  const spki = b64(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
  return { pair, spki };
}
