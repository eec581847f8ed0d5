/**
 * Page weight: the page assets under fingerprinted names with a year-long immutable cache, sent stored Brotli or
 * gzip by what the browser accepts (and 304 on a matching ETag); pages compressed with the table download lines
 * still added (the HTML is rewritten before it is compressed); an old or unknown fingerprint is 404; request
 * bodies are not decompressed.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Browser, makePartnership, makeUser, memberOf, startTestApp, type TestApp } from '../support/app.ts';
import { createToken } from '../../src/services/identity/apiTokens.ts';
import { chooseEncoding, fingerprintedName } from '../../src/http/web/assets.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('choosing an encoding and naming a fingerprinted file', () => {
  it('prefers Brotli, then gzip, and honours q=0', () => {
    assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
    assert.equal(chooseEncoding('gzip'), 'gzip');
    assert.equal(chooseEncoding('br;q=0, gzip;q=0.5'), 'gzip');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('identity'), 'identity');
    assert.equal(chooseEncoding(undefined), 'identity');
  });
  it('puts the hash before the extension', () => {
    assert.equal(fingerprintedName('app.css', 'abc123'), 'app.abc123.css');
    assert.equal(fingerprintedName('govuk-frontend.min.js', 'ff'), 'govuk-frontend.min.ff.js');
  });
});

describe('fingerprinted assets and compression', { timeout: 60_000 }, () => {
  let t: TestApp;
  let member: Browser;
  let partnershipId: number;

  before(async () => {
    t = await startTestApp('sqlite');
    const p = await makePartnership(t.k, 'Safer Weightshire Partnership');
    partnershipId = p.id;
    member = new Browser(t.app);
    await member.signIn((await memberOf(t.k, p.id, 'admin')).email);
  });
  after(async () => t.close());

  it('links the stylesheet, script and icon by fingerprinted names that serve the files with an immutable cache', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' });
    const css = /<link rel="stylesheet" href="(\/static\/app\.[0-9a-f]{12}\.css)">/.exec(page.body);
    const js = /from '(\/static\/govuk-frontend\.min\.[0-9a-f]{12}\.js)'/.exec(page.body);
    const icon = /<link rel="icon" href="(\/static\/favicon\.[0-9a-f]{12}\.svg)"/.exec(page.body);
    assert.ok(css && js && icon, 'the page names its assets by fingerprint');
    const files: [string, string][] = [
      [css[1]!, 'public/build/app.css'],
      [js[1]!, 'node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js'],
      [icon[1]!, 'public/favicon.svg'],
    ];
    for (const [url, file] of files) {
      const original = fs.readFileSync(path.join(root, file));
      const br = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(br.statusCode, 200, url);
      assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable', url);
      assert.equal(br.headers['content-encoding'], 'br', url);
      assert.ok(zlib.brotliDecompressSync(br.rawPayload).equals(original), `${url}: Brotli gives back the file`);
      if (file.endsWith('.css'))
        assert.ok(br.rawPayload.length < original.length / 4, 'the stylesheet is sent at under a quarter of its size');
      const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.ok(zlib.gunzipSync(gz.rawPayload).equals(original), `${url}: gzip gives back the file`);
      const plain = await t.app.inject({ method: 'GET', url });
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.ok(plain.rawPayload.equals(original));
      const again = await t.app.inject({ method: 'GET', url, headers: { 'if-none-match': String(br.headers.etag) } });
      assert.equal(again.statusCode, 304);
    }
    const stale = await t.app.inject({ method: 'GET', url: '/static/app.000000000000.css' });
    assert.equal(stale.statusCode, 404);
  });

  it('compresses pages after adding their table download lines', async () => {
    const cookie = [...member.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const url = `/partnerships/${partnershipId}/audit`;
    const plain = await t.app.inject({ method: 'GET', url, headers: { cookie } });
    assert.equal(plain.statusCode, 200);
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': 'gzip' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    const html = zlib.gunzipSync(res.rawPayload).toString('utf8');
    assert.match(html, /<h1/);
    const lines = (s: string) => (s.match(/Download this table/g) ?? []).length;
    assert.ok(lines(plain.body) > 0, 'the audit page has a table with a download line');
    assert.equal(lines(html), lines(plain.body), 'the same download lines as the uncompressed page');
    assert.ok(res.rawPayload.length < Buffer.byteLength(plain.body) / 2, 'the page is sent at under half its size');
  });

  it('does not decompress request bodies', async () => {
    const admin = await makeUser(t.k, { platformAdmin: true });
    const { token } = await createToken(t.k, admin, 'compression test');
    const json = Buffer.from(JSON.stringify({ name: 'Safer Gzipshire Partnership' }));
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const gz = await t.app.inject({
      method: 'POST',
      url: '/api/v1/partnerships',
      payload: zlib.gzipSync(json),
      headers: { ...headers, 'content-encoding': 'gzip' },
    });
    assert.equal(gz.statusCode, 400, 'a gzip body is read as sent, which is not JSON');
    const plain = await t.app.inject({ method: 'POST', url: '/api/v1/partnerships', payload: json, headers });
    assert.equal(plain.statusCode, 201, 'the same body sent plain is accepted');
  });
});
