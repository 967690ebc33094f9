// Client side of RFC 9474 (RSABSSA-SHA384-PSS-Randomized) with @cloudflare/blindrsa-ts, the
// library the browser uses, driven by tests/interop/test_blindrsa_ts.py.
//
// Reads one JSON request on stdin, writes one JSON answer on stdout. Byte strings are standard
// base64. The server key is given as {"spki": base64 SubjectPublicKeyInfo DER} or {"jwk": {...}}.
//
//   {"op": "blind", "key": K, "message": B64}
//       -> {"suite", "prepared", "blinded", "inv"}
//   {"op": "finalize", "key": K, "prepared": B64, "blindSig": B64, "inv": B64}
//       -> {"signature"}            (the library verifies before returning)
//   {"op": "verify", "key": K, "prepared": B64, "signature": B64}
//       -> {"valid": true|false}
//
// Errors: {"error": message} on stdout and exit status 1.

import { RSABSSA } from '@cloudflare/blindrsa-ts';

const suite = RSABSSA.SHA384.PSS.Randomized();
const ALGORITHM = { name: 'RSA-PSS', hash: 'SHA-384' };

const fromB64 = (text) => new Uint8Array(Buffer.from(text, 'base64'));
const toB64 = (bytes) => Buffer.from(bytes).toString('base64');

async function importPublicKey(key) {
  // The library exports the key to JWK to read n and e: it must be extractable.
  if (key.spki) {
    return crypto.subtle.importKey('spki', fromB64(key.spki), ALGORITHM, true, ['verify']);
  }
  if (key.jwk) {
    return crypto.subtle.importKey('jwk', key.jwk, ALGORITHM, true, ['verify']);
  }
  throw new Error('key needs "spki" or "jwk"');
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function handle(request) {
  const publicKey = await importPublicKey(request.key);
  switch (request.op) {
    case 'blind': {
      const prepared = suite.prepare(fromB64(request.message));
      const { blindedMsg, inv } = await suite.blind(publicKey, prepared);
      return {
        suite: suite.toString(),
        prepared: toB64(prepared),
        blinded: toB64(blindedMsg),
        inv: toB64(inv),
      };
    }
    case 'finalize': {
      const signature = await suite.finalize(
        publicKey,
        fromB64(request.prepared),
        fromB64(request.blindSig),
        fromB64(request.inv),
      );
      return { signature: toB64(signature) };
    }
    case 'verify': {
      const valid = await suite.verify(
        publicKey,
        fromB64(request.signature),
        fromB64(request.prepared),
      );
      return { valid };
    }
    default:
      throw new Error(`unknown op ${JSON.stringify(request.op)}`);
  }
}

try {
  const answer = await handle(await readStdin());
  process.stdout.write(JSON.stringify(answer) + '\n');
} catch (error) {
  process.stdout.write(JSON.stringify({ error: String(error && error.message ? error.message : error) }) + '\n');
  process.exitCode = 1;
}
