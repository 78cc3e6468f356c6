// The IM API's management, as a site admin and the customer's application see it: IM API keys
// (shown once, rotated with two active at once, revoked at once), customers created and updated by
// customer_token, the robot's knowledge base and settings on the native API, and how the settings
// reach POST /im/sessions, the robot's answers and its hand-over after repeated misses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApiResponse, call } from './helpers/api.ts';
import { createAgent, createSite } from './helpers/factories.ts';
import { createImKey, FAST_WEBHOOKS, type ImSite, imClient, imSite, ok } from './helpers/im.ts';
import { startParley } from './helpers/parley.ts';
import { eventually } from './helpers/receiver.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field and asserted on
type Json = any;

/** Asserts an IM API failure: the status and a JSON body of exactly `{ code, message }`. */
function refused(res: ApiResponse<Json>, status: number, code: number, message?: RegExp): void {
  const what = JSON.stringify(res.body);
  assert.equal(res.status, status, what);
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message'], what);
  assert.equal(res.body.code, code, what);
  if (message) assert.match(res.body.message, message, what);
}

/** Asserts a native API problem+json answer with the given status and problem slug. */
function problem(res: ApiResponse<Json>, status: number, slug: string, detail?: RegExp): void {
  const what = JSON.stringify(res.body);
  assert.equal(res.status, status, what);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(res.body.type, `urn:parley:problem:${slug}`, what);
  if (detail) assert.match(res.body.detail, detail, what);
}

/** A native API client with every verb the management routes use. */
function nativeClient(baseUrl: string, token: string) {
  return {
    get: (path: string) => call(baseUrl, 'GET', path, { token }),
    post: (path: string, body?: unknown) => call(baseUrl, 'POST', path, { token, body }),
    put: (path: string, body?: unknown) => call(baseUrl, 'PUT', path, { token, body }),
    patch: (path: string, body?: unknown) => call(baseUrl, 'PATCH', path, { token, body }),
    del: (path: string) => call(baseUrl, 'DELETE', path, { token }),
  };
}

/** Whether a key works: it creates (or updates) a customer of its site. */
async function works(api: ReturnType<typeof imClient>, token = 'probe'): Promise<void> {
  ok(await api.post('/im/customers', { customer_token: token }));
}

