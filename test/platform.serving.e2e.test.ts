// Serving the platform's own app: the public sign-up page (/apply) and the platform admin
// (/platform and its pages' deep links) are the platform app, framed by no one, never cached, its
// scripts from its own content-hashed assets only, with no partner's brand in the page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cspOf, raw } from './helpers/console.ts';
import { startParley } from './helpers/parley.ts';

test('the sign-up page and the platform admin are served with their policy', async (t) => {
  const app = await startParley(t);

  for (const path of ['/apply', '/platform', '/platform/applications', '/platform/outbox']) {
    await t.test(`${path} is the platform app, framed by no one and not cached`, async () => {
      const res = await raw(app.url, path);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const csp = cspOf(String(res.headers['content-security-policy']));
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('script-src'), ["'self'"]);
      assert.deepEqual(csp.get('connect-src'), ["'self'"]);
      const scripts = [...res.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(scripts.length > 0 && scripts.every((s) => s?.startsWith('/platform/assets/')), `scripts from the app's assets: ${scripts.join(', ')}`);
      assert.doesNotMatch(res.text, /<script>|parley-brand|csrf-token/, 'no inline script, brand or CSRF token');
    });
  }

  await t.test("the app's assets are served, content-hashed and cached for good", async () => {
    const page = await raw(app.url, '/platform');
    const src = /<script\b[^>]*\bsrc="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(src);
    const asset = await raw(app.url, src);
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.match(String(asset.headers['cache-control']), /immutable/);
  });

  await t.test('a path below a page is not the app', async () => {
    assert.equal((await raw(app.url, '/platform/applications/12')).status, 404);
  });
});
