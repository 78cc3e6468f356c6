// Campaigns: a site admin makes campaigns with their own look, pre-chat form and invitation rules;
// the widget's configuration follows the campaign its tag names (or the site's first); a visitor
// meeting a rule is invited as by an agent (chatInvited); agents without manageCampaigns cannot
// change campaigns, and bad input changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { on, onlineAgent } from './helpers/console.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

const pricing = {
  look: { color: '#0b5fff', position: 'left', buttonText: 'Questions?', title: 'Acme sales' },
  prechat: {
    enabled: true,
    message: 'Tell us who you are',
    fields: [
      { name: 'name', label: null, type: 'text', required: true },
      { name: 'company', label: 'Company', type: 'text', required: false },
      { name: 'question', label: null, type: 'textarea', required: true },
    ],
  },
  invitations: [{ afterSeconds: 5, urlContains: '/pricing', onVisit: null, message: 'Any questions about our plans?' }],
};

test('the widget shows the campaign its tag names, or the site first; without campaigns, the widget settings', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const widget = (query = '') => client(app.url).get(`/api/v1/sites/${site.siteId}/widget${query}`);

  const before = await widget();
  assert.equal(before.status, 200);
  assert.equal(before.body.campaign, null);
  assert.deepEqual(before.body.prechat.fields[0], { name: 'name', label: null, type: 'text', required: true });

  const first = await admin.post('/api/v1/campaigns', { name: 'Everywhere' });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.equal(first.body.settings.prechat.enabled, false, 'sections left out take the defaults');
  const second = await admin.post('/api/v1/campaigns', { name: 'Pricing page', settings: pricing });
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.deepEqual(second.body.settings.look, { ...pricing.look, avatarUrl: null });

  assert.equal((await widget()).body.campaign.id, first.body.id, 'no campaign named: the first');
  const named = await widget(`?campaignId=${second.body.id}`);
  assert.equal(named.body.campaign.id, second.body.id);
  assert.deepEqual(named.body.campaign.look, { ...pricing.look, avatarUrl: null });
  assert.deepEqual(named.body.campaign.invitations, pricing.invitations);
  assert.deepEqual(named.body.prechat, pricing.prechat);

  // Changing a section keeps the others; a deleted campaign's tag shows the first.
  const changed = await admin.patch(`/api/v1/campaigns/${second.body.id}`, { settings: { look: { color: '#aa0000' } } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual(changed.body.settings.look, { ...pricing.look, avatarUrl: null, color: '#aa0000' });
  assert.deepEqual(changed.body.settings.invitations, pricing.invitations);
  assert.equal((await admin.delete(`/api/v1/campaigns/${second.body.id}`)).status, 204);
  assert.equal((await widget(`?campaignId=${second.body.id}`)).body.campaign.id, first.body.id);
});

test('bad campaigns are refused and change nothing; only manageCampaigns changes them; another site sees none', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const other = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const made = await admin.post('/api/v1/campaigns', { name: 'Main', settings: pricing });
  assert.equal(made.status, 201);
  const bad = [
    { name: 'Main' },
    { name: 'Dup fields', settings: { prechat: { fields: [pricing.prechat.fields[0], pricing.prechat.fields[0]] } } },
    { name: 'Bad colour', settings: { look: { color: 'red' } } },
    { name: 'Bad rule', settings: { invitations: [{ afterSeconds: -1, urlContains: null, onVisit: null, message: 'x' }] } },
    { name: 'Bad field', settings: { prechat: { fields: [{ name: 'Drop Table', label: null, type: 'text', required: false }] } } },
    { name: 'Script avatar', settings: { look: { avatarUrl: 'javascript:alert(1)' } } },
  ];
  for (const body of bad) {
    const res = await admin.post('/api/v1/campaigns', body);
    assert.ok(res.status === 400 || res.status === 409, `${body.name}: ${res.status} ${JSON.stringify(res.body)}`);
    assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
  }
  assert.deepEqual((await admin.get('/api/v1/campaigns')).body.map((c: { name: string }) => c.name), ['Main']);

  const agent = await createAgent(app, site, { name: 'Una' });
  assert.equal((await agent.api.get('/api/v1/campaigns')).status, 200, 'agents may read campaigns');
  assert.equal((await agent.api.patch(`/api/v1/campaigns/${made.body.id}`, { name: 'Mine' })).status, 403);
  assert.equal((await agent.api.delete(`/api/v1/campaigns/${made.body.id}`)).status, 403);
  const otherAdmin = client(app.url, other.admin.token);
  assert.deepEqual((await otherAdmin.get('/api/v1/campaigns')).body, []);
  assert.equal((await otherAdmin.patch(`/api/v1/campaigns/${made.body.id}`, { name: 'Taken' })).status, 404);
  assert.equal((await otherAdmin.delete(`/api/v1/campaigns/${made.body.id}`)).status, 404);
  assert.equal((await admin.get(`/api/v1/campaigns/${made.body.id}`)).body.name, 'Main');
});

test("a visitor meeting its campaign's invitation rule is invited on behalf of an online agent", async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const campaign = (await admin.post('/api/v1/campaigns', { name: 'Pricing', settings: pricing })).body;
  const anna = await openVisitor(app, site.siteId, 'Anna');
  const annaLive = await connectLive(app.url, anna.token);
  t.after(() => annaLive.close());

  const nobody = await anna.api.post('/api/v1/visitors/me/invitation', { campaignId: campaign.id, rule: 0 });
  assert.equal(nobody.status, 409, 'nobody online to invite her');
  assert.equal(nobody.body.reason, 'no-agent-online');

  const alice = await onlineAgent(app, site, 'Alice');
  assert.equal((await anna.api.post('/api/v1/visitors/me/invitation', { campaignId: campaign.id, rule: 3 })).status, 404, 'no such rule');
  const asked = await anna.api.post('/api/v1/visitors/me/invitation', { campaignId: campaign.id, rule: 0 });
  assert.equal(asked.status, 204, JSON.stringify(asked.body));
  const got = await on(annaLive, 'chatInvited');
  assert.deepEqual(got.operator, { id: alice.id, name: 'Alice', avatarUrl: null });
  assert.equal(got.message, 'Any questions about our plans?');
  // Agents cannot call it, and another site's campaign is unknown.
  assert.equal((await alice.api.post('/api/v1/visitors/me/invitation', { campaignId: campaign.id, rule: 0 })).status, 403);
  const other = await createSite(app);
  const foreign = (await client(app.url, other.admin.token).post('/api/v1/campaigns', { name: 'Theirs', settings: pricing })).body;
  assert.equal((await anna.api.post('/api/v1/visitors/me/invitation', { campaignId: foreign.id, rule: 0 })).status, 404);
});