test('IM API keys are shown once, rotate with two active at once, stop at once when revoked, and are deleted only once revoked', async (t) => {
  const app = await startParley(t);
  const im = await imSite(t, app);
  const admin = nativeClient(app.url, im.site.admin.token);
  const [first] = (await admin.get('/api/v1/im/keys')).body;
  assert.equal(first.name, 'app');

  // A new key: the whole key is in this answer only.
  const created = await admin.post('/api/v1/im/keys', { name: 'app v2' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const key2 = created.body.key as string;
  assert.match(key2, /^pim_[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(created.body, { id: created.body.id, name: 'app v2', prefix: key2.slice(0, 10), createdAt: created.body.createdAt, lastUsedAt: null, revokedAt: null, key: key2 });
  const listed = await admin.get('/api/v1/im/keys');
  assert.deepEqual(
    listed.body.map((k: Json) => [k.id, k.name, k.prefix, k.revokedAt, 'key' in k]),
    [
      [first.id, 'app', im.key.slice(0, 10), null, false],
      [created.body.id, 'app v2', key2.slice(0, 10), null, false],
    ],
  );
  for (const key of [im.key, key2]) assert.ok(!JSON.stringify(listed.body).includes(key.slice(10)), 'the list never shows a key');

  // Both keys work at once, on the same site's customers, and each records its use.
  const old = im.api;
  const fresh = imClient(app.url, key2);
  ok(await old.post('/im/customers', { customer_token: 'c-1', name: 'Zhang Wei' }));
  assert.equal(ok(await fresh.get('/im/customers?customer_token=c-1')).customer.name, 'Zhang Wei');
  assert.ok((await admin.get('/api/v1/im/keys')).body.every((k: Json) => typeof k.lastUsedAt === 'string'), 'both keys were used');

  // Revoking the old key stops it at once; the new one keeps working. Revoking again changes nothing.
  const revoked = await admin.post(`/api/v1/im/keys/${first.id}/revoke`);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.equal(typeof revoked.body.revokedAt, 'string');
  refused(await old.get('/im/customers?customer_token=c-1'), 401, 2001);
  refused(await old.post('/im/customers', { customer_token: 'c-2' }), 401, 2001);
  assert.equal(ok(await fresh.get('/im/customers?customer_token=c-1')).customer.name, 'Zhang Wei');
  refused(await fresh.get('/im/customers?customer_token=c-2'), 404, 2003);
  const again = await admin.post(`/api/v1/im/keys/${first.id}/revoke`);
  assert.equal(again.status, 200);
  assert.equal(again.body.revokedAt, revoked.body.revokedAt);

  // Only a revoked key may be deleted.
  problem(await admin.del(`/api/v1/im/keys/${created.body.id}`), 404, 'not-found');
  await works(fresh);
  assert.equal((await admin.del(`/api/v1/im/keys/${first.id}`)).status, 204);
  assert.deepEqual((await admin.get('/api/v1/im/keys')).body.map((k: Json) => k.id), [created.body.id]);
  problem(await admin.del(`/api/v1/im/keys/${first.id}`), 404, 'not-found');
  problem(await admin.post(`/api/v1/im/keys/${first.id}/revoke`), 404, 'not-found');
  refused(await old.get('/im/customers?customer_token=c-1'), 401, 2001);

  // A key needs a name, and only that.
  problem(await admin.post('/api/v1/im/keys', { name: '' }), 400, 'validation-failed');
  problem(await admin.post('/api/v1/im/keys', { name: 'x', key: 'pim_mine' }), 400, 'validation-failed');
  problem(await admin.post('/api/v1/im/keys/abc/revoke'), 400, 'validation-failed');

  // A plain agent may do none of it.
  const agent = await createAgent(app, im.site);
  const asAgent = nativeClient(app.url, agent.token);
  problem(await asAgent.get('/api/v1/im/keys'), 403, 'forbidden');
  problem(await asAgent.post('/api/v1/im/keys', { name: 'mine' }), 403, 'forbidden');
  problem(await asAgent.post(`/api/v1/im/keys/${created.body.id}/revoke`), 403, 'forbidden');
  problem(await asAgent.del(`/api/v1/im/keys/${created.body.id}`), 403, 'forbidden');

  // Another site's admin cannot see, revoke or delete this site's key.
  const other = await createSite(app);
  const otherAdmin = nativeClient(app.url, other.admin.token);
  await createImKey(app, other);
  assert.ok((await otherAdmin.get('/api/v1/im/keys')).body.every((k: Json) => k.id !== created.body.id));
  problem(await otherAdmin.post(`/api/v1/im/keys/${created.body.id}/revoke`), 404, 'not-found');
  problem(await otherAdmin.del(`/api/v1/im/keys/${created.body.id}`), 404, 'not-found');

  const keys = (await admin.get('/api/v1/im/keys')).body;
  assert.deepEqual(keys.map((k: Json) => [k.id, k.revokedAt]), [[created.body.id, null]]);
  await works(fresh);
});

test('customers are created, then updated field by field; PUT needs an existing one; bad fields are refused', async (t) => {
  const app = await startParley(t);
  const im = await imSite(t, app);
  const { api } = im;

  const first = ok(await api.post('/im/customers', { customer_token: 'zw', name: 'Zhang Wei', email: 'zw@example.com', phone: '+86 10 1234', custom_fields: { plan: 'gold', seats: 5, trial: false, ref: null } }));
  assert.equal(first.created, true);
  const createdAt = first.customer.created_at;
  assert.ok(!Number.isNaN(Date.parse(createdAt)));
  assert.deepEqual(first.customer, {
    customer_token: 'zw',
    name: 'Zhang Wei',
    email: 'zw@example.com',
    phone: '+86 10 1234',
    custom_fields: { plan: 'gold', seats: 5, trial: false, ref: null },
    created_at: createdAt,
  });
  assert.deepEqual(ok(await api.get('/im/customers?customer_token=zw')), { code: 1000, customer: first.customer });

  // Posting again updates only the fields given.
  const second = ok(await api.post('/im/customers', { customer_token: 'zw', phone: '+86 10 5678' }));
  assert.equal(second.created, false);
  assert.deepEqual(second.customer, { ...first.customer, phone: '+86 10 5678' });
  // custom_fields is replaced as a whole; null clears a field.
  const third = ok(await api.post('/im/customers', { customer_token: 'zw', custom_fields: { plan: 'platinum' }, email: null }));
  assert.deepEqual(third.customer, { ...second.customer, email: null, custom_fields: { plan: 'platinum' } });

  // PUT updates an existing customer only.
  refused(await api.put('/im/customers', { customer_token: 'nobody', name: 'Ghost' }), 404, 2003, /nobody/);
  refused(await api.get('/im/customers?customer_token=nobody'), 404, 2003);
  const put = ok(await api.put('/im/customers', { customer_token: 'zw', name: 'Wei Zhang', email: 'wei@example.com' }));
  assert.deepEqual(put.customer, { ...third.customer, name: 'Wei Zhang', email: 'wei@example.com' });
  assert.deepEqual(ok(await api.put('/im/customers', { customer_token: 'zw' })).customer, put.customer);

  // Bad fields are refused, for a new customer and an existing one alike, and change nothing.
  const bad: [string, Json][] = [
    ['an e-mail that is not one', { email: 'not-an-email' }],
    ['a name too long', { name: 'x'.repeat(201) }],
    ['a nested custom field', { custom_fields: { address: { city: 'Beijing' } } }],
    ['a custom field too long', { custom_fields: { note: 'x'.repeat(2001) } }],
    ['custom fields as a list', { custom_fields: ['gold'] }],
    ['an unknown field', { nickname: 'Wei' }],
    ['a number as the phone', { phone: 12345 }],
  ];
  for (const [what, fields] of bad) {
    await t.test(what, async () => {
      refused(await api.post('/im/customers', { customer_token: 'zw', ...fields }), 400, 2002);
      refused(await api.put('/im/customers', { customer_token: 'zw', ...fields }), 400, 2002);
      refused(await api.post('/im/customers', { customer_token: 'new-one', ...fields }), 400, 2002);
    });
  }
  refused(await api.post('/im/customers', { customer_token: '' }), 400, 2002, /customer_token/);
  refused(await api.post('/im/customers', { name: 'No token' }), 400, 2002, /customer_token is required/);
  refused(await api.get('/im/customers'), 400, 2002, /customer_token is required/);
  assert.deepEqual(ok(await api.get('/im/customers?customer_token=zw')).customer, put.customer);
  refused(await api.get('/im/customers?customer_token=new-one'), 404, 2003);
  assert.equal(put.customer.created_at, createdAt);
});

test('the knowledge base: site admins write, agents read, related questions and ids stay within the site', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const admin = nativeClient(app.url, im.site.admin.token);
  const other = await createSite(app);
  const otherAdmin = nativeClient(app.url, other.admin.token);
  const foreign = await otherAdmin.post('/api/v1/robot/questions', { title: 'Foreign question', answer: 'Not yours.' });
  assert.equal(foreign.status, 201, JSON.stringify(foreign.body));

  const hours = await admin.post('/api/v1/robot/questions', {
    title: '  What are your opening hours?  ',
    alternatives: ['When are you open?', '   '],
    answer: 'Every day from 9 to 17.',
    thirdUrl: 'https://help.example.com/hours',
  });
  assert.equal(hours.status, 201, JSON.stringify(hours.body));
  const h = hours.body;
  assert.deepEqual(
    { ...h, createdAt: undefined, updatedAt: undefined },
    { id: h.id, kind: 'qa', title: 'What are your opening hours?', alternatives: ['When are you open?'], answer: 'Every day from 9 to 17.', related: [], thirdUrl: 'https://help.example.com/hours', isActive: true, createdAt: undefined, updatedAt: undefined },
  );
  const refund = await admin.post('/api/v1/robot/questions', { title: 'How do I get a refund?', answer: 'Open the order and press Refund.', related: [h.id, h.id] });
  assert.equal(refund.status, 201, JSON.stringify(refund.body));
  assert.deepEqual(refund.body.related, [h.id], 'related ids are kept once');
  const r = refund.body.id as number;
  assert.deepEqual((await admin.get(`/api/v1/robot/questions/${h.id}`)).body, h);
  const before = (await admin.get('/api/v1/robot/questions')).body;
  assert.deepEqual(before.map((q: Json) => q.id).sort(), [h.id, r].sort());

  // Related questions must exist on this site; links must be http(s).
  problem(await admin.post('/api/v1/robot/questions', { title: 'Q', answer: 'A', related: [999_999] }), 400, 'bad-request', /999999/);
  problem(await admin.post('/api/v1/robot/questions', { title: 'Q', answer: 'A', related: [foreign.body.id] }), 400, 'bad-request', new RegExp(String(foreign.body.id)));
  problem(await admin.put(`/api/v1/robot/questions/${r}`, { title: 'Q', answer: 'A', related: [foreign.body.id] }), 400, 'bad-request');
  problem(await admin.post('/api/v1/robot/questions', { title: 'Q', answer: 'A', thirdUrl: 'javascript:alert(1)' }), 400, 'validation-failed');
  problem(await admin.post('/api/v1/robot/questions', { title: 'Q', answer: '' }), 400, 'validation-failed');
  problem(await admin.post('/api/v1/robot/questions', { title: 'Q', answer: 'A', kind: 'faq' }), 400, 'validation-failed');

  // A plain agent reads but does not write.
  const agent = await createAgent(app, im.site);
  const asAgent = nativeClient(app.url, agent.token);
  assert.deepEqual((await asAgent.get('/api/v1/robot/questions')).body, before);
  assert.deepEqual((await asAgent.get(`/api/v1/robot/questions/${h.id}`)).body, h);
  problem(await asAgent.post('/api/v1/robot/questions', { title: 'Mine', answer: 'Mine.' }), 403, 'forbidden');
  problem(await asAgent.put(`/api/v1/robot/questions/${h.id}`, { title: 'Mine', answer: 'Mine.' }), 403, 'forbidden');
  problem(await asAgent.del(`/api/v1/robot/questions/${h.id}`), 403, 'forbidden');

  // Another site's admin cannot tell the questions exist.
  problem(await otherAdmin.get(`/api/v1/robot/questions/${h.id}`), 404, 'not-found');
  problem(await otherAdmin.put(`/api/v1/robot/questions/${h.id}`, { title: 'Taken', answer: 'Taken.' }), 404, 'not-found');
  problem(await otherAdmin.del(`/api/v1/robot/questions/${h.id}`), 404, 'not-found');
  assert.deepEqual((await otherAdmin.get('/api/v1/robot/questions')).body.map((q: Json) => q.id), [foreign.body.id]);
  assert.deepEqual((await admin.get('/api/v1/robot/questions')).body, before);

  // The robot answers from the knowledge base as it is now.
  const session = ok(await im.api.post('/im/sessions', { customer_token: 'c-1' })).assign_info.im_sub_session_id as number;
  const ask = async (content: string) => {
    ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, data: { content } }));
    return (await admin.get(`/api/v1/chats/${session}/messages`)).body.at(-1).data;
  };
  const answered = await ask('how do I get a refund');
  assert.deepEqual([answered.answer_type, answered.question_id, answered.relate_list], ['answer', r, [{ question_id: h.id, question_title: 'What are your opening hours?' }]]);

  // Replacing a question changes what the robot says; a deactivated or deleted one is not answered.
  const replaced = await admin.put(`/api/v1/robot/questions/${r}`, { title: 'How do I get a refund?', answer: 'Write to refunds@example.com.' });
  assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
  assert.deepEqual([replaced.body.related, replaced.body.thirdUrl, replaced.body.createdAt], [[], null, refund.body.createdAt]);
  assert.equal((await ask('how do I get a refund')).answer, 'Write to refunds@example.com.');
  assert.equal((await admin.put(`/api/v1/robot/questions/${h.id}`, { title: h.title, answer: h.answer, isActive: false })).status, 200);
  assert.equal((await ask('what are your opening hours')).answer_type, 'unknown');
  assert.equal((await admin.del(`/api/v1/robot/questions/${r}`)).status, 204);
  assert.equal((await ask('how do I get a refund')).answer_type, 'unknown');
  problem(await admin.get(`/api/v1/robot/questions/${r}`), 404, 'not-found');
  problem(await admin.del(`/api/v1/robot/questions/${r}`), 404, 'not-found');
  assert.deepEqual((await admin.get('/api/v1/robot/questions')).body.map((q: Json) => [q.id, q.isActive]), [[h.id, false]]);
});

