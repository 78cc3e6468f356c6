// The control panel's mobile app page in real Chromium, as a site admin: the standard skills added,
// MobChg given a group, a name the server refuses said in the dialog, a skill deleted after asking;
// JWT turned on and its secret shown once (gone after a reload), then replaced after asking.
// Checked with axe-core and kept as a screenshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startPanelStack } from './helpers/browser.ts';
import { approvedPartner, openSiteFor } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPanel, WAIT } from './helpers/screens.ts';

test("a site admin adds the standard skills, routes MobChg to a group and turns on JWT verification with a secret shown once", async (t) => {
  const { front, app, browser } = await startPanelStack(t);

  const partner = await approvedPartner(app, 'Next Bank Partner');
  const parleyOrigin = front.origin(`${partner.slug}.parley.test`);
  const boss = { email: 'boss@bank.example', password: 'bank-boss-password' };
  const { siteId, admin } = await openSiteFor(app, partner, 'Next Bank', boss);
  const team = await admin.post('/api/v1/groups', { name: 'Phone team' });
  assert.equal(team.status, 201, JSON.stringify(team.body));

  const page = await signInToPanel(browser, `${parleyOrigin}/admin/mobile-app?siteId=${siteId}`, boss.email, boss.password, { width: 1280, height: 1500 });
  await page.getByTestId('page-mobileApp').waitFor({ timeout: WAIT });
  await see(page.getByTestId('menu-mobileApp'), 'Mobile app');
  await page.getByTestId('skills-empty').waitFor({ timeout: WAIT });
  const rows = page.getByTestId('skill-row');
  const row = (name: string) => page.locator(`[data-testid="skill-row"][data-skill-name="${name}"]`);

  await t.test('the standard skills are added with their deep links; MobChg is given a group', async () => {
    await page.getByTestId('skills-presets').click();
    await see(page.getByTestId('skills-status'), 'The standard skills are in the list.');
    await page.getByTestId('skills-table').waitFor({ timeout: WAIT });
    assert.equal(await rows.count(), 8);
    await see(row('MobChg').getByTestId('skill-link'), 'mob_chg');
    await see(row('MobChg').getByTestId('skill-link'), 'Settings');
    await see(row('Generic').getByTestId('skill-link'), 'None');

    await row('MobChg').getByTestId('skill-edit').click();
    const dialog = page.getByTestId('skill-dialog');
    await dialog.waitFor({ timeout: WAIT });
    assert.equal(await dialog.getByTestId('skill-action').inputValue(), 'mob_chg');
    await dialog.getByTestId('skill-group').selectOption({ label: 'Phone team' });
    await dialog.getByTestId('skill-save').click();
    await see(page.getByTestId('skills-status'), 'The skill MobChg is saved.');
    await see(row('MobChg').getByTestId('skill-group'), 'Phone team');
    const stored = ((await admin.get('/api/v1/webview/skills')).body as { name: string; groupId: number | null }[]).find((s) => s.name === 'MobChg');
    assert.equal(stored?.groupId, team.body.id);
  });

  await t.test('a name the server refuses is said in the dialog, at its field', async () => {
    await page.getByTestId('skill-add').click();
    const dialog = page.getByTestId('skill-dialog');
    await dialog.getByTestId('skill-name').fill('Mob Chg');
    await dialog.getByTestId('skill-save').click();
    await dialog.getByTestId('skill-form-error').waitFor({ timeout: WAIT });
    assert.equal(await dialog.getByTestId('skill-name').getAttribute('aria-invalid'), 'true');
    await page.locator('#skill-name-problem').waitFor({ timeout: WAIT });
    await dialog.getByTestId('skill-name').fill('mobchg');
    await dialog.getByTestId('skill-save').click();
    await see(dialog.getByTestId('skill-form-error'), 'already exists');
    await assertAccessible(page, 'a refused skill');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await rows.count(), 8, 'nothing was added');
  });

  await t.test('a skill is deleted after asking', async () => {
    await row('Mortgage').getByTestId('skill-delete').click();
    await page.getByTestId('skill-delete-dialog').getByTestId('confirm-button').click();
    await see(page.getByTestId('skills-status'), 'The skill Mortgage is deleted.');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="skill-row"]').length === 7, undefined, { timeout: WAIT });
  });

  await t.test('JWT on: the secret is shown once, never again after a reload, and replaced after asking', async () => {
    assert.equal(await page.getByTestId('token-mode-none').isChecked(), true);
    assert.equal(await page.getByTestId('token-has-secret').getAttribute('data-has-secret'), 'false');
    await page.getByTestId('token-mode-jwt').check();
    await page.getByTestId('token-save').click();
    await see(page.getByTestId('token-status'), 'a secret is made');
    await see(page.getByTestId('token-secret-box'), 'It will not be shown again.');
    const secret = await page.getByTestId('token-secret-value').inputValue();
    assert.match(secret, /^pws_[A-Za-z0-9_-]{43}$/);
    const view = (await admin.get('/api/v1/webview/settings')).body;
    assert.deepEqual([view.mode, view.hasSecret, 'secret' in view], ['jwt', true, false]);
    await assertAccessible(page, 'the mobile app page with a new secret');
    await shot(page, 'admin-mobile-app');

    await page.reload();
    await page.getByTestId('token-form').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('token-mode-jwt').isChecked(), true);
    assert.equal(await page.getByTestId('token-has-secret').getAttribute('data-has-secret'), 'true');
    assert.equal(await page.getByTestId('token-secret-box').count(), 0, 'not shown again');

    await page.getByTestId('token-rotate').click();
    await page.getByTestId('token-rotate-dialog').getByTestId('confirm-button').click();
    await see(page.getByTestId('token-status'), 'The secret is replaced.');
    const replaced = await page.getByTestId('token-secret-value').inputValue();
    assert.match(replaced, /^pws_/);
    assert.notEqual(replaced, secret);
  });
});
