/**
 * OpenID Connect sign-in against a small but real identity provider running in the test (discovery, authorisation
 * code with PKCE and state, RS256-signed ID token, JWKS), as Microsoft Entra ID does it.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ENGINES, freshDb, type TestDb } from '../support/db.ts';
import { Browser, makePartnership, memberOf } from '../support/app.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { OidcClient } from '../../src/adapters/oidc/oidcClient.ts';

interface Provider {
  issuer: string;
  /** The identity the provider asserts at the next sign-in. */
  next: { sub: string; email: string; name: string };
  close(): Promise<void>;
}

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

async function startProvider(clientId: string): Promise<Provider> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const codes = new Map<string, { challenge: string; sub: string; email: string; name: string }>();
  const provider: Provider = { issuer: '', next: { sub: 'entra-1', email: '', name: '' }, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', provider.issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: provider.issuer,
        authorization_endpoint: `${provider.issuer}/authorize`,
        token_endpoint: `${provider.issuer}/token`,
        jwks_uri: `${provider.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      // A user who is already signed in to their organisation: send them straight back with a code.
      assert.equal(url.searchParams.get('client_id'), clientId);
      assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
      const code = b64url(randomBytes(16));
      codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', ...provider.next });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge)
          return json(400, { error: 'invalid_grant' });
        const now = Math.floor(Date.now() / 1000);
        const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'test-key' }));
        const claims = b64url(
          JSON.stringify({
            iss: provider.issuer,
            aud: clientId,
            sub: grant.sub,
            email: grant.email,
            name: grant.name,
            iat: now,
            exp: now + 300,
          }),
        );
        const signature = b64url(sign('sha256', Buffer.from(`${header}.${claims}`), privateKey));
        return json(200, {
          access_token: b64url(randomBytes(16)),
          token_type: 'Bearer',
          expires_in: 300,
          id_token: `${header}.${claims}.${signature}`,
        });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  provider.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider.close = () => new Promise((r) => server.close(() => r()));
  return provider;
}

for (const engine of ENGINES) {
  describe(`OpenID Connect sign-in on ${engine}`, () => {
    let provider: Provider;
    let db: TestDb;
    let app: Awaited<ReturnType<typeof buildApp>>;

    before(async () => {
      provider = await startProvider('csphub-test');
      db = await freshDb(engine);
      const config = loadConfig({
        SESSION_SECRET: 'test-secret-0123456789',
        BASE_URL: 'http://localhost:3000',
        OIDC_ISSUER: provider.issuer,
        OIDC_CLIENT_ID: 'csphub-test',
        OIDC_CLIENT_SECRET: 'shh',
        OIDC_LABEL: 'Sign in with Entra ID',
      });
      app = await buildApp({ db, config, oidc: new OidcClient(config.oidc!) });
      await app.ready();
    });
    after(async () => {
      await app.close();
      await db.drop();
      await provider.close();
    });

    /** Follows the redirects between the app and the provider as a browser would. */
    async function signInWithProvider(
      b: Browser,
      next = '/account',
      tamper?: (cookie: string) => string,
    ): Promise<{ status: number; location?: string; body: string }> {
      const start = await b.get(`/auth/oidc/start?next=${encodeURIComponent(next)}`);
      assert.equal(start.status, 303);
      if (tamper) b.cookies.set('csphub_oidc', tamper(b.cookies.get('csphub_oidc')!));
      const authorise = await fetch(start.location!, { redirect: 'manual' });
      assert.equal(authorise.status, 302);
      const back = new URL(authorise.headers.get('location')!);
      return b.get(back.pathname + back.search);
    }

    it('offers the organisation sign-in on the sign-in page', async () => {
      const page = await new Browser(app).get('/sign-in');
      assert.match(page.body, /Sign in with Entra ID/);
    });

    it('signs in an invited person and links their organisation account', async () => {
      const p = await makePartnership(db.kysely, 'OIDC Partnership');
      const user = await memberOf(db.kysely, p.id, 'editor');
      provider.next = { sub: 'entra-abc', email: user.email.toUpperCase(), name: 'Org Person' };
      const b = new Browser(app);
      const res = await signInWithProvider(b);
      assert.equal(res.status, 303);
      assert.equal(res.location, '/account');
      assert.equal((await b.get('/account')).status, 200);
      const row = await db.kysely.selectFrom('users').select('oidc_subject').where('id', '=', user.id).executeTakeFirstOrThrow();
      assert.equal(row.oidc_subject, `${provider.issuer}|entra-abc`);

      // A different organisation account claiming the same email is refused.
      provider.next = { sub: 'entra-other', email: user.email, name: 'Impostor' };
      const other = await signInWithProvider(new Browser(app));
      assert.equal(other.status, 401);
      assert.match(other.body, /linked to a different organisation account/);
    });

    it('returns only to a path on this site, even when the saved destination is changed in the cookie', async () => {
      const p = await makePartnership(db.kysely, 'OIDC Redirect Partnership');
      const user = await memberOf(db.kysely, p.id, 'viewer');
      provider.next = { sub: 'entra-redirect', email: user.email, name: 'Redirect Person' };
      const offSite = await signInWithProvider(new Browser(app), '/\t/evil.example/');
      assert.equal(offSite.status, 303);
      assert.equal(offSite.location, '/');
      const tampered = await signInWithProvider(new Browser(app), '/account', (cookie) => {
        const saved = JSON.parse(decodeURIComponent(cookie)) as Record<string, string>;
        return encodeURIComponent(JSON.stringify({ ...saved, n: '//evil.example/' }));
      });
      assert.equal(tampered.status, 303);
      assert.equal(tampered.location, '/');
    });

    it('refuses someone with no CSP Hub account', async () => {
      provider.next = { sub: 'entra-nobody', email: 'nobody@example.org', name: 'Nobody' };
      const b = new Browser(app);
      const res = await signInWithProvider(b);
      assert.equal(res.status, 401);
      assert.match(res.body, /There is no CSP Hub account for nobody@example.org/);
      assert.equal((await b.get('/account')).status, 303);
    });

    it('refuses a callback without the state cookie or with a forged state', async () => {
      const res = await new Browser(app).get('/auth/oidc/callback?code=abc&state=xyz');
      assert.equal(res.status, 401);
      const b = new Browser(app);
      const start = await b.get('/auth/oidc/start');
      assert.equal(start.status, 303);
      const forged = await b.get('/auth/oidc/callback?code=abc&state=forged');
      assert.equal(forged.status, 401);
      assert.match(forged.body, /could not be confirmed/);
    });
  });
}
