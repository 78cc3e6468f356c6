// Campaigns made in the control panel, in real Chromium: a site admin creates two campaigns at
// /admin/campaigns, gives the second its colour and texts, a pre-chat form with a field of its own
// (a wrong name first: the server's refusal shows under the field) and an invitation after 5 s on
// /pricing, and copies its widget tag. The customer's pages carry exactly that tag: the widget
// shows the invitation on /pricing after 5 s and the form to a new visitor. Then a campaign is
// renamed and deleted, and the page is opened body-only at the spec's address. Every state is
// checked with axe-core and kept as a screenshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { client } from './helpers/api.ts';
import { startPanelStack } from './helpers/browser.ts';
import { openPrechatForm, seeInvitation, serveShop } from './helpers/campaigns.ts';
import { approvedPartner, openSiteFor } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPanel, WAIT } from './helpers/screens.ts';

/** Waits until the element with this test id (or, with `byId`, this id) has the focus. */
async function focused(page: Page, which: string, what: string, byId = false): Promise<void> {
  await page
    .waitForFunction(([w, id]) => (id ? document.activeElement?.id : document.activeElement?.getAttribute('data-testid')) === w, [which, byId] as const, { timeout: WAIT })
    .catch(() => assert.fail(`${what}: the focus is on ${which}`));
}

/** Creates a campaign with the New campaign dialog; the editor then shows it. */
async function createCampaign(page: Page, name: string): Promise<void> {
  await page.getByTestId('campaign-add').click();
  await page.getByTestId('campaign-name').fill(name);
  await page.getByTestId('campaign-name-save').click();
  await see(page.getByTestId('campaigns-status'), `The campaign ${name} is created.`);
  await see(page.getByTestId('campaign-editor').locator('h2'), `Settings of ${name}`);
}

