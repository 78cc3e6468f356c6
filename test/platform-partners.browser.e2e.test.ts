// The platform admin's partners in real Chromium: two partners ask for new names; the admin sees
// the requests on the Partners page, approves one (the name changes) and refuses the other; opens
// a partner's Settings (the partner portal's pages inside the admin, acting on that partner),
// changes its contact there (only that partner changes) and moves through the portal's menu with
// the address staying under /platform/partners/<id>/; then looks through every partner's sites,
// searched and filtered, and opens a site's partner from there. A partner's portal token is
// refused by the platform's routes, and a partner visiting /platform sees only its sign-in form.
// axe-core on every state, also at tablet width.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPanelStack } from './helpers/browser.ts';
import { approvedPartner, openSiteFor, platformAdmin } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPortal, WAIT } from './helpers/screens.ts';

test('a platform admin decides on new names, acts on a partner’s settings and looks through all sites', async (t) => {
  const { front, app, browser } = await startPanelStack(t);
  const origin = front.origin('parley.test');
  const admin = await platformAdmin(app);
  const a = await approvedPartner(app, 'Alpha Chat');
  const b = await approvedPartner(app, 'Beta Chat');

  // Both ask for a new name through their portal.
  const askedA = await a.portal.patch('/api/v1/partner/profile', { name: 'New Name' });
  assert.equal(askedA.status, 200, JSON.stringify(askedA.body));
  assert.equal(askedA.body.pendingName, 'New Name');
  assert.equal(askedA.body.name, 'Alpha Chat', 'the name waits for the approval');
  assert.equal((await b.portal.patch('/api/v1/partner/profile', { name: 'Beta Renamed' })).status, 200);

  // Sites, oldest first: A's bakery (through the Partner API), A's shop (deleted), A's tools
  // (disabled), B's garage (through B's portal).
  const bakery = await openSiteFor(app, a, 'Acme Bakery', { email: 'boss@bakery.example', password: 'boss-pass-1' });
  const openInPortal = async (p: typeof a, company: string, email: string) => {
    const res = await p.portal.post('/api/v1/partner/sites', { company, website: `https://${company.toLowerCase().replace(/ /g, '-')}.example`, admin: { email } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id as number;
  };
  const shop = await openInPortal(a, 'Old Shop', 'boss@shop.example');
  assert.equal((await a.portal.delete(`/api/v1/partner/sites/${shop}`)).status, 200);
  const tools = await openInPortal(a, 'Zephyr Tools', 'boss@tools.example');
  assert.equal((await a.portal.post(`/api/v1/partner/sites/${tools}/disable`, {})).status, 200);
  const garage = await openInPortal(b, 'Bolt Garage', 'boss@garage.example');

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const rowOf = (name: string) => page.getByTestId('partner-row').filter({ has: page.getByTestId('partner-name').getByText(name, { exact: true }) });

  await t.test('the partners page shows the requested names and how many wait', async () => {
    await page.goto(`${origin}/platform/partners`);
    await page.getByTestId('signin-email').fill('admin@test.parley');
    await page.getByTestId('signin-password').fill('admin-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('partners-table').waitFor({ timeout: WAIT });
    await see(rowOf('Alpha Chat').getByTestId('partner-pending-name'), 'Name change requested: New Name');
    await see(rowOf('Beta Chat').getByTestId('partner-pending-name'), 'Name change requested: Beta Renamed');
    await see(page.getByTestId('partners-waiting'), 'Name changes waiting for a decision: 2');
    const option = await page.getByTestId('partners-filter').locator('option[value="pendingName"]').textContent();
    assert.equal(option, 'Name change requested (2)', 'the count of requests in the filter');
    await page.getByTestId('partners-filter').selectOption('pendingName');
    assert.equal(await page.getByTestId('partner-row').count(), 2, 'only the partners with a request');
    await assertAccessible(page, 'the partners page with name requests');
    await shot(page, 'platform-partners');
  });

  await t.test('one new name is approved, the other refused', async () => {
    await rowOf('Alpha Chat').getByTestId('partner-name-approve').click();
    await see(page.getByTestId('partners-status-line'), 'Alpha Chat is now named New Name.');
    await page.getByTestId('partners-filter').selectOption('all');
    await see(rowOf('New Name').getByTestId('partner-status'), 'Active', 'the new name in the list');
    assert.equal(await rowOf('New Name').getByTestId('partner-pending-name').count(), 0, 'no request left');

    await page.getByTestId('partners-filter').selectOption('pendingName');
    await page.getByRole('button', { name: 'Refuse the new name “Beta Renamed” of Beta Chat' }).click();
    await see(page.getByTestId('partners-status-line'), 'The new name “Beta Renamed” was refused; Beta Chat keeps its name.');
    await see(page.getByTestId('partners-empty'), 'No partner is waiting for a name change.');
    assert.equal(await page.getByTestId('partners-filter').locator('option[value="pendingName"]').textContent(), 'Name change requested (0)');
    assert.equal(await page.getByTestId('partners-waiting').count(), 0, 'nothing waits');
    await assertAccessible(page, 'the partners page after the decisions');
    await page.getByTestId('partners-filter').selectOption('all');

    const listed = (await admin.get('/api/v1/platform/partners')).body as { id: number; name: string; pendingName: string | null }[];
    const byId = new Map(listed.map((p) => [p.id, p]));
    assert.deepEqual([byId.get(a.partnerId)?.name, byId.get(a.partnerId)?.pendingName], ['New Name', null]);
    assert.deepEqual([byId.get(b.partnerId)?.name, byId.get(b.partnerId)?.pendingName], ['Beta Chat', null]);
  });

  await t.test("a partner's Settings open its portal pages, acting on it", async () => {
    await rowOf('New Name').getByTestId('partner-settings').click();
    await see(page.getByTestId('acting-banner'), 'You are acting on the settings of New Name as a platform admin.');
    assert.equal(new URL(page.url()).pathname, `/platform/partners/${a.partnerId}/profile`);
    await page.getByTestId('platform-header').waitFor({ timeout: WAIT });
    await page.getByTestId('page-profile').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('profile-name').inputValue(), 'New Name');
    assert.equal(await page.getByTestId('profile-contact-email').inputValue(), a.email);
    assert.equal(await page.getByTestId('platform-menu').count(), 0, "the portal's menu takes the admin menu's place");
    await see(page.getByTestId('acting-back'), 'Back to the partners');
    await assertAccessible(page, 'acting on a partner: its profile');
    await shot(page, 'platform-acting');
  });

  await t.test("the contact changed there is that partner's only", async () => {
    await page.getByTestId('profile-contact-name').fill('Casey Contact');
    await page.getByTestId('profile-save').click();
    await see(page.getByTestId('profile-status'), 'Profile saved.');
    assert.equal((await a.portal.get('/api/v1/partner/profile')).body.contactName, 'Casey Contact', "A's portal sees it");
    assert.equal((await b.portal.get('/api/v1/partner/profile')).body.contactName, 'Pat Partner', 'B is untouched');
    assert.equal((await admin.get(`/api/v1/platform/partners/${b.partnerId}/profile`)).body.contactName, 'Pat Partner');
  });

  await t.test("the portal's menu moves within the partner's addresses; Back returns to the partners", async () => {
    await page.getByTestId('portal-menu').getByTestId('menu-audit').click();
    await page.getByTestId('page-audit').waitFor({ timeout: WAIT });
    assert.equal(new URL(page.url()).pathname, `/platform/partners/${a.partnerId}/audit`);
    await see(page.getByTestId('acting-banner'), 'New Name');
    await page.getByTestId('portal-menu').getByTestId('menu-sites').click();
    assert.equal(new URL(page.url()).pathname, `/platform/partners/${a.partnerId}/sites`);
    await see(page.locator('#main h1'), 'Customer sites');
    await page.goBack();
    await page.getByTestId('page-audit').waitFor({ timeout: WAIT });
    assert.equal(new URL(page.url()).pathname, `/platform/partners/${a.partnerId}/audit`);
    assert.equal(await page.evaluate(() => document.title), 'Audit log · New Name');

    // A reload at the partner's address comes back to the same page, acting on the same partner.
    await page.reload();
    await see(page.getByTestId('acting-banner'), 'New Name');
    await page.getByTestId('page-audit').waitFor({ timeout: WAIT });

    await page.getByTestId('acting-back').click();
    await page.getByTestId('partners-table').waitFor({ timeout: WAIT });
    assert.equal(new URL(page.url()).pathname, '/platform/partners');
    assert.equal(await page.getByTestId('acting-banner').count(), 0);

    // Another partner's settings after the first: its own profile, not the first one's.
    await rowOf('Beta Chat').getByTestId('partner-settings').click();
    await see(page.getByTestId('acting-banner'), 'Beta Chat');
    await page.getByTestId('page-profile').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('profile-contact-name').inputValue(), 'Pat Partner');
    await page.getByTestId('acting-back').click();
    await page.getByTestId('partners-table').waitFor({ timeout: WAIT });
  });

  await t.test('all sites: every partner’s, searched and filtered by status and partner', async () => {
    await page.getByTestId('menu-sites').click();
    await page.getByTestId('sites-table').waitFor({ timeout: WAIT });
    assert.equal(new URL(page.url()).pathname, '/platform/sites');
    const companies = () => page.getByTestId('site-row').getByTestId('site-company').allTextContents();
    // The list follows the search as the admin types: wait until it shows these sites.
    const listed = async (expected: string[], what: string) => {
      const deadline = Date.now() + WAIT;
      let seen = await companies();
      while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await companies();
      }
      assert.deepEqual(seen, expected, what);
    };
    assert.deepEqual(await companies(), ['Bolt Garage', 'Zephyr Tools', 'Acme Bakery'], 'newest first, without the deleted one');
    const toolsRow = page.getByTestId('site-row').filter({ hasText: 'Zephyr Tools' });
    await see(toolsRow.getByTestId('site-status'), 'Disabled');
    await see(toolsRow.getByTestId('site-partner'), 'New Name');
    await see(page.getByTestId('site-row').filter({ hasText: 'Bolt Garage' }).getByTestId('site-partner'), 'Beta Chat');
    await see(page.getByTestId('sites-count'), 'Sites shown: 3');
    await see(page.getByText('This is the oldest site.'), 'This is the oldest site.', 'no older page');
    await assertAccessible(page, 'all sites');
    await shot(page, 'platform-sites');

    await page.getByTestId('sites-search').fill('BAKERY');
    await listed(['Acme Bakery'], 'a part of the company, in any case');
    await see(page.getByTestId('sites-count'), 'Sites shown: 1');
    await page.getByTestId('sites-search').fill(String(garage));
    await listed(['Bolt Garage'], 'a site id finds its site');
    await page.getByTestId('sites-search').fill('nothing-like-this');
    await see(page.getByTestId('sites-empty'), 'No site matches.');
    await page.getByTestId('sites-search').fill('');
    await listed(['Bolt Garage', 'Zephyr Tools', 'Acme Bakery'], 'all again');

    await page.getByTestId('sites-status').selectOption('disabled');
    await listed(['Zephyr Tools'], 'the disabled site');
    await see(page.getByTestId('site-status'), 'Disabled');
    await page.getByTestId('sites-status').selectOption('deleted');
    await listed(['Old Shop'], 'the deleted site');
    await see(page.getByTestId('site-status'), 'Deleted');
    await page.getByTestId('sites-status').selectOption('');
    await page.getByTestId('sites-partner').selectOption(String(a.partnerId));
    await listed(['Zephyr Tools', 'Acme Bakery'], "only A's");
    await see(page.getByTestId('sites-count'), 'Sites shown: 2');
    await assertAccessible(page, 'all sites, filtered');
    await page.getByTestId('sites-partner').selectOption('');
    await listed(['Bolt Garage', 'Zephyr Tools', 'Acme Bakery'], 'every partner again');
    assert.ok(bakery.siteId < tools && tools < garage);

    // A site's partner opens that partner's sites in its portal, acting on it.
    await page.getByTestId('site-row').filter({ hasText: 'Bolt Garage' }).getByTestId('site-partner').click();
    await see(page.getByTestId('acting-banner'), 'Beta Chat');
    assert.equal(new URL(page.url()).pathname, `/platform/partners/${b.partnerId}/sites`);
    await see(page.locator('#main h1'), 'Customer sites');
    await page.goBack();
    await page.getByTestId('sites-table').waitFor({ timeout: WAIT });
  });

  await t.test('at tablet width, acting on a partner and all sites fit', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${origin}/platform/partners/${a.partnerId}/profile`);
    await page.getByTestId('page-profile').waitFor({ timeout: WAIT });
    await see(page.getByTestId('acting-banner'), 'New Name');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, 'no sideways scrolling while acting at 768px');
    await assertAccessible(page, 'acting on a partner at tablet width');
    await page.goto(`${origin}/platform/sites`);
    await page.getByTestId('sites-table').waitFor({ timeout: WAIT });
    assert.ok((await overflow()) <= 0, 'no sideways scrolling on all sites at 768px');
    await page.goto(`${origin}/platform/partners`);
    await page.getByTestId('partners-table').waitFor({ timeout: WAIT });
    assert.ok((await overflow()) <= 0, 'no sideways scrolling on the partners at 768px');
  });

  await t.test("a partner's token is refused by the platform's routes", async () => {
    for (const [who, path] of [
      [a, `/api/v1/platform/partners/${a.partnerId}/profile`],
      [b, `/api/v1/platform/partners/${a.partnerId}/profile`],
      [a, '/api/v1/platform/sites'],
      [a, '/api/v1/platform/partners'],
    ] as const) {
      const res = await who.portal.get(path);
      assert.equal(res.status, 403, `${path}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await a.portal.patch(`/api/v1/platform/partners/${b.partnerId}/profile`, { contactName: 'Mallory' })).status, 403);
    assert.equal((await a.portal.post(`/api/v1/platform/partners/${a.partnerId}/name/approve`, {})).status, 403);
    assert.equal((await b.portal.get('/api/v1/partner/profile')).body.contactName, 'Pat Partner');
  });

  await t.test('a partner visiting the platform admin sees only its sign-in form', async () => {
    const partnerHost = front.origin(`${a.slug}.parley.test`);
    const portal = await signInToPortal(browser, partnerHost, a.email);
    const before = front.proxied.length;
    await portal.goto(`${partnerHost}/platform/partners/${a.partnerId}/profile`);
    await portal.getByTestId('signin-form').waitFor({ timeout: WAIT });
    await see(portal.locator('h1'), 'Sign in to the platform admin');
    assert.equal(await portal.getByTestId('acting-banner').count(), 0);
    assert.equal(await portal.getByTestId('portal-body').count(), 0);
    const calls = front.proxied.slice(before).filter((r) => r.includes('/api/v1/platform/'));
    assert.deepEqual(calls, [], 'no platform API call without a platform token');
    await portal.goto(`${origin}/platform`);
    await portal.getByTestId('signin-form').waitFor({ timeout: WAIT });
    await portal.context().close();
  });

  await context.close();
});
