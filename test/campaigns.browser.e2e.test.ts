// A campaign in real Chromium: the customer's page carries the widget tag with data-campaign-id;
// the widget wears the campaign's colour and button text, shows its pre-chat form with its own
// field, and after 5 s on /pricing (not elsewhere) shows the campaign's invitation from the agent
// who is online. The campaign's pre-chat answers reach the visitor's record.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { esc, launchChromium, startFront } from './helpers/browser.ts';
import { openPrechatForm, seeInvitation, serveShop, widgetIn } from './helpers/campaigns.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner, partnerApi, partnerApiToken } from './helpers/partners.ts';
import { assertAccessible, see, shot, styled } from './helpers/screens.ts';

test("the widget follows its tag's campaign: look, pre-chat form, and an invitation after 5 s on /pricing", async (t) => {
  const front = await startFront(t, { baseDomain: 'parley.test' });
  const app = await startParley(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: front.origin('parley.test'), PARLEY_TRUSTED_PROXIES: '127.0.0.1' });
  front.proxyTo(app);
  const browser = await launchChromium(t, front);

  const partner = await approvedPartner(app, 'Acme Support');
  const parleyOrigin = front.origin(`${partner.slug}.parley.test`);
  const api = partnerApi(app, await partnerApiToken(app, partner));
  const boss = { email: 'boss@bakery.example', password: 'bakery-boss-password' };
  const created = await api.post('/sites', { company: 'Bakery', admin: { ...boss, name: 'Boss' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const siteId: number = created.body.id;
  const admin = client(app.url, (await client(app.url).post('/api/v1/auth/login', { ...boss, siteId })).body.token);
  // The site's first campaign, and the one the pricing pages' tag names.
  assert.equal((await admin.post('/api/v1/campaigns', { name: 'Default' })).status, 201);
  const campaign = await admin.post('/api/v1/campaigns', {
    name: 'Pricing',
    settings: {
      look: { color: '#7c2d12', buttonText: 'Questions?', title: 'Bakery sales' },
      prechat: {
        enabled: true,
        message: 'Who are we talking to?',
        fields: [
          { name: 'name', label: null, type: 'text', required: true },
          { name: 'company', label: 'Your company', type: 'text', required: false },
          { name: 'question', label: null, type: 'textarea', required: false },
        ],
      },
      invitations: [{ afterSeconds: 5, urlContains: '/pricing', onVisit: null, message: 'Questions about our wholesale prices?' }],
    },
  });
  assert.equal(campaign.status, 201, JSON.stringify(campaign.body));
  const ann = { email: 'ann@bakery.example', password: 'ann-password-1', name: 'Ann Baker' };
  assert.equal((await admin.post('/api/v1/agents', ann)).status, 201);
  const annApi = client(app.url, (await client(app.url).post('/api/v1/auth/login', { email: ann.email, password: ann.password, siteId })).body.token);
  assert.equal((await annApi.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);

  const tag = `<script src="${esc(parleyOrigin)}/widget.js" data-site-id="${siteId}" data-campaign-id="${campaign.body.id}" async></script>`;
  const shop = serveShop(front, 'bakery.test', tag, 'Bakery');

  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
  const page = await context.newPage();

  // At home: the campaign's look, and no invitation after more than 5 s.
  await page.goto(`${shop}/`);
  const widget = widgetIn(page);
  await see(widget.getByTestId('launcher-text'), 'Questions?');
  await styled(widget.getByTestId('launcher'), 'background-color', 'rgb(124, 45, 18)', "the campaign's colour");
  await page.waitForTimeout(6000);
  assert.equal(await widget.getByTestId('invitation').count(), 0, 'no invitation on the home page');

  // On /pricing: after 5 s, Ann's invitation with the campaign's message opens the panel.
  await seeInvitation(page, shop, { message: 'Questions about our wholesale prices?', agentName: ann.name, afterSeconds: 5 });
  await shot(page, 'widget-campaign-invitation');
  await assertAccessible(page, 'widget with a campaign invitation', '/widget/frame.html');

  // A new visitor in another browser opens the panel: the campaign's pre-chat form.
  const { page: other, widget: otherWidget } = await openPrechatForm(browser, shop);
  const form = otherWidget.getByTestId('prechat-form');
  await see(form, 'Who are we talking to?');
  await see(form.locator('label[for="pw-prechat-company"]'), 'Your company');
  await see(otherWidget.getByTestId('panel-title'), 'Bakery sales');
  await shot(other, 'widget-campaign-prechat');
  await otherWidget.getByTestId('prechat-name').fill('Olga');
  await otherWidget.getByTestId('prechat-company').fill('Olga Cafe');
  await otherWidget.getByTestId('prechat-question').fill('Do you deliver on Sundays?');
  await otherWidget.getByTestId('prechat-submit').click();
  await see(otherWidget.getByTestId('panel'), 'Do you deliver on Sundays?');
  // The campaign's own field is kept in the visitor's info.
  const listed = (await annApi.get('/api/v1/visitors')).body.visitors as { id: number; name: string | null }[];
  const olga = listed.find((v) => v.name === 'Olga');
  assert.ok(olga, `Olga is listed: ${JSON.stringify(listed)}`);
  const record = await annApi.get(`/api/v1/visitors/${olga.id}`);
  assert.equal(record.body.info?.company ?? record.body.visitor?.info?.company, 'Olga Cafe', JSON.stringify(record.body));
});
