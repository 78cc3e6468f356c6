// The control panel's and the console's pages embedded in a partner's product, in real Chromium:
// a page of the partner's own domain (customer.test, verified) frames the site profile and the
// visitor list by the spec's paths with onlyDisplayBody=true. The agent comes in through the
// partner's JWT single sign-on, back to the very page; the frames show only the page body, in the
// partner's colours; an edit saved in the frame is what the API then says; the console's other
// parts answer at their own addresses too; and a page of another site cannot frame the panel.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { Frame, Page } from 'playwright-core';
import { client } from './helpers/api.ts';
import { esc, html } from './helpers/browser.ts';
import { partnerBehindFront } from './helpers/front.ts';
import { approvedPartner, partnerApi, partnerApiToken } from './helpers/partners.ts';
import { assertAccessible, see, shot, styled, WAIT } from './helpers/screens.ts';

const TEAL = 'rgb(15, 118, 110)';

/** The frame of `page` whose URL starts with `prefix`, once it is there. */
async function frameAt(page: Page, prefix: string): Promise<Frame> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame at ${prefix}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** What of the page's frame is not its body: headers, navigation, footers, the panel's and the console's bars. */
function chromeIn(frame: Frame) {
  return frame.evaluate(() =>
    ['header', 'nav', 'footer', '[role="banner"]', '[role="navigation"]', '[role="contentinfo"]', '.topbar', '[data-testid="panel-menu"]', '[data-testid="nav-chats"]', '.skip-link']
      .filter((selector) => document.querySelector(selector) !== null),
  );
}