/** Opens a robot session for a new customer and returns POST /im/sessions's answer. */
async function robotSession(im: ImSite, token: string): Promise<Json> {
  const res = ok(await im.api.post('/im/sessions', { customer_token: token }));
  assert.equal(res.assign_type, 'robot');
  return res;
}

test("the robot's persona and the survey options are what POST /im/sessions answers; invalid settings are refused", async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const admin = nativeClient(app.url, im.site.admin.token);
  const settings = (await admin.get('/api/v1/im/settings')).body;
  const q = await admin.post('/api/v1/robot/questions', { title: 'What are your opening hours?', answer: 'Every day from 9 to 17.' });

  // The defaults first.
  const plain = await robotSession(im, 'c-0');
  assert.deepEqual(plain.assign_info, {
    robot_name: settings.robot.name,
    robot_avatar: '',
    welcome_message: settings.robot.welcomeMessage,
    unknow_message: settings.robot.unknownMessage,
    im_sub_session_id: plain.assign_info.im_sub_session_id,
    gus_list: [],
  });

  const robot = {
    name: '小帕',
    avatar: 'https://cdn.example.com/robot.png',
    welcomeMessage: '你好！我是小帕。',
    unknownMessage: 'I am not sure; try the guide questions.',
    handoverMessage: '稍等，正在为您转接人工客服。',
    handoverAfterMisses: 0,
    guideQuestionIds: [q.body.id],
  };
  const changed = await admin.patch('/api/v1/im/settings', { robot });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.deepEqual(changed.body.robot, robot);
  const session = await robotSession(im, 'c-1');
  assert.equal(session.message, robot.welcomeMessage);
  assert.deepEqual(session.assign_info, {
    robot_name: '小帕',
    robot_avatar: robot.avatar,
    welcome_message: robot.welcomeMessage,
    unknow_message: robot.unknownMessage,
    im_sub_session_id: session.assign_info.im_sub_session_id,
    gus_list: [{ question_id: q.body.id, question_title: 'What are your opening hours?' }],
  });
  // The robot admits what it does not know with the site's words and guide list (and, with 0, never hands over).
  for (let i = 0; i < 4; i++) ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session.assign_info.im_sub_session_id, data: { content: `zxqv wplk ${i}` } }));
  await eventually(() => im.replies('c-1').length === 4, 'four robot replies');
  for (const reply of im.replies('c-1')) {
    assert.deepEqual([reply.assign_type, reply.message.data.answer_type, reply.message.data.answer], ['robot', 'unknown', robot.unknownMessage]);
    assert.deepEqual(reply.message.data.gus_list, session.assign_info.gus_list);
  }
  assert.equal((await admin.get(`/api/v1/chats/${session.assign_info.im_sub_session_id}`)).body.status, 'bot');

  // The survey options an agent session carries are the site's.
  const survey = {
    ...settings.survey,
    title: 'Rate us',
    remark_enabled: false,
    options: [
      { id: 10, text: 'Good', enabled: true },
      { id: 20, text: 'Bad', enabled: true },
      { id: 30, text: 'Retired', enabled: false },
    ],
  };
  assert.equal((await admin.patch('/api/v1/im/settings', { survey })).status, 200);
  const people = ok(await im.api.post('/im/sessions', { customer_token: 'c-2', assign_type: 'agent' }));
  assert.equal(people.assign_type, 'agent');
  assert.deepEqual(people.assign_info.survey_options, survey);

  // Invalid settings are refused and change nothing.
  const now = (await admin.get('/api/v1/im/settings')).body;
  problem(await admin.patch('/api/v1/im/settings', { survey: { ...survey, options: [...survey.options, { id: 10, text: 'Good again', enabled: true }] } }), 400, 'bad-request', /option ids must be unique/);
  problem(await admin.patch('/api/v1/im/settings', { survey: { ...survey, methods: [...survey.methods, { ...survey.methods[0] }] } }), 400, 'bad-request', /method ids must be unique/);
  problem(await admin.patch('/api/v1/im/settings', { survey: { ...survey, options: [] } }), 400, 'validation-failed');
  problem(await admin.patch('/api/v1/im/settings', { robot: { ...robot, avatar: 'javascript:alert(1)' } }), 400, 'validation-failed');
  problem(await admin.patch('/api/v1/im/settings', { robot: { ...robot, handoverAfterMisses: 101 } }), 400, 'validation-failed');
  problem(await admin.patch('/api/v1/im/settings', { robot: { ...robot, welcomeMessage: '' } }), 400, 'validation-failed');
  problem(await admin.patch('/api/v1/im/settings', { robot: { name: 'Half a robot' } }), 400, 'validation-failed');
  problem(await admin.patch('/api/v1/im/settings', { callbackUrl: 'https://example.com/hook' }), 400, 'validation-failed');
  // A plain agent reads the settings but does not change them.
  const agent = await createAgent(app, im.site);
  const asAgent = nativeClient(app.url, agent.token);
  assert.deepEqual((await asAgent.get('/api/v1/im/settings')).body, now);
  problem(await asAgent.patch('/api/v1/im/settings', { robot: { ...robot, name: 'Mine' } }), 403, 'forbidden');
  assert.deepEqual((await admin.get('/api/v1/im/settings')).body, now);
  assert.equal((await robotSession(im, 'c-3')).assign_info.robot_name, '小帕');
  assert.deepEqual(ok(await im.api.post('/im/sessions', { customer_token: 'c-4', assign_type: 'agent' })).assign_info.survey_options, survey);
});