test('a campaign made in the control panel: its tag shows its pre-chat form, and its invitation after 5 s on /pricing', async (t) => {
  const { front, app, browser } = await startPanelStack(t);

  const partner = await approvedPartner(app, 'Acme Support');
  const parleyOrigin = front.origin(`${partner.slug}.parley.test`);
  const boss = { email: 'boss@tea.example', password: 'tea-boss-password' };
  const { siteId, admin } = await openSiteFor(app, partner, 'Tea House', boss);
  const ann = { email: 'ann@tea.example', password: 'ann-password-1', name: 'Ann Leaf' };
  assert.equal((await admin.post('/api/v1/agents', ann)).status, 201);
  const annApi = client(app.url, (await client(app.url).post('/api/v1/auth/login', { email: ann.email, password: ann.password, siteId })).body.token);
  assert.equal((await annApi.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);

  const page = await signInToPanel(browser, `${parleyOrigin}/admin/campaigns?siteId=${siteId}`, boss.email, boss.password, { width: 1280, height: 900 });
  const invitation = 'Questions about our tea subscriptions?';
  let tag = '';
  let pricingId = 0;

  await t.test('no campaigns yet, then two; the first is the default', async () => {
    await page.getByTestId('campaigns-empty').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the campaigns page without campaigns');
    await createCampaign(page, 'Everywhere');
    await page.getByTestId('campaign-add').click();
    await assertAccessible(page, 'the new campaign dialog');
    await page.getByTestId('campaign-name').fill('Everywhere');
    await page.getByTestId('campaign-name-save').click();
    await see(page.getByTestId('campaign-name-error'), 'A campaign named Everywhere already exists in this site.', "the server's detail");
    await page.getByTestId('campaign-name').fill('Pricing pages');
    await page.getByTestId('campaign-name-save').click();
    await see(page.getByTestId('campaigns-status'), 'The campaign Pricing pages is created.');
    const rows = page.getByTestId('campaign-row');
    assert.equal(await rows.count(), 2);
    await see(rows.first(), 'Default');
    await focused(page, 'campaign-editor-title', 'the new campaign’s settings', true);
    pricingId = Number(await page.getByTestId('campaign-editor').getAttribute('data-campaign-id'));
    assert.ok(pricingId > 0);
  });

  await t.test("the campaign's look, pre-chat form and invitation: a wrong field name is refused where it was typed", async () => {
    await page.getByTestId('campaign-color-theme').uncheck();
    await page.getByTestId('campaign-color-hex').fill('#14532d');
    await page.getByTestId('campaign-position-left').check();
    await page.getByTestId('campaign-button-text').fill('Ask us');
    await page.getByTestId('campaign-title').fill('Tea House');
    await page.getByTestId('campaign-prechat-enabled').check();
    await page.getByTestId('campaign-prechat-message').fill('Who are we talking to?');
    // The default form is name, email, question: e-mail goes, the company comes before the question.
    const fields = page.getByTestId('campaign-field');
    await fields.nth(1).getByTestId('campaign-field-remove').click();
    await focused(page, 'campaign-field-add', 'after a removal');
    await page.getByTestId('campaign-field-add').click();
    const company = fields.nth(2);
    await company.getByTestId('campaign-field-name').fill('Company');
    await company.getByTestId('campaign-field-label').fill('Your company');
    await company.getByTestId('campaign-field-up').click();
    assert.deepEqual(await page.getByTestId('campaign-field-name').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['name', 'Company', 'question']);
    await focused(page, 'campaign-field-up', 'the moved row');
    await page.getByTestId('campaign-rule-add').click();
    await page.getByTestId('campaign-rule-afterSeconds').fill('5');
    await page.getByTestId('campaign-rule-urlContains').fill('/pricing');
    await page.getByTestId('campaign-rule-message').fill(invitation);

    await page.getByTestId('campaign-save').click();
    await see(page.getByTestId('campaign-error'), 'The request does not match the schema.');
    const name = page.getByTestId('campaign-field-name').nth(1);
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    const described = (await name.getAttribute('aria-describedby')) ?? '';
    const problem = page.locator(`[id="${described.split(' ').at(-1)}"]`);
    await see(problem, 'Use lower-case letters, digits and _, starting with a letter (such as company).', 'what is wrong, under the field');
    await assertAccessible(page, 'a campaign the server refused');
    await name.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await shot(page, 'admin-campaign-refused');

    await name.fill('company');
    await page.getByTestId('campaign-save').click();
    await see(page.getByTestId('campaign-status'), 'The campaign Pricing pages is saved.');
    assert.equal(await name.getAttribute('aria-invalid'), null, 'the field is no longer marked');
    const saved = (await admin.get(`/api/v1/campaigns/${pricingId}`)).body.settings;
    assert.deepEqual(saved.look, { color: '#14532d', position: 'left', buttonText: 'Ask us', title: 'Tea House', avatarUrl: null });
    assert.deepEqual(saved.prechat, {
      enabled: true,
      message: 'Who are we talking to?',
      fields: [
        { name: 'name', label: null, type: 'text', required: true },
        { name: 'company', label: 'Your company', type: 'text', required: false },
        { name: 'question', label: null, type: 'textarea', required: false },
      ],
    });
    assert.deepEqual(saved.invitations, [{ afterSeconds: 5, urlContains: '/pricing', onVisit: null, message: invitation }]);
    await see(page.locator('[data-testid="campaign-row"]', { hasText: 'Pricing pages' }).locator('td').nth(1), '1', 'one invitation rule in the list');

    tag = await page.getByTestId('campaign-tag').inputValue();
    assert.equal(tag, `<script src="${parleyOrigin}/widget.js" data-site-id="${siteId}" data-campaign-id="${pricingId}" async></script>`);
    await assertAccessible(page, 'the campaigns page with a campaign’s settings');
    await page.locator('h1').evaluate((el) => el.scrollIntoView());
    await shot(page, 'admin-campaigns');
  });

  await t.test("the customer's pages, with the tag from the panel: the invitation on /pricing after 5 s, the pre-chat form with its own field", async () => {
    const shop = serveShop(front, 'tea.test', tag, 'Tea House');
    const visitor = await (await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' })).newPage();
    await seeInvitation(visitor, shop, { message: invitation, agentName: ann.name, afterSeconds: 5 });
    await visitor.context().close();

    const { page: other, widget } = await openPrechatForm(browser, shop);
    const form = widget.getByTestId('prechat-form');
    await see(form, 'Who are we talking to?');
    await see(form.locator('label[for="pw-prechat-company"]'), 'Your company');
    assert.equal(await widget.getByTestId('prechat-email').count(), 0, 'the e-mail field was removed');
    await see(widget.getByTestId('panel-title'), 'Tea House');
    await other.context().close();
  });

  await t.test('a campaign is renamed, and another deleted after a confirmation', async () => {
    const first = page.getByTestId('campaign-row').first();
    await first.getByTestId('campaign-rename').click();
    await page.getByTestId('campaign-name').fill('All pages');
    await page.getByTestId('campaign-name-save').click();
    await see(page.getByTestId('campaigns-status'), 'The campaign is renamed All pages.');
    await see(page.getByTestId('campaign-row').first(), 'All pages');
    await page.getByTestId('campaign-row').first().getByTestId('campaign-delete').click();
    await page.getByTestId('campaign-delete-dialog').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the delete confirmation');
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('campaigns-status'), 'The campaign All pages is deleted.');
    await page.locator('[data-testid="campaign-row"]', { hasText: 'All pages' }).waitFor({ state: 'detached', timeout: WAIT });
    await see(page.getByTestId('campaign-row').first(), /Pricing pages\s*Default/, 'the remaining campaign is now the default');
    const left = (await admin.get('/api/v1/campaigns')).body as { name: string }[];
    assert.deepEqual(left.map((c) => c.name), ['Pricing pages']);
  });

  await t.test("at the spec's address, body only: the campaigns page without header, menu or footer", async () => {
    await page.goto(`${parleyOrigin}/livechat/campaigns.aspx?siteId=${siteId}&onlyDisplayBody=true`);
    await see(page.getByTestId('campaign-row'), 'Pricing pages');
    assert.deepEqual(await Promise.all(['panel-header', 'panel-menu', 'panel-footer'].map((id) => page.getByTestId(id).count())), [0, 0, 0]);
    await assertAccessible(page, 'the campaigns page, body only');
  });
});
