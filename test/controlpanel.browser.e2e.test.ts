// The control panel in real Chromium, on the partner's Parley host: a site admin signs in at /admin,
// edits the site profile, adds an agent, puts them in a group, lets the group edit the site
// profile and view reports (not manage agents), edits, deactivates and reactivates the agent, sets
// the IP restrictions (a wrong entry first), and resets the agent's password. Signed in with it, the agent sees only the site profile in the
// menu, is told an agent page is not theirs, and the API refuses them (403 problem+json), while
// the site profile works, in any of the four languages; the campaigns and settings pages refuse it
// the same way. Every page is checked with axe-core and kept as a screenshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { client } from './helpers/api.ts';
import { startPanelStack } from './helpers/browser.ts';
import { approvedPartner, openSiteFor } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPanel, styled, WAIT } from './helpers/screens.ts';

/** Calls the API from the page, with its session cookie and CSRF token, as the panel does. */
function callFrom(page: Page, method: string, path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/api/v1/auth/session')).json()) as { csrfToken: string };
      const res = await fetch(path, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Record<string, unknown> };
    },
    { method, path, body },
  );
}

test('a site admin runs the site from the control panel; an agent sees and may use only what it was granted', async (t) => {
  const { front, app, browser } = await startPanelStack(t);

  const partner = await approvedPartner(app, 'Acme Support');
  const parleyOrigin = front.origin(`${partner.slug}.parley.test`);
  const theme = await partner.portal.put('/api/v1/partner/theme', {
    pairs: [
      { cssKey: 'primaryColor', cssValue: '#0f766e' },
      { cssKey: 'headerBackgroundColor', cssValue: '#134e4a' },
      { cssKey: 'headerTextColor', cssValue: '#ffffff' },
    ],
  });
  assert.equal(theme.status, 200, JSON.stringify(theme.body));
  const boss = { email: 'boss@shop.example', password: 'shop-boss-password' };
  const { siteId, admin } = await openSiteFor(app, partner, 'Corner Shop', boss);
  const panelUrl = `${parleyOrigin}/admin?siteId=${siteId}`;
  const rita = { name: 'Rita Reports', email: 'rita@shop.example' };

  // ---- The site admin signs in; the first page is the site profile. ----
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const boot = await context.newPage();
  await boot.goto(panelUrl);
  await boot.getByTestId('signin-form').waitFor({ timeout: WAIT });
  await assertAccessible(boot, 'the sign-in form');
  await boot.close();
  const page = await signInToPanel(browser, panelUrl, boss.email, boss.password);
  await context.close();

  await t.test("the site profile, in the partner's brand, saved", async () => {
    await page.getByTestId('page-site').waitFor({ timeout: WAIT });
    await see(page.getByTestId('brand-name'), 'Acme Support', "the partner's name");
    await styled(page.getByTestId('panel-header'), 'background-color', 'rgb(19, 78, 74)', "the header in the partner's colour");
    await page.getByTestId('site-website').fill('https://corner.example');
    await page.getByTestId('site-city').fill('Lisbon');
    await page.getByTestId('site-timeZone').selectOption('Europe/Lisbon');
    await page.getByTestId('site-companySize').selectOption('11-50');
    await page.getByTestId('site-save').click();
    await see(page.getByTestId('site-status'), 'The site profile is saved.');
    const site = await admin.get('/api/v1/site');
    assert.equal(site.status, 200);
    assert.deepEqual([site.body.website, site.body.city, site.body.timeZone, site.body.companySize], ['https://corner.example', 'Lisbon', 'Europe/Lisbon', '11-50']);
    await assertAccessible(page, 'the site profile');
    await shot(page, 'admin-site-profile');
  });

  await t.test('an agent is added with a generated password, a routing tier and capacity', async () => {
    await page.getByTestId('menu-agents').click();
    await page.getByTestId('agents-table').waitFor({ timeout: WAIT });
    assert.match(page.url(), /\/admin\/agents\?siteId=/, 'the address names the page');
    await page.getByTestId('agent-add').click();
    const dialog = page.getByTestId('agent-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await page.getByTestId('agent-form-name').fill(rita.name);
    await page.getByTestId('agent-form-email').fill(rita.email);
    await page.getByTestId('agent-form-generate').click();
    assert.match(await page.getByTestId('agent-form-password').inputValue(), /^[A-Za-z2-9]{16}$/);
    await page.getByTestId('agent-form-max-chats').fill('3');
    await page.getByTestId('agent-form-tier').fill('2');
    await assertAccessible(page, 'the agent dialog');
    await shot(page, 'admin-agent-dialog');
    await page.getByTestId('agent-form-save').click();
    await see(page.getByTestId('agents-status'), `${rita.name} is added.`);
    await see(page.getByTestId('agent-row'), rita.name);
    const agents = (await admin.get('/api/v1/agents')).body as { email: string; maxConcurrentChats: number; priority: number }[];
    const made = agents.find((a) => a.email === rita.email);
    assert.deepEqual([made?.maxConcurrentChats, made?.priority], [3, 2], JSON.stringify(made));
    await assertAccessible(page, 'the agents page');
    await shot(page, 'admin-agents');
  });

  await t.test('a group is made with the agent in it', async () => {
    await page.getByTestId('menu-groups').click();
    await page.getByTestId('groups-empty').waitFor({ timeout: WAIT });
    await page.getByTestId('group-add').click();
    await page.getByTestId('group-form-name').fill('Reporting');
    await page.getByRole('checkbox', { name: new RegExp(rita.name) }).check();
    await assertAccessible(page, 'the group dialog');
    await page.getByTestId('group-form-save').click();
    const row = await see(page.getByTestId('group-row'), 'Reporting');
    await see(row.getByTestId('group-members'), rita.name);
    await assertAccessible(page, 'the groups page');
    await shot(page, 'admin-groups');
  });

  await t.test('the group may edit the site profile and view reports, not manage agents', async () => {
    await page.getByTestId('menu-permissions').click();
    await page.getByTestId('permissions-matrix').waitFor({ timeout: WAIT });
    const group = page.locator('[data-testid="matrix-row"][data-kind="group"]');
    await group.locator('input[data-permission="viewReports"]').check();
    await group.locator('input[data-permission="editSiteProfile"]').check();
    await see(page.getByTestId('permissions-status'), 'Unsaved changes: 1');
    await page.getByTestId('permissions-save').click();
    await see(page.getByTestId('permissions-status'), 'The permissions are saved.');
    const matrix = (await admin.get('/api/v1/permissions')).body as { groups: { name: string; granted: string[] }[]; agents: { name: string; effective: string[] }[] };
    assert.deepEqual(matrix.groups.find((g) => g.name === 'Reporting')?.granted, ['editSiteProfile', 'viewReports']);
    const effective = matrix.agents.find((a) => a.name === rita.name)?.effective ?? [];
    assert.ok(effective.includes('viewReports') && !effective.includes('manageAgents'), JSON.stringify(effective));
    const ritaRow = page.locator('[data-testid="matrix-row"][data-kind="agent"]', { hasText: rita.name });
    await ritaRow.locator('[data-testid="via-group"]').first().waitFor({ timeout: WAIT });
    assert.equal(await ritaRow.locator('[data-testid="via-group"]').count(), 2, 'two permissions through the group');
    await assertAccessible(page, 'the permissions page');
    await shot(page, 'admin-permissions');
  });

  await t.test('the agent is edited, deactivated and reactivated', async () => {
    await page.getByTestId('menu-agents').click();
    const row = await see(page.getByTestId('agent-row'), rita.name);
    await see(row.getByTestId('agent-groups'), 'Reporting');
    await row.getByTestId('agent-edit').click();
    await page.getByTestId('agent-form-max-chats').fill('4');
    await page.getByTestId('agent-form-avatar').fill('https://pictures.example/rita.png');
    assert.equal(await page.locator('[data-testid="agent-form-group"]').first().isChecked(), true, 'the dialog shows the group');
    await page.getByTestId('agent-form-save').click();
    await see(page.getByTestId('agents-status'), `The changes to ${rita.name} are saved.`);
    const byEmail = async () => ((await admin.get('/api/v1/agents')).body as { email: string; maxConcurrentChats: number; avatarUrl: string | null; isActive: boolean }[]).find((a) => a.email === rita.email)!;
    assert.deepEqual([(await byEmail()).maxConcurrentChats, (await byEmail()).avatarUrl], [4, 'https://pictures.example/rita.png']);
    await row.getByTestId('agent-deactivate').click();
    await see(page.getByTestId('agents-status'), `${rita.name} is deactivated and signed out.`);
    assert.equal((await byEmail()).isActive, false);
    await page.locator(`[data-testid="agent-row"][data-active="false"]`).getByTestId('agent-reactivate').click();
    await see(page.getByTestId('agents-status'), `${rita.name} can sign in again.`);
    assert.equal((await byEmail()).isActive, true);
  });

  await t.test("the IP restrictions: the server's refusal of a wrong entry is shown on its line, then a good list is saved", async () => {
    await page.getByTestId('menu-ipRestrictions').click();
    await page.getByTestId('ip-form').waitFor({ timeout: WAIT });
    await page.getByTestId('ip-refusedVisitors').fill('198.51.100.7\n\n10.0.0.1/8');
    await page.getByTestId('ip-save').click();
    await see(page.getByTestId('ip-refusedVisitors-errors'), /^Line 3: /, 'the wrong entry named by its line');
    assert.equal(await page.getByTestId('ip-refusedVisitors').getAttribute('aria-invalid'), 'true');
    await page.getByTestId('ip-refusedVisitors').fill('198.51.100.7\n203.0.113.0/24\n2001:DB8::/32');
    await page.getByTestId('ip-save').click();
    await see(page.getByTestId('ip-status'), 'The IP restrictions are saved.');
    const saved = await admin.get('/api/v1/site/ip-restrictions');
    assert.deepEqual(saved.body.refusedVisitors, ['198.51.100.7', '203.0.113.0/24', '2001:db8::/32']);
    assert.equal(await page.getByTestId('ip-refusedVisitors').inputValue(), saved.body.refusedVisitors.join('\n'), 'the list shows as saved (canonical form)');
    await assertAccessible(page, 'the IP restrictions page');
    await shot(page, 'admin-ip-restrictions');
  });

  let ritaPassword = '';
  await t.test("the agent's password is reset and shown once", async () => {
    await page.getByTestId('menu-agents').click();
    const row = await see(page.getByTestId('agent-row'), rita.name);
    await row.getByTestId('agent-password').click();
    await page.getByTestId('password-confirm').click();
    ritaPassword = await page.getByTestId('password-value').inputValue();
    assert.ok(ritaPassword.length >= 8, ritaPassword);
    await assertAccessible(page, 'the new password');
    await page.getByTestId('password-done').click();
    const login = await client(app.url).post('/api/v1/auth/login', { email: rita.email, password: ritaPassword, siteId });
    assert.equal(login.status, 200, 'the new password signs in');
  });

  await t.test('the agent sees only what it may use; the API refuses the rest', async () => {
    const ritaPage = await signInToPanel(browser, panelUrl, rita.email, ritaPassword);
    await ritaPage.getByTestId('page-site').waitFor({ timeout: WAIT });
    const menu = ritaPage.getByTestId('panel-menu');
    assert.deepEqual(await menu.locator('a').allTextContents(), ['Site profile', 'Reports'], 'her group’s two permissions; no agent management');
    // The permitted page works.
    await ritaPage.getByTestId('site-phoneNumber').fill('+351 21 000 0000');
    await ritaPage.getByTestId('site-save').click();
    await see(ritaPage.getByTestId('site-status'), 'The site profile is saved.');
    assert.equal((await admin.get('/api/v1/site')).body.phoneNumber, '+351 21 000 0000');
    // The agents page, opened by its address, says it is not for this agent.
    await ritaPage.goto(`${parleyOrigin}/adminManage/adminPanel/agentProfile.html?siteId=${siteId}`);
    await see(ritaPage.getByTestId('page-denied'), /Manage agents and groups/);
    assert.equal(await ritaPage.getByTestId('agents-table').count(), 0);
    await assertAccessible(ritaPage, 'a page the agent may not use');
    await shot(ritaPage, 'admin-denied');
    // And the server refuses it anyway.
    const refused = await callFrom(ritaPage, 'POST', '/api/v1/agents', { email: 'mallory@shop.example', name: 'Mallory', password: 'mallory-pass-1' });
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.match(refused.type, /^application\/problem\+json/);
    assert.equal(refused.body.reason, 'permission');
    assert.equal(refused.body.permission, 'manageAgents');
    const list = await callFrom(ritaPage, 'GET', '/api/v1/permissions');
    assert.equal(list.status, 403);
    assert.equal(((await admin.get('/api/v1/agents')).body as { email: string }[]).some((a) => a.email === 'mallory@shop.example'), false, 'nothing was created');
    // The same for the campaigns and settings pages, and their calls.
    for (const [path, permission, call] of [
      ['/admin/campaigns', 'Manage campaigns', ['POST', '/api/v1/campaigns', { name: 'Mallory' }]],
      ['/admin/webhook', 'Manage settings', ['PUT', '/api/v1/im/webhook', { callbackUrl: 'https://mallory.example/hook' }]],
      ['/admin/mobile-app', 'Manage settings', ['POST', '/api/v1/webview/skills', { name: 'Mallory' }]],
      ['/admin/canned-messages', 'Manage canned messages', ['POST', '/api/v1/canned-messages', { shortcut: 'mallory', title: 'M', content: 'M', shared: true }]],
    ] as const) {
      await ritaPage.goto(`${parleyOrigin}${path}?siteId=${siteId}`);
      await see(ritaPage.getByTestId('page-denied'), permission, `${path} refused`);
      const answer = await callFrom(ritaPage, call[0], call[1], call[2]);
      assert.equal(answer.status, 403, `${call[0]} ${call[1]}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.reason, 'permission');
    }
    assert.deepEqual((await admin.get('/api/v1/campaigns')).body, [], 'no campaign was created');
    assert.equal((await admin.get('/api/v1/im/webhook')).body.callbackUrl, null, 'the webhook is unchanged');
    assert.deepEqual((await admin.get('/api/v1/webview/skills')).body, [], 'no skill was created');
    await ritaPage.goto(`${parleyOrigin}/adminManage/adminPanel/agentProfile.html?siteId=${siteId}`);
    await ritaPage.getByTestId('page-denied').waitFor({ timeout: WAIT });
    // The panel speaks the console's languages, from the same switch.
    await ritaPage.getByTestId('language-select').selectOption('zh-CN');
    assert.deepEqual(await menu.locator('a').allTextContents(), ['站点资料', '报表']);
    await see(ritaPage.getByTestId('page-denied'), /管理客服和分组/);
    await ritaPage.context().close();
  });

  await t.test('the agent is deleted after a confirmation', async () => {
    const row = await see(page.getByTestId('agent-row'), rita.name);
    await row.getByTestId('agent-delete').click();
    await page.getByTestId('agent-delete-dialog').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the delete confirmation');
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('agents-status'), `${rita.name} is deleted.`);
    await page.getByTestId('agent-row').filter({ hasText: rita.name }).waitFor({ state: 'detached', timeout: WAIT });
    const login = await client(app.url).post('/api/v1/auth/login', { email: rita.email, password: ritaPassword, siteId });
    assert.equal(login.status, 401);
  });
});
