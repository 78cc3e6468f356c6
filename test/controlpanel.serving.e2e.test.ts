// Serving the control panel and the console's parts at every address they answer (Parley's own and
// the spec's): the right app, its framing policy, the site's partner's brand in the page, the
// partner's single sign-on that comes back to the very page, and a session for another site that
// does not open this one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cspOf, raw } from './helpers/console.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner } from './helpers/partners.ts';
import { browse, partnerSite, sessionFrom, setUpJwt, signJwt } from './helpers/sso.ts';

const PANEL_PATHS = [
  '/admin',
  '/admin/site',
  '/admin/agents',
  '/admin/groups',
  '/admin/permissions',
  '/admin/ip-restrictions',
  '/admin/campaigns',
  '/admin/canned-messages',
  '/admin/routing',
  '/admin/robot',
  '/admin/im-keys',
  '/admin/webhook',
  '/admin/mobile-app',
  '/livechat/campaigns.aspx',
  '/adminManage/adminPanel/siteProfile.html',
  '/adminManage/adminPanel/agentProfile.html',
  '/adminManage/adminPanel/agentGroup.html',
  '/adminManage/adminPanel/permission.html',
  '/adminManage/adminPanel/ipRestrictions.html',
];
const CONSOLE_PATHS = ['/console', '/LiveChat/AgentConsole.html', '/LiveChat/AgentConsole/Settings.html', '/LiveChat/AgentConsole/Visitors.html', '/LiveChat/AgentConsole/MyChats.html'];

/** The `src` of every script tag in a page. */
const scriptSources = (html: string) => [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => /\bsrc="([^"]+)"/.exec(m[1]!)?.[1] ?? null);

/** The brand the server put in the page, or null. */
function brandIn(html: string): { name: string; themeCssUrl: string | null } | null {
  const m = /<meta name="parley-brand" content="([^"]*)">/.exec(html);
  return m ? JSON.parse(m[1]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))) : null;
}

test('the control panel and the console parts answer at their own and the spec’s paths', async (t) => {
  const app = await startParley(t, { PARLEY_SSO_RATE_LIMIT: '10000' });
  const plain = await partnerSite(app, await approvedPartner(app, 'Plain Partner'));
  const slug = plain.partner.slug;
  const withSso = await partnerSite(app, await approvedPartner(app, 'Sso Partner'));
  await setUpJwt(withSso.partner);

  await t.test('without a session (no single sign-on): the app with its sign-in form, in the site’s partner’s brand, framed only by the partner', async () => {
    for (const [paths, app_] of [
      [PANEL_PATHS, 'admin'],
      [CONSOLE_PATHS, 'console'],
    ] as const) {
      for (const path of paths) {
        const url = `${app.url}${path}?siteId=${plain.siteId}&onlyDisplayBody=true`;
        const res = await browse(url);
        assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 200)}`);
        assert.match(res.headers.get('content-type')!, /^text\/html/);
        const sources = scriptSources(res.text);
        assert.ok(sources.length > 0 && sources.every((s) => s?.startsWith(`/${app_}/assets/`)), `${path}: the ${app_} app (${JSON.stringify(sources)})`);
        const csp = cspOf(res.headers.get('content-security-policy'));
        assert.deepEqual(csp.get('script-src'), ["'self'"], path);
        const ancestors = csp.get('frame-ancestors') ?? [];
        assert.ok(ancestors.includes("'self'") && ancestors.some((a) => a.startsWith(`https://${slug}.`)), `${path}: framed by the partner's hosts: ${ancestors.join(' ')}`);
        assert.ok(!ancestors.includes('*'), path);
        const brand = brandIn(res.text);
        assert.equal(brand?.name, 'Plain Partner', `${path}: the partner's brand in the page`);
        assert.match(res.text, new RegExp(`<link rel="stylesheet" href="[^"]*/brand/${slug}/theme\\.css\\?v=[0-9a-z]+" data-parley-theme>`), `${path}: the theme linked`);
        assert.doesNotMatch(res.text, /name="csrf-token"/, 'no session, no CSRF token');
      }
    }
    const assets = scriptSources((await browse(`${app.url}/admin`)).text);
    const asset = await fetch(`${app.url}${assets[0]}`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type')!, /javascript/);
    assert.equal(asset.headers.get('cross-origin-resource-policy'), 'same-origin');
  });

  await t.test('without a session and without a site: the sign-in form, framed by nobody', async () => {
    const res = await browse(`${app.url}/adminManage/adminPanel/agentProfile.html`);
    assert.equal(res.status, 200);
    assert.deepEqual(cspOf(res.headers.get('content-security-policy')).get('frame-ancestors'), ["'none'"]);
    assert.equal(brandIn(res.text), null, 'the app asks for the brand of the host');
  });

  await t.test("with the partner's single sign-on: off to its login page, which sends the agent back to the very page", async () => {
    for (const path of ['/adminManage/adminPanel/siteProfile.html', '/LiveChat/AgentConsole/Visitors.html', '/admin/permissions']) {
      const page = `${app.url}${path}?siteId=${withSso.siteId}&onlyDisplayBody=true`;
      const res = await browse(page);
      assert.equal(res.status, 302, path);
      const to = new URL(res.location!);
      assert.equal(to.origin + to.pathname, 'https://login.partner.example/sso');
      assert.equal(to.searchParams.get('return_to'), page, `${path}: back to the same page, with its parameters`);
    }
  });

  await t.test('signed in: the app with the CSRF token; a session of another site does not open this one', async () => {
    const secret = await setUpJwt(withSso.partner);
    const jwt = await signJwt(secret, { email: withSso.agent.email, name: withSso.agent.name, site_id: withSso.siteId });
    const page = `${app.url}/adminManage/adminPanel/permission.html?siteId=${withSso.siteId}`;
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${jwt}&return_to=${encodeURIComponent(page)}`));
    const res = await browse(page, { cookie });
    assert.equal(res.status, 200);
    assert.match(res.text, /<meta name="csrf-token" content="[^"]+">/);
    assert.equal(brandIn(res.text)?.name, 'Sso Partner');
    assert.ok(scriptSources(res.text).every((s) => s?.startsWith('/admin/assets/')));
    const other = await browse(`${app.url}/admin/site?siteId=${plain.siteId}`, { cookie });
    assert.equal(other.status, 200);
    assert.doesNotMatch(other.text, /name="csrf-token"/, 'the sign-in form of the other site, not a session');
    assert.equal(brandIn(other.text)?.name, 'Plain Partner');
  });

  await t.test("the panel's asset paths do not climb out of web/dist", async () => {
    for (const path of ['/admin/assets/../../../package.json', '/admin/assets/..%2f..%2f..%2fpackage.json', '/admin/assets/%2e%2e/%2e%2e/%2e%2e/package.json']) {
      const res = await raw(app.url, path);
      assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
      assert.ok(!res.text.includes('"name": "parley"'), `${path} served a file outside web/dist`);
    }
  });
});
