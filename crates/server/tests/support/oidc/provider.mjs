// A real OpenID Connect provider (the certified `oidc-provider` package) for
// Hubbub's SSO tests. Started by the Rust tests with one JSON argument:
//
//   node provider.mjs '{"port":0,"redirectUri":"http://127.0.0.1:1234/auth/sso/callback",
//                       "kid":"key-a","alg":"RS256","idTokenTtl":3600,"clockOffset":0}'
//
// It prints `READY <port>` once it listens, and exits when stdin closes (so a
// test that dies never leaves it running).
//
// - One client, `hubbub` / `hubbub-secret`, for `redirectUri`.
// - A fresh signing key per start, with the given `kid` and `alg` (RS256 or ES256):
//   restarting with another `kid` on the same port is a key rotation.
// - `idTokenTtl` (seconds, may be negative: an already expired ID token) and
//   `clockOffset` (seconds added to this provider's clock: a skewed provider).
// - `users`: per-person claim changes; `tamper`: see below.
// - Interactions are automatic: the browser's `login_hint` parameter picks the
//   person (see USERS); `login_hint=deny` declines consent (access_denied).

import http from 'node:http';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const alg = options.alg ?? 'RS256';

if (options.clockOffset) {
  const realNow = Date.now;
  Date.now = () => realNow() + options.clockOffset * 1000;
}

const USERS = {
  alice: {
    email: 'alice@corp.example',
    email_verified: true,
    name: 'Alice Admin',
    preferred_username: 'alice',
    department: 'IT',
    job_title: 'Head of IT',
    groups: ['hubbub-admins', 'staff'],
  },
  bob: {
    email: 'bob@corp.example',
    email_verified: true,
    name: 'Bob Builder',
    preferred_username: 'bob',
    department: 'Facilities',
    job_title: 'Engineer',
    groups: ['staff', 'it-support'],
  },
  carol: {
    email: 'carol@corp.example',
    email_verified: true,
    name: 'Carol',
    preferred_username: 'carol',
    department: 'Sales',
    job_title: 'Account Manager',
    groups: ['staff'],
  },
};

// Per-test changes to the people, e.g. other groups on a later sign-in.
for (const [id, changes] of Object.entries(options.users ?? {})) {
  USERS[id] = { ...USERS[id], ...changes };
}

const { privateKey } = await generateKeyPair(alg, { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: options.kid ?? 'key-a', alg, use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
const port = server.address().port;
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'hubbub',
      client_secret: 'hubbub-secret',
      redirect_uris: [options.redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: alg,
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['hubbub-test-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username', 'department', 'job_title', 'groups'],
  },
  // Put every granted claim in the ID token, as Entra ID, Okta and Keycloak can be
  // configured to (Hubbub reads the ID token only).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  ttl: {
    AuthorizationCode: 600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
    AccessToken: 600,
    IdToken: () => options.idTokenTtl ?? 3600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!USERS[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: `${id}-sub`, ...USERS[id] }) };
  },
});
provider.on('server_error', (ctx, error) => console.error('server_error', error));

// Automatic interactions: log in as `login_hint`, then grant what was asked.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session, grantId } = details;
  if (params.login_hint === 'deny') {
    return provider.interactionFinished(ctx.req, ctx.res, {
      error: 'access_denied',
      error_description: 'End-User denied consent',
    });
  }
  if (prompt.name === 'login') {
    const who = params.login_hint && USERS[params.login_hint] ? params.login_hint : 'alice';
    return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: who } }, { mergeWithLastSubmission: false });
  }
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const result = { consent: { grantId: await grant.save() } };
  return provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
});

// `tamper`: change the ID token's payload on its way out of the token endpoint,
// keeping the signature, as an attacker in the middle would.
provider.use(async (ctx, next) => {
  await next();
  if (options.tamper && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    const [header, payload, signature] = ctx.body.id_token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.email = 'mallory@corp.example';
    claims.groups = ['hubbub-admins'];
    ctx.body = { ...ctx.body, id_token: [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.') };
  }
});

server.on('request', provider.callback());
process.stdout.write(`READY ${port}\n`);

process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
