// The partner portal's customer sites and audit log in real Chromium: a partner signs in to its
// white-label host and sees the empty state; opens a site through the dialog (the administrator's
// e-mail refused by the server is said at the field first; a retry of the same submit opens no
// second site); finds it by name, in any case, and by id, and sees a search that finds nothing;
// disables it (its administrator's sign-in is refused) and enables it; sees its usage; deletes it
// (the question explains the grace period) and restores it from the deleted sites; and reads these
// actions in the audit log, a page at a time. Another partner cannot see or change the site.
// Every state is checked with axe-core, also at tablet width and in another language.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, client } from './helpers/api.ts';
import { startPanelStack } from './helpers/browser.ts';
import { approvedPartner } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPortal, WAIT } from './helpers/screens.ts';

test("a partner opens, finds, disables, deletes and restores its customers' sites and reads its audit log", async (t) => {
  const { front, app, browser } = await startPanelStack(t, { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '100' });
  const a = await approvedPartner(app, 'Acme Resellers');
  const b = await approvedPartner(app, 'Bravo Resellers');
  const origin = front.origin(`${a.slug}.parley.test`);
  const page = await signInToPortal(browser, origin, a.email, { page: 'sites' });
  const company = 'Globex Corporation';
  const adminEmail = 'gina@globex.example';
  let siteId = 0;
  let adminPassword = '';
  const row = page.getByTestId('site-row').filter({ hasText: company });
  const adminSignIn = () => client(app.url).post('/api/v1/auth/login', { email: adminEmail, password: adminPassword, siteId });

  await t.test('a partner without sites sees the empty state', async () => {
    await page.getByTestId('page-sites').waitFor({ timeout: WAIT });
    assert.match(page.url(), /\/partner\/sites$/);
    await see(page.getByTestId('sites-empty'), 'No customer sites yet');
    await assertAccessible(page, 'the sites page, empty');
  });

  await t.test('a site is opened through the dialog; a field refused by the server is said there first', async () => {
    await page.getByTestId('sites-open').click();
    const dialog = page.getByTestId('site-open-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await page.waitForFunction(() => document.activeElement?.id === 'site-company', undefined, { timeout: WAIT });
    await page.getByTestId('site-company').fill(company);
    await page.getByTestId('site-website').fill('https://globex.example');
    await page.getByTestId('site-country').fill('United States');
    await page.getByTestId('site-adminName').fill('Gina Globex');
    // The browser lets this address through (a host without a dot); the server's format does not.
    await page.getByTestId('site-adminEmail').fill('gina@globex');
    await page.getByTestId('site-open-submit').click();
    await see(page.locator('#site-adminEmail-problem'), /email/i, "the server's refusal at the e-mail field");
    assert.equal(await page.getByTestId('site-adminEmail').getAttribute('aria-invalid'), 'true');
    await page.waitForFunction(() => document.activeElement?.id === 'site-adminEmail', undefined, { timeout: WAIT });
    await see(page.getByTestId('site-open-error'), /./, 'the error line');
    await assertAccessible(page, 'the open-a-site dialog with a refused field');

    // No password: Parley makes one up and shows it once.
    await page.getByTestId('site-adminEmail').fill(adminEmail);
    const sent = page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/partner/sites');
    await page.getByTestId('site-open-submit').click();
    const request = await sent;
    const opened = page.getByTestId('site-opened-dialog');
    await opened.waitFor({ timeout: WAIT });
    siteId = Number(await page.getByTestId('site-opened-id').textContent());
    assert.ok(siteId > 0, 'the site id is shown');
    await see(page.getByTestId('site-opened-email'), adminEmail);
    assert.equal(await page.getByTestId('site-opened-signin').inputValue(), `${origin}/admin?siteId=${siteId}`, "the administrator's sign-in on the partner's host");
    await see(opened, 'It is shown only now and will not be shown again', 'the password is shown once');
    adminPassword = await page.getByTestId('site-opened-password').inputValue();
    assert.ok(adminPassword.length >= 12, 'a made-up password');
    assert.equal((await adminSignIn()).status, 200, 'the administrator signs in with it');
    await assertAccessible(page, 'the site just opened');
    await shot(page, 'portal-site-open');

    // The same submit again (a double click, a retry after a lost answer) opens no second site.
    const key = request.headers()['idempotency-key'];
    assert.match(String(key), /^[0-9a-f-]{36}$/, 'the dialog sends an Idempotency-Key');
    const again = await call(app.url, 'POST', '/api/v1/partner/sites', { token: a.portal.token, body: request.postData() ?? '', headers: { 'idempotency-key': key! } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.id, siteId, 'the first answer again');

    await page.getByTestId('site-opened-done').click();
    await opened.waitFor({ state: 'detached', timeout: WAIT });
    await see(page.getByTestId('sites-status-line'), `${company} is open (site id ${siteId})`);
    await see(row.getByTestId('site-status'), 'Active');
    await see(row, 'https://globex.example', 'the website');
    assert.equal(await page.getByTestId('site-row').count(), 1, 'one site, not two');
    assert.equal((await a.portal.get('/api/v1/partner/sites')).body.length, 1);
  });

  // Another site, through the API: the list is more than one, and its changes fill the audit log.
  const other = await a.portal.post('/api/v1/partner/sites', { company: 'Initech', website: 'https://initech.example', admin: { email: 'bill@initech.example' } });
  assert.equal(other.status, 201, JSON.stringify(other.body));

  await t.test('the search finds the site by name in any case and by id, and says when nothing matches', async () => {
    await page.reload();
    await see(page.getByTestId('site-row'), 'Initech');
    const search = page.getByTestId('sites-search');
    for (const q of ['globex', 'GLOBEX', String(siteId)]) {
      await search.fill(q);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="site-row"]').length === 1, undefined, { timeout: WAIT });
      await see(page.getByTestId('site-row'), company, `"${q}" finds the site`);
    }
    await search.fill('nothing-like-this');
    await see(page.getByTestId('sites-empty'), 'No site matches “nothing-like-this”.');
    await assertAccessible(page, 'a search that finds nothing');
    await search.fill('');
    await see(page.getByTestId('site-row'), 'Initech');
    assert.equal(await page.getByTestId('site-row').count(), 2);
  });

  await t.test("disabling the site refuses its administrator's sign-in; enabling it lets them in again", async () => {
    await row.getByTestId('site-disable').click();
    await see(row.getByTestId('site-status'), 'Disabled');
    await see(page.getByTestId('sites-status-line'), `${company} is disabled`);
    const refused = await adminSignIn();
    assert.notEqual(refused.status, 200, `refused while disabled: ${JSON.stringify(refused.body)}`);
    await assertAccessible(page, 'the sites page with a disabled site');
    await shot(page, 'portal-sites');
    await row.getByTestId('site-enable').click();
    await see(row.getByTestId('site-status'), 'Active');
    await see(page.getByTestId('sites-status-line'), `${company} is enabled.`);
    assert.equal((await adminSignIn()).status, 200, 'signs in again once enabled');
  });

  await t.test("the site's usage is shown in a dialog", async () => {
    await row.getByTestId('site-usage').click();
    const dialog = page.getByTestId('site-usage-dialog');
    await see(dialog, `Usage of ${company}`);
    await see(dialog.getByTestId('usage-agents'), /Agents\s*1/, 'its administrator is its one agent');
    await see(dialog.getByTestId('usage-chats'), /Chats\s*0/);
    await assertAccessible(page, 'the usage dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'site-usage', undefined, { timeout: WAIT });
  });

  await t.test('the site is deleted after a question about the grace period, and restored from the deleted sites', async () => {
    await row.getByTestId('site-delete').click();
    const dialog = page.getByTestId('site-delete-dialog');
    await see(dialog, `Delete ${company}?`);
    await see(dialog, 'During the grace period you can restore it', 'the grace period explained');
    await assertAccessible(page, 'the delete question');
    await dialog.getByTestId('confirm-button').click();
    await see(page.getByTestId('sites-status-line'), new RegExp(`${company} is deleted\\. You can restore it until .+\\d`));
    await row.waitFor({ state: 'detached', timeout: WAIT });
    assert.notEqual((await adminSignIn()).status, 200, 'a deleted site refuses its administrator');

    await page.getByTestId('sites-show-deleted').check();
    await see(row.getByTestId('site-status'), 'Deleted');
    await see(row.getByTestId('site-restorable'), /Restorable until .+\d/);
    assert.equal(await page.getByTestId('site-row').count(), 1, 'only the deleted site');
    await assertAccessible(page, 'the deleted sites');
    await row.getByTestId('site-restore').click();
    await see(page.getByTestId('sites-status-line'), `${company} is restored.`);
    await see(page.getByTestId('sites-empty'), 'No deleted site can be restored.');
    await page.getByTestId('sites-show-deleted').uncheck();
    await see(row.getByTestId('site-status'), 'Active');
    assert.equal((await adminSignIn()).status, 200, 'signs in again once restored');
  });

  await t.test('another partner can neither see nor change the site', async () => {
    for (const [what, res] of [
      ['read', await b.portal.get(`/api/v1/partner/sites/${siteId}`)],
      ['disable', await b.portal.post(`/api/v1/partner/sites/${siteId}/disable`)],
      ['change', await b.portal.patch(`/api/v1/partner/sites/${siteId}`, { company: 'Taken' })],
      ['delete', await b.portal.delete(`/api/v1/partner/sites/${siteId}`)],
      ['usage', await b.portal.get(`/api/v1/partner/sites/${siteId}/usage`)],
    ] as const) {
      assert.equal(res.status, 404, `${what}: ${JSON.stringify(res.body)}`);
    }
    assert.deepEqual((await b.portal.get(`/api/v1/partner/sites?q=${siteId}`)).body, [], 'not found by id either');
    const own = await a.portal.get(`/api/v1/partner/sites/${siteId}`);
    assert.equal(own.body.status, 'active', 'unchanged');
    assert.equal(own.body.company, company);
    const audit = await b.portal.get('/api/v1/partner/audit');
    assert.ok(!audit.body.some((e: { target: string }) => e.target === `site:${siteId}`), "not in the other partner's log");
    const bPage = await signInToPortal(browser, front.origin(`${b.slug}.parley.test`), b.email);
    await see(bPage.getByTestId('sites-empty'), 'No customer sites yet');
    await bPage.context().close();
  });

  await t.test('the audit log shows these actions, newest first, with who did them', async () => {
    await page.getByTestId('menu-audit').click();
    await page.getByTestId('audit-table').waitFor({ timeout: WAIT });
    assert.match(page.url(), /\/partner\/audit$/);
    const globex = page.getByTestId('audit-row').filter({ hasText: `Site ${siteId}: ${company}` });
    const actions = await globex.getByTestId('audit-action').allTextContents();
    assert.deepEqual(
      actions.map((text) => text.replace(/site\.\w+$/, '')),
      ['Site restored', 'Site deleted', 'Site enabled', 'Site disabled', 'Site opened'],
      "the site's actions, newest first",
    );
    await see(globex.first().getByTestId('audit-actor'), /^Portal user #\d+$/);
    await see(page.getByTestId('audit-row').getByTestId('audit-action'), 'Application approved', "the partner's approval");
    await see(page.getByTestId('audit-row').getByTestId('audit-actor'), /^Platform admin #\d+$/);
    await see(page.getByTestId('audit-end'), 'This is the oldest entry.');
    await assertAccessible(page, 'the audit log');
    await shot(page, 'portal-audit');
  });

  await t.test('"Older entries" shows the log a page at a time', async () => {
    // More than a page: the other site disabled and enabled through the API, 26 times each.
    for (let i = 0; i < 26; i++) {
      assert.equal((await a.portal.post(`/api/v1/partner/sites/${other.body.id}/disable`)).status, 200);
      assert.equal((await a.portal.post(`/api/v1/partner/sites/${other.body.id}/enable`)).status, 200);
    }
    await page.reload();
    await page.getByTestId('audit-table').waitFor({ timeout: WAIT });
    const rows = page.getByTestId('audit-row');
    assert.equal(await rows.count(), 50, 'a page of 50');
    await see(rows.first().getByTestId('audit-action'), 'Site enabled', 'the newest first');
    await see(rows.first().getByTestId('audit-target'), `Site ${other.body.id}: Initech`);
    assert.equal(await page.getByTestId('audit-row').filter({ hasText: company }).count(), 0, 'the older entries are not there yet');
    await page.getByTestId('audit-more').click();
    await see(page.getByTestId('audit-status-line'), /Older entries shown: \d+\./);
    assert.ok((await rows.count()) > 50, 'older entries below');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'audit-row', undefined, { timeout: WAIT });
    assert.equal(await rows.nth(50).evaluate((el) => el === document.activeElement), true, 'the first older entry has the focus');
    await see(page.getByTestId('audit-end'), 'This is the oldest entry.');
    assert.equal(
      await page
        .getByTestId('audit-row')
        .filter({ hasText: `Site ${siteId}: ${company}` })
        .count(),
      5,
      "the site's actions, on the older page",
    );
    await assertAccessible(page, 'the audit log with older entries');
  });

  await t.test('at tablet width and in another language', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByTestId('menu-sites').click();
    await see(row.getByTestId('site-status'), 'Active');
    await page.getByTestId('language-select').selectOption('zh-CN');
    await see(page.locator('h1'), '客户站点');
    await see(row.getByTestId('site-status'), '正常');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 768px (${overflow}px)`);
    await assertAccessible(page, 'the sites page at tablet width, in Chinese');
    await page.getByTestId('sites-open').click();
    await page.getByTestId('site-open-dialog').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the open-a-site dialog at tablet width');
    await page.keyboard.press('Escape');
    await page.getByTestId('language-select').selectOption('en');
  });

  await page.context().close();
});
