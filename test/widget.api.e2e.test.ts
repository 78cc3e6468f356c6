// What the widget reads and sends: its public configuration (brand, robot, language, pre-chat form,
// whether anyone is online), the site admin's settings for it, and the visitor's answers: the
// survey after a chat, a rating of a robot answer, a message left when nobody can chat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, client } from './helpers/api.ts';
import { activeChat, goOnline, type Json, onlineAgent } from './helpers/console.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { partnerApi, partnerApiToken } from './helpers/partners.ts';
import { partnerSite } from './helpers/sso.ts';

const config = (url: string, siteId: number) => call(url, 'GET', `/api/v1/sites/${siteId}/widget`);

test('the widget’s public configuration, and the site admin’s settings for it', async (t) => {
  const app = await startParley(t);
  const s = await partnerSite(app);
  const login = await client(app.url).post('/api/v1/auth/login', { email: s.agent.email, password: 'agent-password-1', siteId: s.siteId });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const agent = { id: s.agent.id, api: client(app.url, login.body.token) };

  await t.test('defaults, the partner’s brand and the robot, with nobody online', async () => {
    const res = await config(app.url, s.siteId);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const c = res.body;
    assert.equal(c.siteId, s.siteId);
    assert.match(c.company, /^Shop /);
    assert.equal(c.language, 'auto');
    assert.equal(c.startWith, 'agent');
    assert.equal(c.prechat.enabled, false);
    assert.ok(Array.isArray(c.prechat.fields));
    assert.match(c.brand.name, /^Partner [0-9a-f]{6}$/, 'the partner’s name (approvedPartner’s company), not Parley’s');
    assert.match(c.brand.themeCssUrl, new RegExp(`^${app.config.publicUrl}/brand/${s.partner.slug}/theme\\.css\\?v=[0-9a-z]+$`));
    assert.equal(c.robot.name, 'Assistant');
    assert.equal(typeof c.robot.welcomeMessage, 'string');
    assert.deepEqual(c.robot.guide, []);
    assert.equal(c.agentsAvailable, false);
    assert.equal(c.survey.enabled, true);
    assert.ok(c.survey.options.length > 0);
    assert.equal(JSON.stringify(c).includes(s.agent.email), false, 'nothing about the agents');
  });

  await t.test('agentsAvailable follows agents going online and away', async () => {
    await goOnline(agent);
    assert.equal((await config(app.url, s.siteId)).body.agentsAvailable, true);
    assert.equal((await agent.api.put('/api/v1/agents/me/status', { status: 'away' })).status, 200);
    assert.equal((await config(app.url, s.siteId)).body.agentsAvailable, false);
  });

  await t.test('the robot’s guide questions are offered', async () => {
    const q = await s.admin.post('/api/v1/robot/questions', { title: 'Where is my parcel?', answer: 'Track it at /track.' });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    const robot = (await s.admin.get('/api/v1/im/settings')).body.robot;
    assert.equal((await s.admin.patch('/api/v1/im/settings', { robot: { ...robot, guideQuestionIds: [q.body.id] } })).status, 200);
    assert.deepEqual((await config(app.url, s.siteId)).body.robot.guide, [{ question_id: q.body.id, question_title: 'Where is my parcel?' }]);
  });

  await t.test('the site admin changes language, pre-chat form and start; the public configuration shows it', async () => {
    const prechat = { enabled: true, message: 'Tell us who you are', fields: [{ name: 'name', required: true }, { name: 'phone', required: false }] };
    const res = await s.admin.patch('/api/v1/widget/settings', { language: 'ru', prechat, startWith: 'robot' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.language, res.body.startWith, res.body.prechat], ['ru', 'robot', prechat]);
    const c = (await config(app.url, s.siteId)).body;
    // The public configuration names each field's type and label (null: the widget's own words), as campaigns do.
    const shown = { ...prechat, fields: [{ name: 'name', required: true, label: null, type: 'text' }, { name: 'phone', required: false, label: null, type: 'tel' }] };
    assert.deepEqual([c.language, c.startWith, c.prechat], ['ru', 'robot', shown]);
    assert.deepEqual((await agent.api.get('/api/v1/widget/settings')).body.prechat, prechat, 'agents read the settings');
  });

  await t.test('a plain agent may not change them; bad values change nothing', async () => {
    const before = (await config(app.url, s.siteId)).body;
    assert.equal((await agent.api.patch('/api/v1/widget/settings', { language: 'en' })).status, 403);
    const bad = [
      { language: 'fr' },
      { startWith: 'human' },
      { prechat: { enabled: true, message: null, fields: [{ name: 'age', required: true }] } },
      { prechat: { enabled: true, message: null, fields: [{ name: 'name', required: true }] }, language: 'de' },
      { colour: 'red' },
    ];
    for (const body of bad) {
      const res = await s.admin.patch('/api/v1/widget/settings', body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const visitor = await openVisitor(app, s.siteId);
    assert.equal((await visitor.api.patch('/api/v1/widget/settings', { language: 'en' })).status, 403);
    assert.deepEqual((await config(app.url, s.siteId)).body, before, 'nothing changed');
  });

  await t.test('an unknown or disabled site has no widget', async () => {
    assert.equal((await config(app.url, 987654)).status, 404);
    const api = partnerApi(app, await partnerApiToken(app, s.partner));
    assert.equal((await api.put(`/sites/${s.siteId}/disable`)).status, 200);
    assert.equal((await config(app.url, s.siteId)).status, 404);
    assert.equal((await api.put(`/sites/${s.siteId}/enable`)).status, 200);
    assert.equal((await config(app.url, s.siteId)).status, 200);
  });

  await t.test('sites’ settings are their own', async () => {
    const other = await createSite(app);
    const c = (await config(app.url, other.siteId)).body;
    assert.deepEqual([c.language, c.startWith, c.prechat.enabled], ['auto', 'agent', false]);
  });
});

test('the survey after a chat with an agent, listed for the site admin', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const alice = await onlineAgent(app, site, 'Alice');
  const { visitor, chatId } = await activeChat(app, site.siteId, alice);
  assert.equal((await alice.api.post(`/api/v1/chats/${chatId}/end`)).status, 200);

  const bad = await visitor.api.post(`/api/v1/chats/${chatId}/survey`, { optionId: 99 });
  assert.equal(bad.status, 400);
  assert.deepEqual((await admin.get('/api/v1/surveys')).body, [], 'nothing stored');

  const other = await openVisitor(app, site.siteId);
  assert.equal((await other.api.post(`/api/v1/chats/${chatId}/survey`, { optionId: 1 })).status, 404);
  assert.equal((await other.api.post('/api/v1/chats/987654/survey', { optionId: 1 })).status, 404);
  assert.equal((await alice.api.post(`/api/v1/chats/${chatId}/survey`, { optionId: 1 })).status, 403, 'agents do not answer surveys');

  const answered = await visitor.api.post(`/api/v1/chats/${chatId}/survey`, { optionId: 2, remark: 'Quick and kind' });
  assert.equal(answered.status, 204, JSON.stringify(answered.body));
  const listed = await admin.get('/api/v1/surveys');
  assert.equal(listed.status, 200);
  assert.equal(listed.body.length, 1);
  assert.deepEqual([listed.body[0].chatId, listed.body[0].agentId, listed.body[0].optionId, listed.body[0].remark], [chatId, alice.id, 2, 'Quick and kind']);
  assert.equal(typeof listed.body[0].optionText, 'string');

  // A chat nobody but the robot had is not rated.
  const robotOnly = await openVisitor(app, site.siteId);
  const botChat = await robotOnly.api.post('/api/v1/chats', { assignType: 'robot' });
  assert.equal(botChat.body.status, 'bot');
  assert.equal((await robotOnly.api.post(`/api/v1/chats/${botChat.body.id}/survey`, { optionId: 1 })).status, 409);
  // Another site's admin sees none of it.
  const elsewhere = await createSite(app);
  assert.deepEqual((await client(app.url, elsewhere.admin.token).get('/api/v1/surveys')).body, []);
});

test('rating a robot answer, and a message left for later', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const q = await admin.post('/api/v1/robot/questions', { title: 'How long does shipping take?', answer: 'Three to five working days.' });
  assert.equal(q.status, 201, JSON.stringify(q.body));

  const visitor = await openVisitor(app, site.siteId);
  const chat = await visitor.api.post('/api/v1/chats', { assignType: 'robot' });
  assert.equal(chat.body.status, 'bot');
  const chatId: number = chat.body.id;
  const asked = await visitor.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'How long does shipping take?' } });
  assert.equal(asked.status, 201);
  const messages = (await visitor.api.get(`/api/v1/chats/${chatId}/messages`)).body as Json[];
  const answer = messages.find((m) => m.senderKind === 'bot' && m.data.question_id === q.body.id);
  assert.ok(answer, JSON.stringify(messages));

  const rate = (who: typeof visitor, messageId: number, useful: boolean, inChat = chatId) => who.api.post(`/api/v1/chats/${inChat}/messages/${messageId}/rating`, { useful });
  // Not a robot answer, another visitor, another chat's path.
  assert.ok([400, 404].includes((await rate(visitor, asked.body.id, true)).status), 'the visitor’s own message');
  const other = await openVisitor(app, site.siteId);
  assert.equal((await rate(other, answer.id, false)).status, 404);
  const otherChat = await other.api.post('/api/v1/chats', { assignType: 'robot' });
  assert.equal((await rate(visitor, answer.id, false, otherChat.body.id)).status, 404);
  assert.deepEqual((await admin.get('/api/v1/robot/ratings')).body.filter((r: Json) => r.useful + r.useless > 0), [], 'nothing counted yet');

  assert.equal((await rate(visitor, answer.id, true)).status, 204);
  const ratings = (await admin.get('/api/v1/robot/ratings')).body as Json[];
  const row = ratings.find((r) => r.questionId === q.body.id);
  assert.deepEqual([row?.title, row?.useful, row?.useless], ['How long does shipping take?', 1, 0]);

  // Nobody can chat: the visitor leaves a message, the site's agents see it.
  const left = await visitor.api.post('/api/v1/offline-messages', { content: 'Please call me back about order 77', name: 'Anna', email: 'anna@shop.example' });
  assert.equal(left.status, 201, JSON.stringify(left.body));
  assert.equal(typeof left.body.id, 'number');
  const inbox = await admin.get('/api/v1/offline-messages');
  assert.equal(inbox.status, 200);
  const mine = (inbox.body as Json[]).find((m) => m.id === left.body.id);
  assert.deepEqual([mine?.content, mine?.email, mine?.customerName, mine?.status], ['Please call me back about order 77', 'anna@shop.example', 'Anna', 'new']);
  assert.equal((await visitor.api.post('/api/v1/offline-messages', { content: '' })).status, 400);
  assert.equal((await visitor.api.post('/api/v1/offline-messages', { content: 'x', email: 'not-an-email' })).status, 400);
  const agent = await createAgent(app, site, { name: 'Plain' });
  assert.equal((await agent.api.post('/api/v1/offline-messages', { content: 'from an agent' })).status, 403);
  const elsewhere = await createSite(app);
  assert.deepEqual((await client(app.url, elsewhere.admin.token).get('/api/v1/offline-messages')).body, []);
});
