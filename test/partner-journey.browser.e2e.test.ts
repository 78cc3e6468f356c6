// The whole partner journey through screens only, in real Chromium (issue 20): a company applies on
// the sign-up page; a platform admin approves it in /platform and finds the approval e-mail in the
// outbox; the partner sets its password from the e-mail's link, signs in to /partner, uploads a logo,
// sets a theme colour (the preview changes before it is saved), adds an IP range, creates an OAuth
// client (its secret shown once), opens a customer site with its admin, disables and re-enables it;
// the customer's admin signs in on the partner's host and sees the partner's logo and colour. On the
// way the screens refuse, with a clear message, an invalid CIDR, a non-image and an oversized logo
// and an unsafe theme value; and the partner cannot reach another partner's portal or the platform
// admin. Every page is checked with axe-core.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { client } from './helpers/api.ts';
import { startPanelStack } from './helpers/browser.ts';
import { badgeLogo } from './helpers/images.ts';
import { approvedPartner, platformAdmin } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPanel, styled, WAIT } from './helpers/screens.ts';

/** The partner's primary colour, dark enough for white text on it. */
const PRIMARY = '#c2410c';
const PRIMARY_RGB = 'rgb(194, 65, 12)';

test('a company becomes a partner and brands, secures and opens a customer site, all through the screens', async (t) => {
  const { front, app, browser } = await startPanelStack(t);
  const platform = front.origin('parley.test');
  const company = { name: 'Harbor Chat', contact: 'Hana Harbor', email: 'hana@harbor.example' };
  const slug = 'harbor-chat';
  const partnerOrigin = front.origin(`${slug}.parley.test`);
  const boss = { name: 'Cora Corner', email: 'cora@corner.example', password: 'corner-boss-password' };

  const staff = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
  const partner = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
  let setPasswordUrl = '';
  let siteId = 0;

  await t.test('the company applies on the sign-up page', async () => {
    await partner.goto(`${platform}/apply`);
    await partner.getByTestId('apply-companyName').fill(company.name);
    await partner.getByTestId('apply-contactName').fill(company.contact);
    await partner.getByTestId('apply-email').fill(company.email);
    await partner.getByTestId('apply-submit').click();
    await see(partner.getByTestId('apply-done'), 'Thank you, your application is in');
  });

  await t.test('a platform admin approves it and finds the e-mail with the set-password link', async () => {
    await staff.goto(`${platform}/platform`);
    await staff.getByTestId('signin-email').fill('admin@test.parley');
    await staff.getByTestId('signin-password').fill('admin-password');
    await staff.getByTestId('signin-submit').click();
    await staff.getByRole('button', { name: `View the application of ${company.name}` }).click();
    await staff.getByTestId('application-approve').click();
    await staff.getByTestId('approve-dialog').getByTestId('confirm-button').click();
    await see(staff.getByTestId('applications-status-line'), `${company.name} is approved`);

    await staff.getByTestId('menu-outbox').click();
    await staff.getByTestId('email-row').filter({ hasText: company.email }).getByTestId('email-read').click();
    const link = staff.getByTestId('email-dialog').locator('a[href*="/partner/set-password"]');
    setPasswordUrl = String(await link.getAttribute('href'));
    assert.match(setPasswordUrl, new RegExp(`/partner/set-password\\?partner=${slug}#token=`));
    await staff.keyboard.press('Escape');
  });

  await t.test('the partner sets its password from the link and signs in to /partner', async () => {
    await partner.goto(setPasswordUrl);
    await partner.getByTestId('setpw-form').waitFor({ timeout: WAIT });
    assert.doesNotMatch(partner.url(), /token=/, 'the token is taken out of the address at once');
    await assertAccessible(partner, 'the set-password page');
    await partner.getByTestId('setpw-password').fill('harbor-portal-password');
    await partner.getByTestId('setpw-confirm').fill('harbor-portal-passwrd');
    await partner.getByTestId('setpw-submit').click();
    await see(partner.getByTestId('setpw-error'), 'The two passwords differ.');
    await partner.getByTestId('setpw-confirm').fill('harbor-portal-password');
    await partner.getByTestId('setpw-submit').click();
    await see(partner.getByTestId('password-set-notice'), 'Your password is set. Sign in with it.');
    assert.equal(await partner.getByTestId('signin-email').inputValue(), company.email, 'the e-mail is filled in');
    await shot(partner, 'portal-signin');
    await partner.getByTestId('signin-password').fill('harbor-portal-password');
    await partner.getByTestId('signin-submit').click();
    await partner.getByTestId('page-sites').waitFor({ timeout: WAIT });
    await see(partner.getByTestId('portal-header'), company.name);
    await assertAccessible(partner, 'the portal, first visit');
  });

  await t.test('a non-image and an oversized logo are refused; a real one becomes the brand', async () => {
    await partner.getByTestId('menu-branding').click();
    const file = partner.getByTestId('logo-file');
    await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a logo') });
    await see(partner.getByTestId('logo-problem'), 'notes.txt is not a PNG, JPEG, WebP or GIF image.');
    const logo = badgeLogo([194, 65, 12]);
    await file.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([logo, Buffer.alloc(600 * 1024)]) });
    await see(partner.getByTestId('logo-problem'), /a logo may be at most 512 KiB/);
    await file.setInputFiles({ name: 'harbor.png', mimeType: 'image/png', buffer: logo });
    await partner.getByTestId('logo-upload').click();
    await see(partner.getByTestId('logo-status'), 'Logo uploaded.');
    await partner.getByTestId('portal-header').getByTestId('brand-logo').waitFor({ timeout: WAIT });
    await assertAccessible(partner, 'the brand page');
  });

  await t.test('an unsafe theme value is refused; a colour changes the preview, then is saved', async () => {
    await partner.getByTestId('menu-theme').click();
    const field = partner.getByTestId('theme-primaryColor');
    await field.fill('red;}body{display:none');
    await see(partner.locator('#theme-primaryColor-problem'), 'Not accepted');
    await partner.getByTestId('theme-save').click();
    await see(partner.getByTestId('theme-error'), 'Some values are not accepted, so nothing was saved.');
    await field.fill(PRIMARY);
    await styled(partner.getByTestId('preview-console-button'), 'background-color', PRIMARY_RGB, 'the preview in the new colour before saving');
    await styled(partner.getByTestId('preview-launcher'), 'background-color', PRIMARY_RGB, "the widget's launcher in the preview too");
    await partner.getByTestId('theme-save').click();
    await see(partner.getByTestId('theme-status'), 'Theme saved.');
    await assertAccessible(partner, 'the theme page');
  });

  await t.test('an invalid CIDR is refused at its line; an IP range is added', async () => {
    await partner.getByTestId('menu-api').click();
    const list = partner.getByTestId('ip-list');
    await list.fill('203.0.113.0/24\n10.0.0.0/33');
    await partner.getByTestId('ip-save').click();
    await see(partner.getByTestId('ip-line-problem'), 'Line 2: 10.0.0.0/33 has an invalid prefix: after the slash, write a whole number from 0 to 32.');
    await see(partner.getByTestId('ip-error'), 'Nothing was saved');
    await list.fill('203.0.113.0/24');
    await partner.getByTestId('ip-save').click();
    await see(partner.getByTestId('ip-status'), 'The allow-list is saved (entries: 1) and applies at once.');
    await assertAccessible(partner, 'the API access page');
  });

  await t.test('an OAuth client is created; its secret is shown once', async () => {
    await partner.getByTestId('oauth-create').click();
    await partner.getByTestId('oauth-name').fill('Harbor billing');
    await partner.getByTestId('oauth-scope-partner-api').check();
    await partner.getByTestId('oauth-submit').click();
    const secret = await partner.getByTestId('oauth-secret-value').inputValue();
    assert.match(secret, /^pcs_/);
    await partner.getByTestId('oauth-secret-dismiss').click();
    await see(partner.getByTestId('oauth-client-row'), 'Harbor billing');
    assert.equal(await partner.evaluate((s) => document.body.innerHTML.includes(s), secret), false, 'the secret is gone from the page');
  });

  await t.test('a customer site is opened with its admin, disabled and re-enabled', async () => {
    await partner.getByTestId('menu-sites').click();
    await partner.getByTestId('sites-open').click();
    await partner.getByTestId('site-company').fill('Corner Shop');
    await partner.getByTestId('site-adminName').fill(boss.name);
    await partner.getByTestId('site-adminEmail').fill(boss.email);
    await partner.getByTestId('site-adminPassword').fill(boss.password);
    await partner.getByTestId('site-open-submit').click();
    siteId = Number(await (await see(partner.getByTestId('site-opened-id'), /\d+/)).textContent());
    assert.equal(await partner.getByTestId('site-opened-signin').inputValue(), `https://${slug}.parley.test/admin?siteId=${siteId}`, "the admin's sign-in address, on the partner's host");
    await partner.getByTestId('site-opened-done').click();
    const row = partner.getByTestId('site-row').filter({ hasText: 'Corner Shop' });
    await row.getByTestId('site-disable').click();
    await see(row.getByTestId('site-status'), 'Disabled');
    const refused = await client(app.url).post('/api/v1/auth/login', { email: boss.email, password: boss.password, siteId });
    assert.equal(refused.status, 401, "a disabled site's admin cannot sign in");
    await row.getByTestId('site-enable').click();
    await see(row.getByTestId('site-status'), 'Active');
    await assertAccessible(partner, 'the sites page');
  });

  await t.test("the customer's admin signs in on the partner's host and sees its logo and colour", async () => {
    const panel = await signInToPanel(browser, `${partnerOrigin}/admin?siteId=${siteId}`, boss.email, boss.password);
    const logoUrl = (await (await partnerPortal()).get('/api/v1/partner/profile')).body.logoUrl;
    assert.equal(await panel.getByTestId('brand-logo').getAttribute('src'), logoUrl, "the partner's logo");
    await styled(panel.getByTestId('site-save'), 'background-color', PRIMARY_RGB, "the partner's colour");
    await panel.context().close();
  });

  await t.test("the partner cannot reach another partner's portal or the platform admin", async () => {
    const other = await approvedPartner(app, 'Other Reseller');
    // On another partner's host, this partner's account does not exist.
    const elsewhere = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await elsewhere.goto(`${front.origin(`${other.slug}.parley.test`)}/partner`);
    await elsewhere.getByTestId('signin-email').fill(company.email);
    await elsewhere.getByTestId('signin-password').fill('harbor-portal-password');
    await elsewhere.getByTestId('signin-submit').click();
    await see(elsewhere.getByTestId('signin-error'), 'Wrong e-mail or password.');
    await elsewhere.context().close();
    // The platform admin, and acting on another partner, are the platform's sign-in only.
    for (const path of ['/platform', `/platform/partners/${other.partnerId}/profile`]) {
      await partner.goto(`${platform}${path}`);
      await partner.getByTestId('signin-form').waitFor({ timeout: WAIT });
      await see(partner.locator('h1'), 'Sign in to the platform admin');
      assert.equal(await partner.getByTestId('portal-body').count(), 0);
    }
    const token = await partnerTokenOf(partner);
    assert.equal((await client(app.url, token).get(`/api/v1/platform/partners/${other.partnerId}/profile`)).status, 403);
    assert.equal((await client(app.url, token).get('/api/v1/platform/partners')).status, 403);
  });

  await t.test('every other portal page passes axe', async () => {
    for (const id of ['profile', 'domains', 'sso', 'audit']) {
      await partner.goto(`${platform}/partner/${id}`);
      await partner.getByTestId(`page-${id}`).waitFor({ timeout: WAIT });
      await assertAccessible(partner, `the ${id} page`);
    }
  });

  await t.test("a forgotten password: the sign-in form on the partner's host sends a reset link", async () => {
    // As if the minute between two links to one user had passed since the approval's.
    await sql`update one_time_links set created_at = ${new Date(Date.now() - 120_000).toISOString()}`.execute(app.parley.database.db);
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(`${partnerOrigin}/partner`);
    await page.getByTestId('forgot-password').click();
    await page.getByTestId('forgot-form').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the forgot-password form');
    await page.getByTestId('forgot-email').fill(company.email);
    await page.getByTestId('forgot-submit').click();
    await see(page.getByTestId('forgot-sent'), `If ${company.email} belongs to a portal user, a link is on its way`);
    await app.parley.services.partners.resetsSettled();
    const mails = (await (await platformAdmin(app)).get(`/api/v1/platform/emails?to=${encodeURIComponent(company.email)}`)).body as { subject: string }[];
    assert.ok(
      mails.some((m) => m.subject === 'Reset your Parley partner-portal password'),
      mails.map((m) => m.subject).join(', '),
    );
    await page.getByTestId('back-to-signin').click();
    await page.getByTestId('signin-form').waitFor({ timeout: WAIT });
    await page.context().close();
  });

  /** The partner's portal API client, signed in with the password set on screen. */
  async function partnerPortal() {
    const login = await client(app.url).post('/api/v1/partner/login', { email: company.email, password: 'harbor-portal-password' });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return client(app.url, login.body.token);
  }
});

/** The portal token this tab keeps (the portal's session). */
async function partnerTokenOf(page: import('playwright-core').Page): Promise<string> {
  const token = await page.evaluate(() => sessionStorage.getItem('parley.partner.token'));
  assert.ok(token, 'the tab keeps a portal token');
  return token;
}
