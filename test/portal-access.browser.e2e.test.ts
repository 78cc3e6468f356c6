// The partner portal's API access page in real Chromium: a partner replaces its API key (asked
// first; the new key is shown once and works at the token endpoint while the old one is refused),
// creates an OAuth client with one scope (its secret shown once, gone after a reload, and good for
// the client_credentials grant), replaces the client's secret and revokes the client (the grant
// then fails), and edits the IP allow-list: wrong lines are refused in the browser, named by line,
// with nothing saved; a good list is saved and applies to the token endpoint at once. Another
// partner's portal token cannot touch the client. Every state is checked with axe-core, also at
// tablet width.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startPanelStack } from './helpers/browser.ts';
import { approvedPartner, postForm } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPortal, WAIT } from './helpers/screens.ts';

/** The text of the page's HTML: a secret once hidden must not be anywhere in it. */
const html = (page: Page) => page.content();

test('a partner replaces its API key, manages OAuth clients and sets the IP allow-list in the portal', async (t) => {
  const { front, app, browser } = await startPanelStack(t);
  const p = await approvedPartner(app, 'Keyholder Ltd');
  const other = await approvedPartner(app, 'Other Partner');
  const page = await signInToPortal(browser, front.origin(`${p.slug}.parley.test`), p.email, { page: 'api' });
  await page.getByTestId('page-api').waitFor({ timeout: WAIT });
  const tokenFor = (clientId: string, secret: string) => postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: secret });

  await t.test('the page shows the key by its first characters, the client ids, and an open allow-list', async () => {
    await see(page.locator('h1'), 'API access');
    await see(page.getByTestId('api-key-prefix'), `${p.apiKey.slice(0, 10)}…`, "the key's first characters");
    assert.ok(!(await html(page)).includes(p.apiKey), 'never the key itself');
    await see(page.getByTestId('api-key-client-id'), String(p.partnerId), "the partner id is the key's client_id");
    await see(page.getByTestId('api-first-client-id'), p.clientId);
    await see(page.getByTestId('ip-current'), 'The list is empty now: your credentials work from any address.');
    await see(page.getByTestId('oauth-client-row'), p.clientId, 'the client made at approval');
    const headings = await page.locator('h1, h2').allTextContents();
    assert.deepEqual(headings, ['API access', 'API key', 'OAuth clients', 'IP allow-list'], 'headings in order');
    await assertAccessible(page, 'the API access page');
  });

  let newKey = '';
  await t.test('replacing the API key asks first; the new key is shown once and works, the old one is refused', async () => {
    await page.getByTestId('api-key-rotate').click();
    const dialog = page.getByTestId('api-key-rotate-dialog');
    await see(dialog, 'The current key and every token issued with it stop working at once', 'what a replacement does');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'focus on the safe choice');
    await assertAccessible(page, 'the question before replacing the key');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'api-key-rotate', 'focus back on the button');
    assert.equal((await tokenFor(String(p.partnerId), p.apiKey)).status, 200, 'Escape replaced nothing');

    await page.getByTestId('api-key-rotate').click();
    await dialog.getByTestId('confirm-button').click();
    const box = page.getByTestId('api-key-secret');
    await see(box, 'it will not be shown again', 'the warning');
    newKey = await page.getByTestId('api-key-secret-value').inputValue();
    assert.match(newKey, /^ppk_/);
    assert.notEqual(newKey, p.apiKey);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'api-key-secret-value', 'the new key has the focus');
    await see(page.getByTestId('api-key-status'), 'The API key is replaced');
    await see(page.getByTestId('api-key-prefix'), `${newKey.slice(0, 10)}…`, "the new key's first characters");
    await assertAccessible(page, 'the new API key, shown once');

    const fresh = await tokenFor(String(p.partnerId), newKey);
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));
    const old = await tokenFor(String(p.partnerId), p.apiKey);
    assert.equal(old.status, 401, JSON.stringify(old.body));
    assert.equal(old.body.error, 'invalid_client');

    await page.getByTestId('api-key-secret-dismiss').click();
    await box.waitFor({ state: 'detached', timeout: WAIT });
    assert.ok(!(await html(page)).includes(newKey), 'the key is gone from the page once hidden');
  });

  const client = { id: 0, clientId: '', secret: '' };
  await t.test('a new OAuth client with one scope: checked in the dialog, its secret shown once and good for the grant', async () => {
    await page.getByTestId('oauth-create').click();
    const dialog = page.getByTestId('oauth-dialog');
    await dialog.waitFor({ timeout: WAIT });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'oauth-name', 'focus moves into the dialog');
    await assertAccessible(page, 'the new-client dialog');
    await page.getByTestId('oauth-submit').click();
    await see(page.locator('#oauth-name-problem'), 'Give the client a name.');
    await see(page.locator('#oauth-scopes-problem'), 'Choose at least one scope.');
    assert.equal(await page.getByTestId('oauth-name').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'the new-client dialog with its problems');

    // Site data offers every site or only some (this partner has none yet).
    await page.getByTestId('oauth-scope-site-data-read').check();
    await page.getByTestId('oauth-sites-some').check();
    await see(page.getByTestId('oauth-sites'), 'You have no sites yet.');
    await page.getByTestId('oauth-submit').click();
    await see(page.locator('#oauth-sites-problem'), 'Choose at least one site, or allow every site.');
    await page.getByTestId('oauth-scope-site-data-read').uncheck();

    await page.getByTestId('oauth-name').fill('Billing back end');
    await page.getByTestId('oauth-scope-partner-api').check();
    await page.getByTestId('oauth-submit').click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    const box = page.getByTestId('oauth-secret');
    await see(box, 'it will not be shown again');
    await see(page.getByTestId('oauth-status'), 'The client Billing back end is created.');
    client.secret = await page.getByTestId('oauth-secret-value').inputValue();
    assert.match(client.secret, /^pcs_/);
    const row = await see(page.getByTestId('oauth-client-row'), 'Billing back end');
    client.clientId = (await row.getAttribute('data-client-id')) ?? '';
    assert.match(client.clientId, /^pcl_/);
    await see(page.getByTestId('oauth-secret-client-id'), client.clientId, 'the secret names its client id');
    assert.deepEqual(await row.locator('.scope-list li').allTextContents(), ['partner-api']);
    await see(row.getByTestId('oauth-client-state'), 'Active');
    await assertAccessible(page, 'the new client with its secret');
    await shot(page, 'portal-api');

    const granted = await tokenFor(client.clientId, client.secret);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.equal(granted.body.scope, 'partner-api');
    const listed = await p.portal.get('/api/v1/partner/oauth-clients');
    client.id = listed.body.find((c: { clientId: string }) => c.clientId === client.clientId).id;
  });

  await t.test('after a reload the secret is not shown', async () => {
    await page.reload();
    await see(page.getByTestId('oauth-client-row'), 'Billing back end');
    assert.equal(await page.getByTestId('oauth-secret').count(), 0);
    assert.ok(!(await html(page)).includes(client.secret), 'the secret is nowhere in the page');
  });

  await t.test("another partner's portal token cannot replace the secret of or revoke the client", async () => {
    assert.equal((await other.portal.post(`/api/v1/partner/oauth-clients/${client.id}/rotate-secret`)).status, 404);
    assert.equal((await other.portal.delete(`/api/v1/partner/oauth-clients/${client.id}`)).status, 404);
    assert.ok(!JSON.stringify((await other.portal.get('/api/v1/partner/oauth-clients')).body).includes(client.clientId), "not in the other partner's list");
    assert.equal((await tokenFor(client.clientId, client.secret)).status, 200, 'the client still works');
  });

  await t.test("replacing the client's secret: the new one is shown once and works, the old one is refused", async () => {
    const row = await see(page.getByTestId('oauth-client-row'), 'Billing back end');
    await row.getByRole('button', { name: 'Replace the secret of Billing back end' }).click();
    const dialog = page.getByTestId('oauth-rotate-dialog');
    await see(dialog, 'The current secret and every token issued with it stop working at once.');
    await assertAccessible(page, 'the question before replacing a secret');
    await dialog.getByTestId('confirm-button').click();
    await see(page.getByTestId('oauth-status'), 'The secret of Billing back end is replaced');
    const secret = await page.getByTestId('oauth-secret-value').inputValue();
    assert.match(secret, /^pcs_/);
    assert.notEqual(secret, client.secret);
    await see(row.getByTestId('oauth-client-state'), 'secret replaced');
    assert.equal((await tokenFor(client.clientId, client.secret)).status, 401, 'the old secret');
    assert.equal((await tokenFor(client.clientId, secret)).status, 200, 'the new secret');
    client.secret = secret;
    await page.getByTestId('oauth-secret-dismiss').click();
    await page.getByTestId('oauth-secret').waitFor({ state: 'detached', timeout: WAIT });
  });

  await t.test('revoking the client asks first; then the grant fails', async () => {
    const row = await see(page.getByTestId('oauth-client-row'), 'Billing back end');
    await row.getByRole('button', { name: 'Revoke Billing back end' }).click();
    const dialog = page.getByTestId('oauth-revoke-dialog');
    await see(dialog, 'This cannot be undone.');
    await dialog.getByTestId('confirm-button').click();
    await see(page.getByTestId('oauth-status'), 'Billing back end is revoked');
    await see(row.getByTestId('oauth-client-state'), 'Revoked');
    assert.equal(await row.getByRole('button').count(), 0, 'a revoked client has no actions');
    const refused = await tokenFor(client.clientId, client.secret);
    assert.equal(refused.status, 401, JSON.stringify(refused.body));
    assert.equal((await tokenFor(p.clientId, p.clientSecret)).status, 200, 'the other client still works');
    await assertAccessible(page, 'the list with a revoked client');
  });

  await t.test('wrong allow-list lines are refused in the browser, each named by its line, and nothing is saved', async () => {
    const field = page.getByTestId('ip-list');
    await field.fill(['203.0.113.0/24', '10.0.0.0/33', '', '300.1.1.1', '10.0.0/8', 'abc'].join('\n'));
    await page.getByTestId('ip-save').click();
    await see(page.getByTestId('ip-error'), 'Nothing was saved: fix the lines named below.');
    const problems = await page.getByTestId('ip-line-problem').allTextContents();
    assert.equal(problems.length, 4, problems.join(' | '));
    assert.match(problems[0]!, /^Line 2: 10\.0\.0\.0\/33 has an invalid prefix: after the slash, write a whole number from 0 to 32\./);
    assert.match(problems[1]!, /^Line 4: 300\.1\.1\.1 has a number above 255/);
    assert.match(problems[2]!, /^Line 5: 10\.0\.0\/8 is not a whole IPv4 address/);
    assert.match(problems[3]!, /^Line 6: abc is a host name/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ip-list', 'focus on the list to fix');
    const profile = await p.portal.get('/api/v1/partner/profile');
    assert.deepEqual(profile.body.ipRestrictions, [], 'nothing saved');
    await assertAccessible(page, 'the allow-list with refused lines');
    await shot(page, 'portal-api-ip');
  });

  await t.test('a good allow-list is saved, applies to the token endpoint at once, and is there after a reload', async () => {
    await page.getByTestId('ip-list').fill('203.0.113.0/24\n\n2001:DB8::/32\n');
    await page.getByTestId('ip-save').click();
    await see(page.getByTestId('ip-status'), 'The allow-list is saved (entries: 2)');
    assert.equal(await page.getByTestId('ip-line-problem').count(), 0);
    assert.equal(await page.getByTestId('ip-list').inputValue(), '203.0.113.0/24\n2001:db8::/32', 'in canonical form');
    await see(page.getByTestId('ip-current'), 'only from the addresses in the list (entries: 2)');
    assert.deepEqual((await p.portal.get('/api/v1/partner/profile')).body.ipRestrictions, ['203.0.113.0/24', '2001:db8::/32']);
    // This test calls from 127.0.0.1, which the list leaves out.
    const refused = await tokenFor(String(p.partnerId), newKey);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.error, 'unauthorized_client');
    await assertAccessible(page, 'the saved allow-list');

    await page.reload();
    await page.getByTestId('ip-list').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('ip-list').inputValue(), '203.0.113.0/24\n2001:db8::/32');
  });

  await t.test('at tablet width the page and its dialog fit and stay accessible', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByTestId('api-key-section').waitFor({ timeout: WAIT });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 768px (${overflow}px)`);
    await assertAccessible(page, 'the API access page at tablet width');
    await page.getByTestId('oauth-create').click();
    await page.getByTestId('oauth-dialog').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the new-client dialog at tablet width');
    await page.keyboard.press('Escape');
    await page.getByTestId('oauth-dialog').waitFor({ state: 'detached', timeout: WAIT });
  });
});