test('after N unanswered questions in a row the robot hands the session to the queue', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const admin = nativeClient(app.url, im.site.admin.token);
  const q = await admin.post('/api/v1/robot/questions', { title: 'What are your opening hours?', answer: 'Every day from 9 to 17.' });
  const { robot } = (await admin.get('/api/v1/im/settings')).body;
  assert.equal((await admin.patch('/api/v1/im/settings', { robot: { ...robot, handoverAfterMisses: 2 } })).status, 200);

  const session = (await robotSession(im, 'c-1')).assign_info.im_sub_session_id as number;
  const say = (content: string) => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, data: { content } }).then(ok);
  const status = async () => ok(await im.api.get('/im/queue_status?customer_token=c-1'));

  // A miss, an answer (the count starts again), a miss: still with the robot.
  await say('zxqv wplk');
  await say('what are your opening hours');
  await say('qqzx vvkp');
  assert.equal((await admin.get(`/api/v1/chats/${session}`)).body.status, 'bot');
  assert.deepEqual(await status(), { code: 1000, status: '未排队', count: 0, im_sub_session_id: session });

  // The second miss in a row: the robot hands over and the session waits for people.
  await say('mmxz ppql');
  const chat = (await admin.get(`/api/v1/chats/${session}`)).body;
  assert.deepEqual([chat.status, chat.queuePosition, chat.agentId], ['queued', 1, null]);
  assert.deepEqual(await status(), { code: 1000, status: '排队中', count: 1, im_sub_session_id: session });
  const reopened = ok(await im.api.post('/im/sessions', { customer_token: 'c-1' }));
  assert.deepEqual([reopened.assign_type, reopened.assign_info.im_sub_session_id, reopened.assign_info.count, reopened.assign_info.agent_id], ['agent', session, 1, null]);
  assert.equal(reopened.assign_info.survey_options.enabled, true);

  await eventually(() => im.replies('c-1').length === 4, 'four robot replies');
  assert.deepEqual(
    im.replies('c-1').map((r) => [r.assign_type, r.message.data.answer_type, r.message.data.question_id]),
    [
      ['robot', 'unknown', 0],
      ['robot', 'answer', q.body.id],
      ['robot', 'unknown', 0],
      ['robot', 'handover', 0],
    ],
  );
  // The agent who will take it sees why: the robot's transfer note with the conversation.
  const transfer = (await admin.get(`/api/v1/chats/${session}/messages`)).body.find((m: Json) => m.type === 'robot_transfer');
  assert.equal(transfer.data.robot_session_id, session);
  assert.deepEqual(
    transfer.data.transcript.filter((l: Json) => l.from === 'customer').map((l: Json) => l.data.content),
    ['zxqv wplk', 'what are your opening hours', 'qqzx vvkp', 'mmxz ppql'],
  );

  // An agent coming online is offered the waiting session; the application hears of it.
  const agent = await createAgent(app, im.site, { name: 'Alice' });
  assert.equal((await agent.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
  await eventually(async () => (await status()).status === '分配中', 'the session offered to Alice');
  await eventually(() => im.replies('c-1').some((r) => r.message.type === 'info_appoint'), 'info_appoint');
  const appointed = im.replies('c-1').find((r) => r.message.type === 'info_appoint');
  assert.deepEqual([appointed.assign_type, appointed.message.agent_id, appointed.message.agent_name, appointed.message.im_sub_session_id], ['agent', agent.id, 'Alice', session]);
});
