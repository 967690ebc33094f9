// A real OpenID Connect provider for the tests (panva's oidc-provider, certified by the
// OpenID Foundation), on 127.0.0.1 and a free port. It signs ID tokens with RSA keys it
// publishes at its jwks_uri, and signs people in through its own login and consent forms.
//
// Input (environment): OIDC_TEST_CONFIG, a JSON document
//   {"client_id", "client_secret", "redirect_uri", "users": {id: claims}}
// Output: one line on stdout, {"issuer": "http://127.0.0.1:PORT"}, once it listens.
//
// Test-only controls (the first two a real provider has in its admin console; the third
// plays a provider that does not honour prompt=login and max_age):
//   POST /__test__/users/<id>  (JSON claims)  changes a person's claims (an e-mail change)
//   POST /__test__/rotate                      replaces the signing key (key rotation)
//   POST /__test__/auth-time   {"shift_s": -600} or {"omit": true} or {}
//                              makes the ID tokens' auth_time that far in the past, or leaves
//                              it out, until set back with {}
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const users = new Map(Object.entries(config.users));
let authTime = {};

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
}

function buildProvider(issuer, key) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: config.client_id,
        client_secret: config.client_secret,
        redirect_uris: [config.redirect_uri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [key] },
    // Like many providers, the ID token carries the subject and the rest is at userinfo,
    // unless asked for: the client must complete the claims from userinfo.
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'locale', 'groups'],
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      if (!users.has(id)) return undefined;
      return {
        accountId: id,
        async claims() {
          return { sub: id, ...users.get(id) };
        },
      };
    },
  });
  // The provider runs behind no proxy here, on plain http for the loopback address.
  provider.proxy = false;
  // ID tokens made through this class: the auth-time control rewrites what they say.
  // Named as the library's class: its lifetimes are looked up by the class's name.
  const Base = provider.IdToken;
  class IdToken extends Base {
    constructor(available, options) {
      const claims = { ...available };
      if (authTime.omit) delete claims.auth_time;
      else if (authTime.shift_s && claims.auth_time) claims.auth_time += authTime.shift_s;
      super(claims, options);
    }
  }
  Object.defineProperty(provider, 'IdToken', { value: IdToken });
  return provider;
}

let provider;
let handler;

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
}

const server = createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/__test__/rotate') {
    // A new provider object with only the new key: the old key is no longer published and
    // tokens are signed with the new one. Grants and sessions live in the memory adapter,
    // which the two objects share.
    provider = buildProvider(provider.issuer, newSigningKey());
    handler = provider.callback();
    res.writeHead(204).end();
    return;
  }
  if (req.method === 'POST' && req.url === '/__test__/auth-time') {
    authTime = await readJson(req);
    res.writeHead(204).end();
    return;
  }
  const userUpdate = req.url.match(/^\/__test__\/users\/([^/]+)$/);
  if (req.method === 'POST' && userUpdate) {
    const id = decodeURIComponent(userUpdate[1]);
    users.set(id, { ...(users.get(id) ?? {}), ...(await readJson(req)) });
    res.writeHead(204).end();
    return;
  }
  handler(req, res);
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = buildProvider(issuer, newSigningKey());
  handler = provider.callback();
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
