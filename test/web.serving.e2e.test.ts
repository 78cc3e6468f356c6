// Serving the browser code (web/dist, built by scripts/build-web.ts): the widget loader any site
// may load, the panel page any site may frame, the console page with a scripts-from-self policy,
// and asset paths that cannot climb out of web/dist.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { cspOf, raw } from './helpers/console.ts';
import { createSite } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';

const DIST = new URL('../web/dist/', import.meta.url);

/** The `src` of every script tag in a page; a tag without one is `null` (an inline script). */
const scriptSources = (html: string) => [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => /\bsrc="([^"]+)"/.exec(m[1]!)?.[1] ?? null);

test('the widget loader, the widget panel and the console are served with their policies', async (t) => {
  const app = await startParley(t, { PARLEY_SSO_RATE_LIMIT: '10000' });

  await t.test('/widget.js is JavaScript any site may load', async () => {
    const res = await fetch(`${app.url}/widget.js`);
    assert.equal(res.status, 200);
    const body = await res.text();
    assert.match(res.headers.get('content-type')!, /^(text|application)\/javascript/);
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(body, fs.readFileSync(new URL('widget/loader.js', DIST), 'utf8'));
  });

  await t.test('/widget/frame.html may be framed by any site, and runs only its own scripts', async () => {
    const res = await fetch(`${app.url}/widget/frame.html`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    const csp = cspOf(res.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('frame-ancestors'), ['*']);
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    const html = await res.text();
    const sources = scriptSources(html);
    assert.ok(sources.length > 0 && sources.every((s) => s?.startsWith('/widget/assets/')), JSON.stringify(sources));
    for (const src of sources) {
      const asset = await fetch(`${app.url}${src}`);
      assert.equal(asset.status, 200, src!);
      assert.match(asset.headers.get('content-type')!, /javascript/);
      assert.equal(asset.headers.get('cross-origin-resource-policy'), 'cross-origin');
    }
  });

  await t.test('/console without a session (no single sign-on) is the app, scripts from self only', async () => {
    const site = await createSite(app);
    for (const path of ['/console', `/console?siteId=${site.siteId}`]) {
      const res = await fetch(`${app.url}${path}`, { redirect: 'manual' });
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      const csp = cspOf(res.headers.get('content-security-policy'));
      assert.deepEqual(csp.get('script-src'), ["'self'"], path);
      assert.ok(!(csp.get('default-src') ?? []).includes("'unsafe-inline'"), path);
      assert.ok(!csp.has('script-src-elem') && !csp.has('script-src-attr'), 'nothing widens script-src');
      const html = await res.text();
      assert.match(html, /<div id="root">/);
      assert.doesNotMatch(html, /name="csrf-token"/, 'no session, no CSRF token');
      const sources = scriptSources(html);
      assert.ok(sources.length > 0 && sources.every((s) => s?.startsWith('/console/assets/')), `no inline script: ${JSON.stringify(sources)}`);
      const asset = await fetch(`${app.url}${sources[0]}`);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get('content-type')!, /javascript/);
    }
  });

  await t.test('asset paths do not climb out of web/dist', async () => {
    const secret = fs.readFileSync(new URL('../../package.json', DIST), 'utf8');
    const attempts = [
      '/console/assets/../../../package.json',
      '/console/assets/..%2f..%2f..%2fpackage.json',
      '/console/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/console/assets/..%5c..%5c..%5cpackage.json',
      '/widget/assets/../../../package.json',
      '/widget/assets/..%2f..%2f..%2fpackage.json',
      '/widget/assets/%2e%2e%2f%2e%2e%2f%2e%2e%2fsrc%2fconfig.ts',
      '/console/assets/....//....//....//package.json',
      '/console/assets/%252e%252e/%252e%252e/%252e%252e/package.json',
    ];
    for (const path of attempts) {
      const res = await raw(app.url, path);
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
      assert.ok(!res.text.includes('"name": "parley"') && res.text !== secret, `${path} served a file outside web/dist`);
      assert.ok(!res.text.includes('loadConfig'), `${path} served the source`);
    }
  });
});
