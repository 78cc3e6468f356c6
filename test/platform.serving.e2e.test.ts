// Serving the platform's own app: the public sign-up page (/apply) and the platform admin
// (/platform and its pages' deep links) are the platform app, framed by no one, never cached, its
// scripts from its own content-hashed assets only, with no partner's brand in the page. The partner
// portal (/partner) is the same app, in the brand of the partner whose host serves it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cspOf, raw } from './helpers/console.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner } from './helpers/partners.ts';

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

test("the partner portal is the platform app, in the host partner's brand, framed by no one", async (t) => {
  const app = await startParley(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: 'http://parley.test' });
  const acme = await approvedPartner(app, 'Acme Portal');
  assert.equal((await acme.portal.put('/api/v1/partner/branding', { branding: 'Acme Chat' })).status, 200);
  const brandOf = (html: string) => {
    const m = /<meta name="parley-brand" content="([^"]*)">/.exec(html);
    return m ? (JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))) as { name: string; themeCssUrl: string }) : null;
  };

  for (const path of ['/partner', '/partner/sites', '/partner/set-password', '/platform/partners/1', '/platform/partners/1/profile']) {
    await t.test(`${path} is the platform app, framed by no one and not cached`, async () => {
      const res = await raw(app.url, path, { headers: { host: `${acme.slug}.parley.test` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const csp = cspOf(String(res.headers['content-security-policy']));
      assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
      assert.deepEqual(csp.get('script-src'), ["'self'"]);
      const scripts = [...res.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
      assert.ok(scripts.length > 0 && scripts.every((s) => s?.startsWith('/platform/assets/')), `scripts from the app's assets: ${scripts.join(', ')}`);
      assert.doesNotMatch(res.text, /<script>|csrf-token/, 'no inline script or CSRF token');
    });
  }

  await t.test("on the partner's host the portal carries its brand and theme; on Parley's own host, none", async () => {
    const own = await raw(app.url, '/partner', { headers: { host: `${acme.slug}.parley.test` } });
    const brand = brandOf(own.text);
    assert.equal(brand?.name, 'Acme Chat', 'its branding text in place of its name');
    assert.match(brand?.themeCssUrl ?? '', /theme/);
    assert.match(own.text, /<link rel="stylesheet" href="[^"]+" data-parley-theme>/);
    const platform = await raw(app.url, '/partner', { headers: { host: 'parley.test' } });
    assert.equal(platform.status, 200);
    assert.equal(brandOf(platform.text), null, "no partner's brand on Parley's own host");
  });

  await t.test('a set-password link e-mailed with the old address still opens the page (the browser keeps its #token)', async () => {
    const res = await raw(app.url, '/portal/set-password?partner=acme-portal', { headers: { host: 'parley.test' } });
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/partner/set-password?partner=acme-portal');
    assert.equal((await raw(app.url, '/portal/set-password?partner=<x>', { headers: { host: 'parley.test' } })).status, 400, 'only a partner code is carried over');
  });

  await t.test('the branding text must be printable: blank, control and bidi-override text is refused and changes nothing', async () => {
    for (const branding of ['   ', 'Acme\u202eevil', 'Acme\u0007']) {
      const res = await acme.portal.put('/api/v1/partner/branding', { branding });
      assert.equal(res.status, 400, `${JSON.stringify(branding)}: ${JSON.stringify(res.body)}`);
    }
    const trimmed = await acme.portal.put('/api/v1/partner/branding', { branding: '  Acme Chat  ' });
    assert.equal(trimmed.body.branding, 'Acme Chat', 'kept without the spaces around it');
  });

  await t.test('a portal page name the app does not know is still the app (it shows the sites); deeper paths are not', async () => {
    assert.equal((await raw(app.url, '/partner/nothing-here', { headers: { host: 'parley.test' } })).status, 200);
    assert.equal((await raw(app.url, '/partner/sites/12', { headers: { host: 'parley.test' } })).status, 404);
  });
});
