// The sign-up page and the platform admin in real Chromium: a company applies on /apply (an e-mail
// the page refuses, then one only the server refuses, both said at the field), and sees what
// happens next; a platform admin signs in at /platform, rejects another application with a reason
// and approves this one (the partner it created is shown), reads the approval e-mail with its
// set-password link in the outbox, finds the new partner, suspends and reactivates it, and reads
// the audit log; a reload keeps the tab signed in, signing out ends the token. A partner's portal
// token is refused by the platform API. Every page is checked with axe-core, also at tablet width.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { startPanelStack } from './helpers/browser.ts';
import { approvedPartner, platformAdmin } from './helpers/partners.ts';
import { assertAccessible, see, shot, WAIT } from './helpers/screens.ts';

test('a company applies; a platform admin reviews, approves and rejects, and finds the partner and its e-mail', async (t) => {
  const { front, app, browser } = await startPanelStack(t, { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '100' });
  const origin = front.origin('parley.test');
  const applicant = { company: 'Northwind Chat', name: 'Nora North', email: 'nora@northwind.example' };
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();

  await t.test('the company applies; a wrong e-mail is refused at the field first', async () => {
    await page.goto(`${origin}/apply`);
    await page.getByTestId('apply-form').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the sign-up page');
    await page.getByTestId('apply-companyName').fill(applicant.company);
    await page.getByTestId('apply-contactName').fill(applicant.name);
    await page.getByTestId('apply-email').fill('nora at northwind');
    await page.getByTestId('apply-website').fill('https://northwind.example');
    await page.getByTestId('apply-submit').click();
    await see(page.locator('#apply-email-problem'), 'Enter an e-mail address such as name@company.com.', 'the e-mail refused at its field');
    assert.equal(await page.getByTestId('apply-email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'email', 'focus on the field to fix');
    await assertAccessible(page, 'the sign-up page with a refused field');
    await shot(page, 'platform-apply');

    // One the page lets through but the server's format refuses: the server's words, at the field.
    await page.getByTestId('apply-email').fill('nora@northwind..example');
    await page.getByTestId('apply-submit').click();
    await see(page.getByTestId('apply-error'), 'Some fields need a change');
    await see(page.locator('#apply-email-problem'), /email/i, "the server's refusal at the e-mail field");

    await page.getByTestId('apply-email').fill(applicant.email);
    await page.getByTestId('apply-submit').click();
    const done = await see(page.getByTestId('apply-done'), 'Thank you, your application is in');
    await see(done, `${applicant.email} receives an e-mail with a link to set the password`, 'what happens next');
    await assertAccessible(page, 'the confirmation');
  });

  // Another company, through the API, to be rejected.
  const other = await client(app.url).post('/api/v1/partner-applications', { companyName: 'Spam Unlimited', contactName: 'Sam Spam', email: 'sam@spam.example' });
  assert.equal(other.status, 201, JSON.stringify(other.body));

  await t.test('an unauthenticated visit to /platform is the sign-in form; a platform admin signs in', async () => {
    await page.goto(`${origin}/platform`);
    await page.getByTestId('signin-form').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the platform sign-in form');
    await page.getByTestId('signin-email').fill('admin@test.parley');
    await page.getByTestId('signin-password').fill('wrong-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').waitFor({ timeout: WAIT });
    await page.getByTestId('signin-password').fill('admin-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('page-applications').waitFor({ timeout: WAIT });
    await see(page.getByTestId('application-row'), applicant.company, 'the new application');
    await see(page.getByTestId('application-row'), 'Spam Unlimited', 'the other application');
    const companies = await page.getByTestId('application-row').locator('td:first-child').allTextContents();
    assert.deepEqual(companies, ['Spam Unlimited', applicant.company], 'newest first');
  });

  await t.test('another application is rejected with a reason', async () => {
    await page.getByRole('button', { name: 'View the application of Spam Unlimited' }).click();
    await see(page.getByTestId('application-detail'), 'sam@spam.example');
    await page.getByTestId('application-reject').click();
    const dialog = page.getByTestId('reject-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await page.waitForFunction(() => document.activeElement?.id === 'reject-reason', undefined, { timeout: WAIT });
    await page.getByTestId('reject-submit').click();
    await see(dialog, 'Give a reason', 'a reason is required');
    await page.getByTestId('reject-reason').fill('We do not take resellers of unsolicited messages.');
    await assertAccessible(page, 'the reject dialog');
    await page.getByTestId('reject-submit').click();
    await see(page.getByTestId('applications-status-line'), 'Spam Unlimited is rejected');
    const decided = await (await platformAdmin(app)).get(`/api/v1/platform/partner-applications/${other.body.id}`);
    assert.equal(decided.body.status, 'rejected');
    assert.equal(decided.body.reason, 'We do not take resellers of unsolicited messages.');
  });

  await t.test('the application is approved and the partner it created is shown', async () => {
    await page.getByRole('button', { name: `View the application of ${applicant.company}` }).click();
    await see(page.getByTestId('application-detail'), 'https://northwind.example');
    await page.getByTestId('application-approve').click();
    await page.getByTestId('approve-dialog').waitFor({ timeout: WAIT });
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('applications-status-line'), /Northwind Chat is approved\. The partner Northwind Chat \(northwind-chat\) was created/);
    await see(page.getByTestId('application-detail'), 'Approved');
    await page.getByTestId('applications-status').selectOption('approved');
    await see(page.getByTestId('application-row'), applicant.company, 'in the approved list');
    await assertAccessible(page, 'the applications page');
    await shot(page, 'platform-applications');
  });

  await t.test('the outbox has the approval e-mail with its set-password link', async () => {
    await page.getByTestId('menu-outbox').click();
    await page.getByTestId('outbox-table').waitFor({ timeout: WAIT });
    assert.match(page.url(), /\/platform\/outbox$/);
    const row = page.getByTestId('email-row').filter({ hasText: applicant.email }).filter({ hasText: 'Your Parley partner account is ready' });
    await row.getByTestId('email-read').click();
    const dialog = page.getByTestId('email-dialog');
    await dialog.waitFor({ timeout: WAIT });
    const link = dialog.locator('a[href*="/partner/set-password"]');
    assert.match(String(await link.getAttribute('href')), /^https:\/\/parley\.test(:\d+)?\/partner\/set-password\?partner=northwind-chat#token=/);
    await assertAccessible(page, 'an e-mail');
    await shot(page, 'platform-outbox');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'email-read', undefined, { timeout: WAIT });
    await see(page.getByTestId('email-row').filter({ hasText: 'sam@spam.example' }), 'Your Parley partner application', 'the rejection e-mail');
  });

  await t.test('the partners page lists the new partner; it is suspended and reactivated', async () => {
    await page.getByTestId('menu-partners').click();
    await page.getByTestId('partners-table').waitFor({ timeout: WAIT });
    await page.getByTestId('partners-search').fill('northwind');
    const row = page.getByTestId('partner-row').filter({ hasText: 'northwind-chat' });
    await see(row.getByTestId('partner-status'), 'Active');
    assert.equal(await page.getByTestId('partner-row').count(), 1, 'the search keeps only the match');
    await assertAccessible(page, 'the partners page');
    await row.getByTestId('partner-suspend').click();
    await page.getByTestId('suspend-dialog').getByTestId('confirm-button').click();
    await see(row.getByTestId('partner-status'), 'Suspended');
    await row.getByTestId('partner-reactivate').click();
    await see(row.getByTestId('partner-status'), 'Active');
    await page.getByTestId('partners-search').fill('nobody-like-this');
    await page.getByTestId('partners-empty').waitFor({ timeout: WAIT });
  });

  await t.test('the audit log shows the decisions', async () => {
    await page.getByTestId('menu-audit').click();
    await page.getByTestId('audit-table').waitFor({ timeout: WAIT });
    const actions = await page.getByTestId('audit-row').locator('td:nth-child(3)').allTextContents();
    assert.ok(actions.length >= 3, `entries: ${actions.join(', ')}`);
    await assertAccessible(page, 'the audit log');
  });

  await t.test('at tablet width, in another language, after a reload (the tab keeps its token)', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto(`${origin}/platform/applications`);
    await page.getByTestId('page-applications').waitFor({ timeout: WAIT });
    await page.getByTestId('language-select').selectOption('zh-CN');
    await see(page.locator('h1'), '申请');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 768px (${overflow}px)`);
    await assertAccessible(page, 'the applications page at tablet width');
    await page.getByTestId('language-select').selectOption('en');
  });

  await t.test('signing out ends the token; the platform API refuses it and a partner', async () => {
    const token = await page.evaluate(() => sessionStorage.getItem('parley.platform.token'));
    assert.ok(token);
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-form').waitFor({ timeout: WAIT });
    assert.equal(await page.evaluate(() => sessionStorage.getItem('parley.platform.token')), null);
    assert.equal((await client(app.url, token).get('/api/v1/platform/partners')).status, 401, 'the token is revoked');
    const partner = await approvedPartner(app, 'Other Partner');
    const refused = await partner.portal.get('/api/v1/platform/partners');
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal((await partner.portal.get('/api/v1/platform/partner-applications')).status, 403);
  });

  await context.close();
});
