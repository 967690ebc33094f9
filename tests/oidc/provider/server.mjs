// A real OpenID Connect provider for the tests (panva's oidc-provider, certified by the
// OpenID Foundation), on 127.0.0.1 and a free port. It signs ID tokens with RSA keys it
// publishes at its jwks_uri, and signs people in through its own login and consent forms.
//
// Input (environment): OIDC_TEST_CONFIG, a JSON document
//   {"client_id", "client_secret", "redirect_uri", "users": {id: claims}}
// Output: one line on stdout, {"issuer": "http://127.0.0.1:PORT"}, once it listens.
//
// Two test-only controls, which a real provider has in its admin console:
//   POST /__test__/users/<id>  (JSON claims)  changes a person's claims (an e-mail change)
//   POST /__test__/rotate                      replaces the signing key (key rotation)
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG);
const users = new Map(Object.entries(config.users));

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