test("a partner's own page frames the site profile and the visitor list, body only, in its colours", async (t) => {
  const started = Date.now();
  const { front, app, browser, acme, parleyOrigin, customerOrigin } = await partnerBehindFront(t);

  // ---- The partner (its verified domain customer.test), its colours, a customer's site, JWT sign-on. ----
  const theme = await acme.portal.put('/api/v1/partner/theme', { pairs: [{ cssKey: 'primaryColor', cssValue: '#0f766e' }] });
  assert.equal(theme.status, 200, JSON.stringify(theme.body));

  const boss = { email: 'boss@acme-customer.example', password: 'acme-customer-boss', name: 'Bo Boss' };
  const site = await partnerApi(app, await partnerApiToken(app, acme)).post('/sites', { company: 'Acme Customer Shop', admin: boss });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const siteId: number = site.body.id;
  const admin = client(app.url, (await client(app.url).post('/api/v1/auth/login', { email: boss.email, password: boss.password, siteId })).body.token);

  const sso = await acme.portal.put('/api/v1/partner/sso/jwt', { loginUrl: `${front.origin('idp.test')}/login` });
  assert.equal(sso.status, 200, JSON.stringify(sso.body));
  const key = new TextEncoder().encode(sso.body.secret);
  const idpVisits: string[] = [];
  front.serve('idp.test', async (_req, res, url) => {
    const returnTo = url.searchParams.get('return_to') ?? '';
    idpVisits.push(returnTo);
    const jwt = await new SignJWT({ email: boss.email, name: boss.name, site_id: siteId }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setJti(randomUUID()).sign(key);
    const to = new URL('/sso/jwt', parleyOrigin);
    to.searchParams.set('jwt', jwt);
    to.searchParams.set('return_to', returnTo);
    res.writeHead(302, { location: to.toString(), 'cache-control': 'no-store' }).end();
  });

  // ---- The partner's page: the site profile first; with ?both=1 the visitor list beside it. ----
  const profileUrl = `${parleyOrigin}/adminManage/adminPanel/siteProfile.html?siteId=${siteId}&onlyDisplayBody=true`;
  const visitorsUrl = `${parleyOrigin}/LiveChat/AgentConsole/Visitors.html?siteId=${siteId}&onlyDisplayBody=true`;
  const frames = (both: boolean) =>
    `<style>body{margin:0;font-family:system-ui,sans-serif;background:#eef3f2}h1{margin:0;padding:14px 24px;background:#0f766e;color:#fff;font-size:20px}
      .grid{display:grid;grid-template-columns:1fr 1fr;gap:16px;padding:16px}iframe{width:100%;height:650px;border:1px solid #c5d3d0;border-radius:8px;background:#fff}</style>
     <h1>Acme help desk · Settings</h1><div class="grid"><iframe id="profile" title="Site profile" src="${esc(profileUrl)}"></iframe>` +
    (both ? `<iframe id="visitors" title="Visitors" src="${esc(visitorsUrl)}"></iframe>` : '') +
    '</div>';
  front.serve('customer.test', (_req, res, url) => html(res, frames(url.searchParams.has('both'))));
  front.serve('evil.test', (_req, res) => html(res, `<h1>Not Acme</h1><iframe id="stolen" title="stolen" src="${esc(profileUrl)}" width="760" height="620"></iframe>`));
  const trail = () => `\nrequests to Parley:\n  ${front.proxied.slice(-30).join('\n  ')}`;
  t.diagnostic(`setup ${Date.now() - started} ms`);

  const context = await browser.newContext({ viewport: { width: 1440, height: 760 }, locale: 'en-US' });
  const page = await context.newPage();

  await t.test('the site profile in the frame: through single sign-on back to the page, body only, in the partner’s colour, and an edit saved', async () => {
    await page.goto(customerOrigin);
    const frame = page.frameLocator('#profile');
    await frame.getByTestId('site-form').waitFor({ timeout: WAIT }).catch((err: Error) => assert.fail(`${err.message}${trail()}`));
    assert.deepEqual(idpVisits, [profileUrl], 'the single sign-on came back to the very page, with its parameters');
    const inner = await frameAt(page, `${parleyOrigin}/adminManage/adminPanel/siteProfile.html`);
    assert.equal(inner.parentFrame(), page.mainFrame(), 'inside the partner page');
    assert.deepEqual(await chromeIn(inner), [], 'no header, menu or footer in the frame');
    await frame.getByTestId('panel-body').waitFor({ timeout: WAIT });
    await styled(frame.getByTestId('site-save'), 'background-color', TEAL, "the Save button in the partner's colour");
    // Sized to the frame: it fills the frame's width and nothing spills over it.
    const size = await inner.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth, body: document.querySelector('[data-testid="panel-body"]')!.getBoundingClientRect().width }));
    assert.ok(size.scroll <= size.view && size.body >= size.view - 1, JSON.stringify(size));

    await frame.getByTestId('site-company').fill('Acme Customer Shop GmbH');
    await frame.getByTestId('site-city').fill('Leipzig');
    await frame.getByTestId('site-timeZone').selectOption('Europe/Berlin');
    await frame.getByTestId('site-save').click();
    await see(frame.getByTestId('site-status'), 'The site profile is saved.');
    const saved = await admin.get('/api/v1/site');
    assert.equal(saved.status, 200);
    assert.deepEqual([saved.body.company, saved.body.city, saved.body.timeZone], ['Acme Customer Shop GmbH', 'Leipzig', 'Europe/Berlin']);
    await assertAccessible(page, 'the embedded site profile', '/adminManage/adminPanel/siteProfile.html');
  });

  await t.test('the visitor list beside it: the console part, body only, in the partner’s colour', async () => {
    await page.goto(`${customerOrigin}/?both=1`);
    const frame = page.frameLocator('#visitors');
    await frame.getByTestId('visitors-view').waitFor({ timeout: WAIT }).catch((err: Error) => assert.fail(`${err.message}${trail()}`));
    const inner = await frameAt(page, `${parleyOrigin}/LiveChat/AgentConsole/Visitors.html`);
    assert.deepEqual(await chromeIn(inner), [], 'no header, menu or footer in the frame');
    assert.equal(await frame.getByTestId('incoming-chats').count(), 0, 'incoming chats are left to the partner’s chats page');
    await styled(frame.getByTestId('visitors-filter-all'), 'background-color', TEAL, "the chosen filter in the partner's colour");
    await page.frameLocator('#profile').getByTestId('site-form').waitFor({ timeout: WAIT });
    assert.equal(idpVisits.length, 1, 'one sign-in serves both frames');
    await assertAccessible(page, 'the embedded visitor list', '/LiveChat/AgentConsole/Visitors.html');
    await shot(page, 'admin-embedded');
  });

  await t.test("the console's other parts answer at their own addresses: My chats and Settings body only, the whole console with its header", async () => {
    const parts = await context.newPage();
    await parts.goto(`${parleyOrigin}/LiveChat/AgentConsole/MyChats.html?siteId=${siteId}&onlyDisplayBody=true`);
    await parts.getByTestId('chats-view').waitFor({ timeout: WAIT });
    assert.equal(await parts.locator('.topbar').count(), 0, 'no header');
    assert.equal(await parts.getByTestId('visitors-view').count(), 0);

    await parts.goto(`${parleyOrigin}/LiveChat/AgentConsole/Settings.html?siteId=${siteId}&onlyDisplayBody=true`);
    await parts.getByTestId('settings-view').waitFor({ timeout: WAIT });
    assert.deepEqual(await chromeIn(parts.mainFrame()), [], 'no header, menu or footer');
    await parts.getByTestId('settings-sound').uncheck();
    assert.equal(await parts.evaluate(() => localStorage.getItem('parley.console.alerts')?.includes('"sound":false') ?? null), true, 'the setting is kept in the browser');
    await assertAccessible(parts, 'the settings page');

    await parts.goto(`${parleyOrigin}/LiveChat/AgentConsole.html?siteId=${siteId}`);
    await parts.getByTestId('nav-visitors').waitFor({ timeout: WAIT });
    await parts.getByTestId('chats-view').waitFor({ timeout: WAIT });
    const link = parts.getByTestId('control-panel-link');
    assert.equal(await link.getAttribute('href'), `/admin?siteId=${siteId}`, 'the site admin is offered the control panel');
    await link.click();
    await parts.getByTestId('page-site').waitFor({ timeout: WAIT });
    assert.ok((await parts.getByTestId('panel-header').count()) === 1 && (await parts.getByTestId('panel-menu').count()) === 1, 'the panel with its header and menu');
    await parts.close();
  });

  await context.close();

  await t.test("a page for this site does not open the browser's session of another site, nor signs in to one", async () => {
    // The partner frames its own site's pages; the browser's session of another partner's site
    // must not run there, where its buttons could be clickjacked. Parley's own host serves both.
    const beta = await approvedPartner(app, 'Beta');
    const other = { email: 'owner@other-shop.example', password: 'other-shop-owner', name: 'Otto Other' };
    const made = await partnerApi(app, await partnerApiToken(app, beta)).post('/sites', { company: 'Other Shop', admin: other });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const platform = front.origin('parley.test');
    const ctx = await browser.newContext({ locale: 'en-US' });
    const tab = await ctx.newPage();
    await tab.goto(`${platform}/admin?siteId=${made.body.id}`);
    await tab.getByTestId('signin-email').fill(other.email);
    await tab.getByTestId('signin-password').fill(other.password);
    await tab.getByTestId('signin-submit').click();
    await see(tab.locator('body'), 'Otto Other', "Otto's own panel");
    // Acme's site has single sign-on: with Otto's session the page shows the form (no sign-on loop).
    await tab.goto(`${platform}/admin/site?siteId=${siteId}`);
    await tab.getByTestId('signin-email').waitFor({ timeout: WAIT });
    assert.ok(!(await tab.locator('body').textContent())?.includes('Otto Other'), "Otto's panel is not shown on a page for Acme's site");
    // Nor does Otto's account sign in there: the form signs in to the page's site only.
    await tab.getByTestId('signin-email').fill(other.email);
    await tab.getByTestId('signin-password').fill(other.password);
    await tab.getByTestId('signin-submit').click();
    await tab.getByTestId('signin-error').waitFor({ timeout: WAIT });
    await ctx.close();
  });

  await t.test('a page of another site cannot frame the panel', async () => {
    const ctx = await browser.newContext();
    const evil = await ctx.newPage();
    const answers: number[] = [];
    evil.on('response', (r) => {
      if (new URL(r.url()).pathname === '/adminManage/adminPanel/siteProfile.html') answers.push(r.status());
    });
    const refusals: string[] = [];
    evil.on('console', (m) => {
      if (/frame-ancestors/i.test(m.text())) refusals.push(m.text());
    });
    await evil.goto(front.origin('evil.test'));
    const deadline = Date.now() + WAIT;
    while ((refusals.length === 0 || !answers.includes(200)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(answers.includes(200), `the page was served to the frame (so only frame-ancestors stands in the way): ${answers.join(', ')}${trail()}`);
    assert.ok(refusals.length > 0, 'Chromium reports the frame-ancestors violation');
    const child = evil.frames().find((f) => f !== evil.mainFrame());
    const text = child ? await child.evaluate(() => document.body?.textContent ?? '').catch(() => '') : '';
    assert.ok(!text.includes('Acme Customer Shop'), `the panel did not render in the frame: ${text.slice(0, 200)}`);
    await ctx.close();
  });
  t.diagnostic(`total ${Date.now() - started} ms`);
});
