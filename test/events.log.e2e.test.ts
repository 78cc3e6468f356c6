// What the event log records of partners' and sites' lives and of the robot's answers, through the
// real APIs: each change is one event, in the order it happened, with its site and partner.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { imSite, ok } from './helpers/im.ts';
import { approvedPartner, partnerApi, partnerApiToken, platformAdmin } from './helpers/partners.ts';
import { type Running, startParley } from './helpers/parley.ts';
import type { EventTables } from '../src/platform/events/index.ts';

/** The log's rows of these types, oldest first, as type, site, partner and payload. */
async function logged(app: Running, types: string[]) {
  const rows = await app.parley.database.db
    .withTables<EventTables>()
    .selectFrom('events')
    .select(['type', 'site_id', 'partner_id', 'payload'])
    .where('type', 'in', types)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ type: r.type, siteId: r.site_id, partnerId: r.partner_id, payload: JSON.parse(r.payload) as Record<string, unknown> }));
}

test("a partner's and a site's life are in the log, in order, with who they belong to", async (t) => {
  const app = await startParley(t);
  const partner = await approvedPartner(app, 'Logged Partner');
  const api = partnerApi(app, await partnerApiToken(app, partner));
  const created = await api.post('/sites', { company: 'Logged Shop', admin: { email: 'boss@logged.example', password: 'logged-password' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const siteId: number = created.body.id;
  for (const step of ['disable', 'enable']) assert.equal((await api.put(`/sites/${siteId}/${step}`)).status, 200, step);
  assert.equal((await api.put(`/sites/${siteId}`, { company: 'Logged Shop Ltd' })).status, 200);
  assert.equal((await api.delete(`/sites/${siteId}`)).status, 200);
  assert.equal((await api.put(`/sites/${siteId}/restore`)).status, 200);
  assert.equal((await api.delete(`/sites/${siteId}`)).status, 200);
  assert.equal((await api.delete(`/sites/${siteId}?permanent=true`)).status, 204);
  const admin = await platformAdmin(app);
  assert.equal((await admin.post(`/api/v1/platform/partners/${partner.partnerId}/suspend`)).status, 200);

  const events = await logged(app, ['partner.applied', 'partner.approved', 'partner.suspended', 'site.created', 'site.updated', 'site.disabled', 'site.enabled', 'site.deleted', 'site.restored', 'site.purged']);
  assert.deepEqual(
    events.map((e) => [e.type, e.siteId, e.partnerId]),
    [
      ['partner.applied', null, null],
      ['partner.approved', null, partner.partnerId],
      ['site.created', siteId, partner.partnerId],
      ['site.disabled', siteId, partner.partnerId],
      ['site.enabled', siteId, partner.partnerId],
      ['site.updated', siteId, partner.partnerId],
      ['site.deleted', siteId, partner.partnerId],
      ['site.restored', siteId, partner.partnerId],
      ['site.deleted', siteId, partner.partnerId],
      ['site.purged', siteId, partner.partnerId],
      ['partner.suspended', null, partner.partnerId],
    ],
  );
  // Whether the site served before and after each change is what the rest of Parley acts on.
  const serving = events.filter((e) => e.type.startsWith('site.') && e.type !== 'site.purged').map((e) => [e.payload.wasServing, e.payload.serving]);
  assert.deepEqual(serving, [
    [false, true],
    [true, false],
    [false, true],
    [true, true],
    [true, false],
    [false, true],
    [true, false],
  ]);
  assert.equal((events[5]!.payload.site as { company: string }).company, 'Logged Shop Ltd', 'a change carries the site as it became');
});

test("the robot's answers, misses and hand-over are in the log with the question they answered", async (t) => {
  const app = await startParley(t);
  const im = await imSite(t, app);
  const question = await im.admin.post('/api/v1/robot/questions', { title: 'How do I reset my password?', alternatives: ['reset password'], answer: 'Open Settings.' });
  assert.equal(question.status, 201, JSON.stringify(question.body));
  const token = `cust-${Date.now()}`;
  ok(await im.api.post('/im/customers', { customer_token: token }));
  const session = ok(await im.api.post('/im/sessions', { customer_token: token, assign_type: 'robot' }));
  const chatId: number = session.assign_info.im_sub_session_id;
  for (const text of ['reset password', 'what is the weather on mars', 'agent']) {
    ok(await im.api.post('/im/messages', { customer_token: token, im_sub_session_id: chatId, data: { content: text } }));
  }
  const answers = await logged(app, ['robot.answered']);
  assert.deepEqual(
    answers.map((e) => ({ siteId: e.siteId, chatId: e.payload.chatId, questionId: e.payload.questionId, answered: e.payload.answered, handover: e.payload.handover })),
    [
      { siteId: im.site.siteId, chatId, questionId: question.body.id, answered: true, handover: false },
      { siteId: im.site.siteId, chatId, questionId: null, answered: false, handover: false },
      { siteId: im.site.siteId, chatId, questionId: null, answered: true, handover: true },
    ],
  );
  assert.equal(answers[0]!.partnerId, im.site.partnerId, 'a site event names its partner');
});
