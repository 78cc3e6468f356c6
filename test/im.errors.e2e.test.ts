// The IM API refuses bad input the spec's way: a matching HTTP status and a JSON `{ code, message }`
// with the documented code (docs/im-api.md): wrong credentials, another site's ids, invalid types
// and payloads, the wrong state, a banned customer, an unknown route, too many calls. Every test
// reads what the refused calls could have changed (sessions, messages, webhook deliveries,
// surveys, ratings, customers) before and after, and shows it is the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApiResponse, call, type client } from './helpers/api.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { createImKey, FAST_WEBHOOKS, type ImSite, imClient, imSite, ok } from './helpers/im.ts';
import { type Running, startParley } from './helpers/parley.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field and asserted on
type Json = any;

/** Asserts an IM API failure: the status, a JSON body of exactly `{ code, message }`, and the message when given. */
function refused(res: ApiResponse<Json>, status: number, code: number, message?: RegExp): void {
  const what = JSON.stringify(res.body);
  assert.equal(res.status, status, what);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/, what);
  assert.deepEqual(Object.keys(res.body).sort(), ['code', 'message'], what);
  assert.equal(res.body.code, code, what);
  assert.equal(typeof res.body.message, 'string', what);
  assert.ok(res.body.message.length > 0, what);
  if (message) assert.match(res.body.message, message, what);
}

type Admin = ReturnType<typeof client>;

/**
 * Everything of a site a refused IM call could have changed, as its admin sees it on the native
 * API: sessions with their messages, the webhook outbox, survey answers and robot ratings.
 */
async function siteState(admin: Admin) {
  const read = async (path: string) => {
    const res = await admin.get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
  };
  const chats = await read('/api/v1/chats?limit=200');
  const sessions = [];
  for (const c of chats) {
    const messages = (await read(`/api/v1/chats/${c.id}/messages?limit=500`)).map((m: Json) => ({ id: m.id, type: m.type, from: m.senderKind, data: m.data }));
    sessions.push({ id: c.id, visitorId: c.visitorId, status: c.status, agentId: c.agentId, lastSeq: c.lastSeq, messages });
  }
  // Deliveries change status as they are sent; which ones exist is what a refused call must not change.
  const deliveries = (await read('/api/v1/im/deliveries?limit=200')).deliveries.map((d: Json) => `${d.deliveryId} ${d.event}`);
  return { sessions, deliveries, surveys: await read('/api/v1/surveys'), ratings: await read('/api/v1/robot/ratings') };
}

/** The messages of one session, as the site admin reads them. */
async function messagesOf(admin: Admin, sessionId: number): Promise<Json[]> {
  const res = await admin.get(`/api/v1/chats/${sessionId}/messages`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

/** An online agent of the site. */
async function onlineAgent(app: Running, im: ImSite, name = 'Agent') {
  const agent = await createAgent(app, im.site, { name });
  assert.equal((await agent.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
  return agent;
}

/** A customer session an agent took, talked in and ended: one the customer may answer the survey of. */
async function endedAgentSession(im: ImSite, agent: Awaited<ReturnType<typeof onlineAgent>>, token: string): Promise<number> {
  const opened = ok(await im.api.post('/im/sessions', { customer_token: token, assign_type: 'agent' }));
  assert.equal(opened.assign_info.agent_id, agent.id);
  const id = opened.assign_info.im_sub_session_id as number;
  assert.equal((await agent.api.post(`/api/v1/chats/${id}/accept`)).status, 200);
  ok(await im.api.post('/im/messages', { customer_token: token, im_sub_session_id: id, data: { content: 'Thanks for the help' } }));
  assert.equal((await agent.api.post(`/api/v1/chats/${id}/end`)).status, 200);
  return id;
}

test('a call without a valid IM API key gets 401 with code 2001 and changes nothing', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const agent = await createAgent(app, im.site);
  const visitor = await openVisitor(app, im.site.siteId);
  const session = ok(await im.api.post('/im/sessions', { customer_token: 'c-1' })).assign_info.im_sub_session_id as number;
  // A second key, revoked: it stops working at once.
  const revokedKey = await createImKey(app, im.site, 'old');
  const keyId = (await im.admin.get('/api/v1/im/keys')).body.find((k: Json) => k.name === 'old').id;
  assert.equal((await im.admin.post(`/api/v1/im/keys/${keyId}/revoke`)).status, 200);
  // A key of a site that has since been disabled.
  const closed = await createSite(app);
  const closedKey = await createImKey(app, closed);
  ok(await imClient(app.url, closedKey).post('/im/customers', { customer_token: 'c-1' }));
  await app.parley.services.partnerSites.disable(closed.partnerId, { kind: 'system', id: null }, closed.siteId);
  const before = await siteState(im.admin);

  const message = { customer_token: 'c-1', im_sub_session_id: session, data: { content: 'hello' } };
  const send = (headers: Record<string, string>) => call(app.url, 'POST', '/im/messages', { headers, body: message });
  const bearer = (token: string) => send({ authorization: `Bearer ${token}` });
  const cases: [string, ApiResponse<Json>, RegExp][] = [
    ['no Authorization header', await send({}), /bearer token/],
    ['garbage bearer', await bearer('garbage'), /not valid/],
    ['an unknown key', await bearer(`pim_${'A'.repeat(43)}`), /IM API key is not valid/],
    ['a Basic header', await send({ authorization: `Basic ${Buffer.from(`x:${im.key}`).toString('base64')}` }), /Bearer/],
    ['the key without "Bearer"', await send({ authorization: im.key }), /Bearer/],
    ["an agent's token", await bearer(agent.token), /IM API key/],
    ["the site admin's token", await bearer(im.site.admin.token), /IM API key/],
    ["a visitor's token", await bearer(visitor.token), /IM API key/],
    ['a revoked key', await bearer(revokedKey), /IM API key is not valid/],
    ['a key of a disabled site', await bearer(closedKey), /IM API key is not valid/],
  ];
  for (const [what, res, why] of cases) {
    await t.test(what, () => refused(res, 401, 2001, why));
  }
  // Every IM route checks the key, reads as well as writes.
  refused(await call(app.url, 'GET', '/im/customers?customer_token=c-1', { token: revokedKey }), 401, 2001);
  refused(await call(app.url, 'GET', '/im/queue_status?customer_token=c-1', { token: agent.token }), 401, 2001);
  refused(await call(app.url, 'POST', '/im/sessions', { token: closedKey, body: { customer_token: 'c-2' } }), 401, 2001);
  refused(await call(app.url, 'POST', '/im/customers', { body: { customer_token: 'c-3' } }), 401, 2001);

  assert.deepEqual(await siteState(im.admin), before);
  refused(await im.api.get('/im/customers?customer_token=c-3'), 404, 2003);
  // The same message with the site's valid key goes through: the credentials alone were the problem.
  ok(await im.api.post('/im/messages', message));
  assert.equal((await messagesOf(im.admin, session)).filter((m) => m.senderKind === 'visitor').length, 1);
});

test("another site's sessions, customers, agents, groups and messages are not found", async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const a = await imSite(t, app);
  const b = await imSite(t, app);

  // Site A: a robot session with an answer, an agent in a group, a session the agent ended.
  const q = await a.admin.post('/api/v1/robot/questions', { title: 'What are your opening hours?', answer: 'Every day from 9 to 17.' });
  assert.equal(q.status, 201, JSON.stringify(q.body));
  ok(await a.api.post('/im/customers', { customer_token: 'alice', name: 'Alice of A', custom_fields: { site: 'A' } }));
  const robotSession = ok(await a.api.post('/im/sessions', { customer_token: 'alice' })).assign_info.im_sub_session_id as number;
  ok(await a.api.post('/im/messages', { customer_token: 'alice', im_sub_session_id: robotSession, data: { content: 'what are your opening hours' } }));
  const answer = (await messagesOf(a.admin, robotSession)).find((m) => m.senderKind === 'bot');
  assert.equal(answer.data.question_id, q.body.id);
  const agentA = await onlineAgent(app, a, 'Agent of A');
  const group = await a.admin.post('/api/v1/groups', { name: 'Support', agentIds: [agentA.id] });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  const endedSession = await endedAgentSession(a, agentA, 'bob');
  ok(await a.api.post('/im/customers', { customer_token: 'only-on-a' }));

  // Site B has a customer with the same token as A's alice: another customer altogether.
  ok(await b.api.post('/im/customers', { customer_token: 'alice', name: 'Alice of B' }));
  const beforeA = await siteState(a.admin);
  const beforeB = await siteState(b.admin);

  await t.test("B's key with A's session id: 2004", async () => {
    refused(await b.api.post('/im/messages', { customer_token: 'alice', im_sub_session_id: robotSession, data: { content: 'hi' } }), 404, 2004);
    refused(await b.api.post('/im/messages', { customer_token: 'alice', im_sub_session_id: robotSession, type: 'close', data: {} }), 404, 2004);
    refused(await b.api.post('/im_sessions/survey', { im_sub_session_id: endedSession, option_id: 1 }), 404, 2004);
    refused(await b.api.post('/im_sessions/survey', { im_sub_session_id: endedSession, option_id: 1, customer_token: 'alice' }), 404, 2004);
  });
  await t.test("B's key with a customer only A has: 2003", async () => {
    refused(await b.api.get('/im/customers?customer_token=only-on-a'), 404, 2003);
    refused(await b.api.get('/im/queue_status?customer_token=bob'), 404, 2003);
    refused(await b.api.put('/im/customers', { customer_token: 'only-on-a', name: 'Taken over' }), 404, 2003);
    refused(await b.api.post('/im/messages', { customer_token: 'bob', im_sub_session_id: endedSession, data: { content: 'hi' } }), 404, 2003);
    refused(await b.api.post('/im/robot/answer_rating', { customer_token: 'bob', message_id: answer.id, question_id: q.body.id, useful: true }), 404, 2003);
    refused(await b.api.post('/im/offline_messages', { customer_token: 'only-on-a', content: 'call me' }), 404, 2003);
    // B's alice is B's own: A's name and fields are not there.
    const bAlice = ok(await b.api.get('/im/customers?customer_token=alice')).customer;
    assert.deepEqual([bAlice.name, bAlice.custom_fields], ['Alice of B', {}]);
  });
  await t.test("A's agent and group asked for on B: 2005 and 2007", async () => {
    refused(await b.api.post('/im/sessions', { customer_token: 'alice', agent_id: agentA.id }), 404, 2005);
    refused(await b.api.post('/im/sessions', { customer_token: 'alice', group_id: group.body.id }), 404, 2007);
    refused(await b.api.post('/im/offline_messages', { customer_token: 'alice', content: 'call me', group_id: group.body.id }), 404, 2007);
  });
  await t.test("rating a robot answer of another customer, or another site's: 2010", async () => {
    ok(await a.api.post('/im/customers', { customer_token: 'carol' }));
    refused(await a.api.post('/im/robot/answer_rating', { customer_token: 'carol', message_id: answer.id, question_id: q.body.id, useful: false }), 404, 2010);
    refused(await b.api.post('/im/robot/answer_rating', { customer_token: 'alice', message_id: answer.id, question_id: q.body.id, useful: false }), 404, 2010);
  });

  assert.deepEqual(await siteState(a.admin), beforeA);
  assert.deepEqual(await siteState(b.admin), beforeB);
  assert.equal(ok(await a.api.get('/im/customers?customer_token=alice')).customer.name, 'Alice of A');
  // The owner's own calls go through.
  ok(await a.api.post('/im/robot/answer_rating', { customer_token: 'alice', message_id: answer.id, question_id: q.body.id, useful: true }));
  ok(await a.api.post('/im_sessions/survey', { im_sub_session_id: endedSession, option_id: 2, customer_token: 'bob' }));
});

test('an unknown type, an agent-side event or an invalid payload gets 400 with code 2002 and stores nothing', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  // Nobody is online: the session waits in the queue, where the customer may write.
  const session = ok(await im.api.post('/im/sessions', { customer_token: 'c-1', assign_type: 'agent' })).assign_info.im_sub_session_id as number;
  const before = await siteState(im.admin);
  const send = (body: Record<string, unknown>) => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, ...body });
  const raw = (body: string, headers: Record<string, string> = {}) => call(app.url, 'POST', '/im/messages', { token: im.key, body, headers });
  const url = 'https://cdn.example.com/a.png';
  const button = { text: 'Open', url: 'https://example.com' };

  const cases: [string, () => Promise<ApiResponse<Json>>, RegExp][] = [
    ['an unknown type', () => send({ type: 'sticker', data: { content: 'hi' } }), /Unknown message type sticker/],
    ['an empty type', () => send({ type: '', data: { content: 'hi' } }), /^type /],
    ['transfer (agent-side)', () => send({ type: 'transfer', data: {} }), /transfer is an agent-side event/],
    ['info_appoint (agent-side)', () => send({ type: 'info_appoint', data: {} }), /info_appoint is an agent-side event/],
    ['robot_transfer (agent-side)', () => send({ type: 'robot_transfer', data: { transcript: [] } }), /robot_transfer is an agent-side event/],
    ['survey (agent-side)', () => send({ type: 'survey', data: {} }), /survey is an agent-side event/],
    ['start_session (agent-side)', () => send({ type: 'start_session', data: {} }), /agent-side event/],
    ['no data', () => send({}), /data is required/],
    ['data a list', () => send({ data: ['hi'] }), /^data /],
    ['data a string', () => send({ data: 'hi' }), /^data /],
    ['message without content', () => send({ data: {} }), /content is required/],
    ['message with blank content', () => send({ data: { content: '   ' } }), /content must not be blank/],
    ['message with a number as content', () => send({ data: { content: 42 } }), /content must be a string/],
    ['message that is only a script', () => send({ data: { content: '<script>alert(1)</script>' } }), /empty once unsafe HTML is removed/],
    ['message that is only a style and a script', () => send({ type: 'message', data: { content: '<style>p{}</style> <script>x()</script>' } }), /empty once unsafe HTML/],
    ['message over 10,000 characters', () => send({ data: { content: 'x'.repeat(10_001) } }), /longer than 10000/],
    ['message with an unknown data field', () => send({ data: { content: 'hi', html: '<b>hi</b>' } }), /html is not allowed/],
    ['rich that is only a script', () => send({ type: 'rich', data: { content: '<script>alert(1)</script>' } }), /empty once unsafe HTML/],
    ['image with a javascript: URL', () => send({ type: 'image', data: { content: 'javascript:alert(1)' } }), /http\(s\) URL/],
    ['image with an ftp:// URL', () => send({ type: 'image', data: { content: 'ftp://example.com/a.png' } }), /http\(s\) URL/],
    ['image with a data: URL', () => send({ type: 'image', data: { content: 'data:image/png;base64,AAAA' } }), /http\(s\) URL/],
    ['image with a relative URL', () => send({ type: 'image', data: { content: '/a.png' } }), /absolute http\(s\) URL/],
    ['image without a URL', () => send({ type: 'image', data: {} }), /content is required/],
    ['image with a caption', () => send({ type: 'image', data: { content: url, caption: 'me' } }), /caption is not allowed/],
    ['video with a negative duration', () => send({ type: 'video', data: { content: url, duration: -1 } }), /duration must be a number/],
    ['audio with a duration as text', () => send({ type: 'audio', data: { content: url, duration: '12' } }), /duration must be a number/],
    ['file with a duration', () => send({ type: 'file', data: { content: url, duration: 3 } }), /duration is not allowed/],
    ['file with an object as size', () => send({ type: 'file', data: { content: url, filesize: { mb: 4 } } }), /filesize must be/],
    ['struct without a title', () => send({ type: 'struct', data: { description: 'no title' } }), /title is required/],
    ['struct with 11 buttons', () => send({ type: 'struct', data: { title: 'T', buttons: Array.from({ length: 11 }, () => button) } }), /at most 10/],
    ['struct with a button without text', () => send({ type: 'struct', data: { title: 'T', buttons: [{ url: button.url }] } }), /text is required/],
    ['struct with a javascript: button', () => send({ type: 'struct', data: { title: 'T', buttons: [{ text: 'x', url: 'javascript:alert(1)' }] } }), /http\(s\) URL/],
    ['struct with an ftp:// image', () => send({ type: 'struct', data: { title: 'T', image: 'ftp://example.com/a.png' } }), /http\(s\) URL/],
    ['struct with an unknown field', () => send({ type: 'struct', data: { title: 'T', colour: 'red' } }), /colour is not allowed/],
    ['close with data', () => send({ type: 'close', data: { reason: 'bored' } }), /reason is not allowed/],
    ['info without fields', () => send({ type: 'info', data: {} }), /fields must be an object/],
    ['info with a nested field', () => send({ type: 'info', data: { fields: { address: { city: 'Beijing' } } } }), /field address must be/],
    ['form_received with 51 fields', () => send({ type: 'form_received', data: { fields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])) } }), /at most 50 fields/],
    ['an unknown top-level field', () => send({ data: { content: 'hi' }, priority: 'high' }), /priority is not an allowed parameter/],
    ['im_sub_session_id as a string', () => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: String(session), data: { content: 'hi' } }), /im_sub_session_id/],
    ['im_sub_session_id 0', () => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: 0, data: { content: 'hi' } }), /im_sub_session_id/],
    ['im_sub_session_id negative', () => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: -session, data: { content: 'hi' } }), /im_sub_session_id/],
    ['im_sub_session_id a fraction', () => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session + 0.5, data: { content: 'hi' } }), /im_sub_session_id/],
    ['no im_sub_session_id', () => im.api.post('/im/messages', { customer_token: 'c-1', data: { content: 'hi' } }), /im_sub_session_id is required/],
    ['an empty customer_token', () => im.api.post('/im/messages', { customer_token: '', im_sub_session_id: session, data: { content: 'hi' } }), /customer_token/],
    ['an empty client_message_id', () => send({ data: { content: 'hi' }, client_message_id: '' }), /client_message_id/],
    ['malformed JSON', () => raw('{"customer_token":"c-1","im_sub_session_id":'), /JSON/],
    ['a trailing comma', () => raw(`{"customer_token":"c-1","im_sub_session_id":${session},"data":{"content":"hi"},}`), /JSON/],
    ['an empty body', () => raw(''), /empty/],
    ['a JSON list', () => raw(`[{"customer_token":"c-1","im_sub_session_id":${session},"data":{"content":"hi"}}]`), /./],
  ];
  for (const [what, request, why] of cases) {
    await t.test(what, async () => refused(await request(), 400, 2002, why));
  }
  await t.test('a form-encoded body: 415 with code 2002', async () => {
    refused(await raw(`customer_token=c-1&im_sub_session_id=${session}&content=hi`, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 2002);
  });
  await t.test('a body over the limit: 413 with code 2013', async () => {
    const huge = JSON.stringify({ customer_token: 'c-1', im_sub_session_id: session, data: { content: 'x'.repeat(app.config.bodyLimitBytes) } });
    refused(await raw(huge), 413, 2013, /larger than the limit/);
  });

  assert.deepEqual(await siteState(im.admin), before);
  // The session took none of it and is still open: a valid message goes in.
  ok(await send({ data: { content: 'hi' } }));
  assert.deepEqual((await messagesOf(im.admin, session)).map((m) => [m.type, m.data.content]), [['message', 'hi']]);
});

test('every customer type is accepted and stored with its data normalized; rich HTML is sanitized', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const session = ok(await im.api.post('/im/sessions', { customer_token: 'c-1', assign_type: 'agent' })).assign_info.im_sub_session_id as number;
  const cdn = 'https://cdn.example.com';
  const sent: [string | undefined, Json, Json][] = [
    // [type, data sent, data stored]
    [undefined, { content: 'Hello <b>there</b> & you' }, { content: 'Hello <b>there</b> &amp; you' }],
    ['message', { content: '<i>Hi</i><script>steal()</script>', font: 'Arial 14px' }, { font: 'Arial 14px', content: '<i>Hi</i>' }],
    ['message', { content: '<p onclick="steal()" style="color:red">Styled</p>' }, { content: '<p>Styled</p>' }],
    ['image', { content: `${cdn}/a.png` }, { content: `${cdn}/a.png` }],
    ['audio', { content: `${cdn}/v.mp3`, filename: 'voice.mp3', filesize: '1.2M', duration: 12.5 }, { content: `${cdn}/v.mp3`, filename: 'voice.mp3', filesize: '1.2M', duration: 12.5 }],
    ['video', { content: 'http://cdn.example.com/v.mp4', duration: 0 }, { content: 'http://cdn.example.com/v.mp4', duration: 0 }],
    ['file', { content: `${cdn}/r.pdf`, filename: 'report.pdf', filesize: 4096 }, { content: `${cdn}/r.pdf`, filename: 'report.pdf', filesize: 4096 }],
    [
      'rich',
      {
        content:
          '<p>See <a href="https://example.com/x?a=1&b=2" target="_self" rel="opener" onclick="steal()">this</a> and <a href="javascript:alert(1)">that</a>' +
          '<img src="https://cdn.example.com/i.png" onerror="alert(1)" alt="pic"><script>alert(2)</script><iframe src="https://evil.example"></iframe></p>',
      },
      {
        content:
          '<p>See <a href="https://example.com/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">this</a> and <a target="_blank" rel="noopener noreferrer nofollow">that</a>' +
          '<img src="https://cdn.example.com/i.png" alt="pic" /></p>',
      },
    ],
    ['struct', { title: 'Order #42' }, { title: 'Order #42' }],
    [
      'struct',
      { title: 'Order #43', description: 'Shipped', image: `${cdn}/o.png`, url: 'https://shop.example.com/43', buttons: [{ text: 'Track', url: 'https://shop.example.com/43/track' }] },
      { title: 'Order #43', description: 'Shipped', image: `${cdn}/o.png`, url: 'https://shop.example.com/43', buttons: [{ text: 'Track', url: 'https://shop.example.com/43/track' }] },
    ],
    ['info', { fields: { name: 'Zhang Wei', age: 30, vip: true, note: null } }, { fields: { name: 'Zhang Wei', age: 30, vip: true, note: null } }],
    ['form_received', { fields: { order: 'A-1' } }, { fields: { order: 'A-1' } }],
  ];
  const ids: string[] = [];
  for (const [type, data] of sent) {
    const res = ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, ...(type === undefined ? {} : { type }), data }));
    assert.equal(res.im_sub_session_id, session);
    assert.match(res.message_id, /^[1-9][0-9]*$/);
    ids.push(res.message_id);
  }
  const stored = await messagesOf(im.admin, session);
  assert.deepEqual(
    stored.map((m) => ({ id: String(m.id), from: m.senderKind, type: m.type, data: m.data })),
    sent.map(([type, , data], i) => ({ id: ids[i], from: 'visitor', type: type ?? 'message', data })),
  );
  const rich = JSON.stringify(stored.find((m) => m.type === 'rich').data);
  for (const unsafe of ['javascript:', 'onerror', 'onclick', '<script', '<iframe', '_self']) assert.ok(!rich.includes(unsafe), `${unsafe} in ${rich}`);

  // The same client_message_id again stores nothing new and answers with the first message.
  const first = ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, data: { content: 'once' }, client_message_id: 'm-1' }));
  const again = ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, data: { content: 'once' }, client_message_id: 'm-1' }));
  assert.equal(again.message_id, first.message_id);
  assert.equal((await messagesOf(im.admin, session)).length, sent.length + 1);

  // close ends the session: no message id, the session has ended with a close.
  const closed = ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: session, type: 'close', data: {} }));
  assert.deepEqual([closed.message_id, closed.im_sub_session_id], [null, session]);
  assert.equal((await im.admin.get(`/api/v1/chats/${session}`)).body.status, 'ended');
  const last = (await messagesOf(im.admin, session)).at(-1);
  assert.deepEqual([last.senderKind, last.type, last.data], ['system', 'close', { endedBy: 'visitor' }]);
  assert.deepEqual(ok(await im.api.get('/im/queue_status?customer_token=c-1')), { code: 1000, status: '未排队', count: 0, im_sub_session_id: null });
});

test('the wrong state gets 409 with code 2009, a bad survey or rating 400 with 2002, and nothing changes', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const q = await im.admin.post('/api/v1/robot/questions', { title: 'What are your opening hours?', answer: 'Every day from 9 to 17.' });
  assert.equal(q.status, 201, JSON.stringify(q.body));
  assert.equal((await im.admin.post('/api/v1/robot/questions', { kind: 'greeting', title: 'hello', answer: 'Hello there!' })).status, 201);

  // A session the customer gave up on while nobody was online, an agent session that has ended,
  // and a robot-only session with an answer and small talk.
  const own = ok(await im.api.post('/im/sessions', { customer_token: 'c-2', assign_type: 'agent' })).assign_info.im_sub_session_id as number;
  ok(await im.api.post('/im/messages', { customer_token: 'c-2', im_sub_session_id: own, type: 'close', data: {} }));
  const agent = await onlineAgent(app, im, 'Alice');
  const ended = await endedAgentSession(im, agent, 'c-1');
  const robot = ok(await im.api.post('/im/sessions', { customer_token: 'c-3' })).assign_info.im_sub_session_id as number;
  const mine = ok(await im.api.post('/im/messages', { customer_token: 'c-3', im_sub_session_id: robot, data: { content: 'what are your opening hours' } }));
  ok(await im.api.post('/im/messages', { customer_token: 'c-3', im_sub_session_id: robot, data: { content: 'hello' } }));
  const [answer, smallTalk] = (await messagesOf(im.admin, robot)).filter((m) => m.senderKind === 'bot');
  assert.deepEqual([answer.data.question_id, smallTalk.data.question_id], [q.body.id, 0]);
  const before = await siteState(im.admin);

  await t.test('writing into or closing an ended session: 2009', async () => {
    refused(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: ended, data: { content: 'still there?' } }), 409, 2009, /ended/);
    refused(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: ended, type: 'image', data: { content: 'https://cdn.example.com/a.png' } }), 409, 2009);
    refused(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: ended, type: 'close', data: {} }), 409, 2009, /already ended/);
    refused(await im.api.post('/im/messages', { customer_token: 'c-2', im_sub_session_id: own, type: 'close', data: {} }), 409, 2009, /already ended/);
  });
  await t.test('a survey of a session no agent took part in: 2009', async () => {
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: robot, option_id: 1 }), 409, 2009, /no agent/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: own, option_id: 1, customer_token: 'c-2' }), 409, 2009, /no agent/);
  });
  await t.test('a survey option that does not exist or is malformed: 2002', async () => {
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 9 }), 400, 2002, /option_id 9/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 0 }), 400, 2002, /option_id/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: '1' }), 400, 2002, /option_id/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended }), 400, 2002, /option_id is required/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 1, stars: 5 }), 400, 2002, /stars is not an allowed parameter/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 1, remark: 'x'.repeat(2001) }), 400, 2002, /remark/);
  });
  await t.test('a survey of a session of another customer: 2004', async () => {
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 1, customer_token: 'c-3' }), 404, 2004);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: 999_999, option_id: 1 }), 404, 2004);
  });
  await t.test('rating small talk, the wrong question or not a robot answer', async () => {
    const rate = (message_id: unknown, question_id: unknown) => im.api.post('/im/robot/answer_rating', { customer_token: 'c-3', message_id, question_id, useful: true });
    refused(await rate(answer.id, 0), 400, 2002, /not question 0/);
    refused(await rate(smallTalk.id, 0), 400, 2002, /small talk/);
    refused(await rate(answer.id, q.body.id + 1), 400, 2002, new RegExp(`answers question ${q.body.id}`));
    refused(await rate(answer.id, -1), 400, 2002, /question_id/);
    refused(await rate('0', q.body.id), 400, 2002, /message_id/);
    refused(await rate('abc', q.body.id), 400, 2002, /message_id/);
    refused(await rate(Number(mine.message_id), q.body.id), 404, 2010, /not found/);
    refused(await rate(999_999, q.body.id), 404, 2010);
    refused(await im.api.post('/im/robot/answer_rating', { customer_token: 'c-3', message_id: answer.id, question_id: q.body.id }), 400, 2002, /useful is required/);
    refused(await im.api.post('/im/robot/answer_rating', { customer_token: 'c-3', message_id: answer.id, question_id: q.body.id, useful: 'yes' }), 400, 2002, /useful/);
  });
  assert.deepEqual(await siteState(im.admin), before);

  // Turned-off remarks, a disabled option and turned-off surveys.
  const survey = (await im.admin.get('/api/v1/im/settings')).body.survey;
  const patch = (body: unknown) => call(app.url, 'PATCH', '/api/v1/im/settings', { token: im.site.admin.token, body });
  const offRemarks = { ...survey, remark_enabled: false, options: survey.options.map((o: Json) => ({ ...o, enabled: o.id !== 5 })) };
  assert.equal((await patch({ survey: offRemarks })).status, 200);
  await t.test('a remark when remarks are off, or a disabled option: 2002', async () => {
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 1, remark: 'Quick and kind' }), 400, 2002, /Remarks are turned off/);
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 5 }), 400, 2002, /option_id 5/);
  });
  assert.equal((await patch({ survey: { ...survey, enabled: false } })).status, 200);
  await t.test('a survey when surveys are off: 2009', async () => {
    refused(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 1 }), 409, 2009, /turned off/);
  });
  assert.deepEqual(await siteState(im.admin), before);

  // With remarks off, a survey without one goes through; rating the right question too.
  assert.equal((await patch({ survey: offRemarks })).status, 200);
  ok(await im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 2, remark: '  ' }));
  const surveys = (await im.admin.get('/api/v1/surveys')).body;
  assert.deepEqual(surveys.map((s: Json) => [s.chatId, s.agentId, s.optionId, s.optionText, s.remark]), [[ended, agent.id, 2, 'Satisfied', null]]);
  ok(await im.api.post('/im/robot/answer_rating', { customer_token: 'c-3', message_id: String(answer.id), question_id: q.body.id, useful: false }));
  assert.deepEqual((await im.admin.get('/api/v1/robot/ratings')).body, [{ questionId: q.body.id, title: 'What are your opening hours?', useful: 0, useless: 1 }]);
});

test('a banned customer gets 403 with code 2011 on every call and changes nothing; lifting the ban lets it back', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const agent = await onlineAgent(app, im, 'Alice');
  const q = await im.admin.post('/api/v1/robot/questions', { title: 'What are your opening hours?', answer: 'Every day from 9 to 17.' });
  assert.equal(q.status, 201, JSON.stringify(q.body));
  const ended = await endedAgentSession(im, agent, 'c-1');
  const robot = ok(await im.api.post('/im/sessions', { customer_token: 'c-1' })).assign_info.im_sub_session_id as number;
  ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: robot, data: { content: 'what are your opening hours' } }));
  const answer = (await messagesOf(im.admin, robot)).find((m) => m.senderKind === 'bot');
  const visitorId = (await im.admin.get(`/api/v1/chats/${robot}`)).body.visitorId as number;
  // The agent bans the customer from the operator panel.
  const ban = await call(app.url, 'POST', `/operator/clients/${visitorId}/ban`, { token: agent.token });
  assert.equal(ban.status, 200, JSON.stringify(ban.body));
  assert.equal(ban.body.isBanned, true);
  const before = await siteState(im.admin);

  const cases: [string, () => Promise<ApiResponse<Json>>][] = [
    ['a message', () => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: robot, data: { content: 'let me in' } })],
    ['a close', () => im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: robot, type: 'close', data: {} })],
    ['a session with the robot', () => im.api.post('/im/sessions', { customer_token: 'c-1' })],
    ['a session with people', () => im.api.post('/im/sessions', { customer_token: 'c-1', assign_type: 'agent' })],
    ['the queue status', () => im.api.get('/im/queue_status?customer_token=c-1')],
    ['a survey answer', () => im.api.post('/im_sessions/survey', { im_sub_session_id: ended, option_id: 1, customer_token: 'c-1' })],
    ['a rating', () => im.api.post('/im/robot/answer_rating', { customer_token: 'c-1', message_id: answer.id, question_id: q.body.id, useful: true })],
    ['an offline message', () => im.api.post('/im/offline_messages', { customer_token: 'c-1', content: 'call me' })],
  ];
  for (const [what, request] of cases) {
    await t.test(what, async () => refused(await request(), 403, 2011, /banned/));
  }
  assert.deepEqual(await siteState(im.admin), before);
  assert.deepEqual((await im.admin.get('/api/v1/offline-messages')).body, []);
  // The application may still read the customer.
  assert.equal(ok(await im.api.get('/im/customers?customer_token=c-1')).customer.customer_token, 'c-1');

  assert.equal((await call(app.url, 'POST', `/operator/clients/${visitorId}/unban`, { token: agent.token })).status, 200);
  ok(await im.api.post('/im/messages', { customer_token: 'c-1', im_sub_session_id: robot, data: { content: 'thanks' } }));
  assert.equal(ok(await im.api.get('/im/queue_status?customer_token=c-1')).im_sub_session_id, robot);
});

test('an unknown /im route gets 404 with code 2014, with or without a key', async (t) => {
  const app = await startParley(t);
  const im = await imSite(t, app);
  const before = await siteState(im.admin);
  const cases: [string, string, string | undefined][] = [
    ['GET', '/im/nope', im.key],
    ['GET', '/im/nope', undefined],
    ['POST', '/im/session', im.key],
    ['GET', '/im/messages', im.key],
    ['DELETE', '/im/customers?customer_token=c-1', im.key],
    ['PATCH', '/im/customers', im.key],
    ['POST', '/im/messages/1/recall', im.key],
    ['GET', '/im/sessions/1', 'garbage'],
  ];
  for (const [method, path, token] of cases) {
    await t.test(`${method} ${path}${token === undefined ? ' without a key' : ''}`, async () => {
      const res = await call(app.url, method, path, { token, ...(method === 'GET' || method === 'DELETE' ? {} : { body: { customer_token: 'c-1' } }) });
      refused(res, 404, 2014, new RegExp(path.split('?')[0]!.replaceAll('/', '\\/')));
    });
  }
  assert.deepEqual(await siteState(im.admin), before);
  refused(await im.api.get('/im/customers?customer_token=c-1'), 404, 2003);
});

test('the 6th call of a key in a minute gets 429 with code 2012 and does nothing; other keys are not held back', async (t) => {
  const app = await startParley(t, { PARLEY_IM_RATE_LIMIT: '5' });
  const a = await imSite(t, app);
  const b = await imSite(t, app);
  for (let i = 1; i <= 5; i++) ok(await a.api.post('/im/customers', { customer_token: `c-${i}` }));
  const sixth = await a.api.post('/im/customers', { customer_token: 'c-6' });
  refused(sixth, 429, 2012);
  assert.ok(Number(sixth.headers.get('retry-after')) > 0, 'Retry-After tells when to try again');
  refused(await a.api.post('/im/customers', { customer_token: 'c-7' }), 429, 2012);
  // The budget is the key's across every IM route, not each route's.
  refused(await a.api.get('/im/customers?customer_token=c-1'), 429, 2012);

  // Another site's key has its own allowance, and so has a second key of the same site.
  for (let i = 1; i <= 5; i++) ok(await b.api.post('/im/customers', { customer_token: `c-${i}` }));
  const second = imClient(app.url, await createImKey(app, a.site, 'second'));
  for (let i = 1; i <= 5; i++) ok(await second.post('/im/customers', { customer_token: `c-${i}`, name: `Customer ${i}` }));
  refused(await second.post('/im/customers', { customer_token: 'c-1' }), 429, 2012);
  // The refused calls created nobody (a fresh key reads, with an allowance of its own).
  const third = imClient(app.url, await createImKey(app, a.site, 'third'));
  refused(await third.get('/im/customers?customer_token=c-6'), 404, 2003);
  refused(await third.get('/im/customers?customer_token=c-7'), 404, 2003);
  assert.equal(ok(await third.get('/im/customers?customer_token=c-1')).customer.name, 'Customer 1');
  const bReader = imClient(app.url, await createImKey(app, b.site, 'reader'));
  refused(await bReader.get('/im/customers?customer_token=c-6'), 404, 2003);
});

test('a refused session request leaves no customer behind, unless the queue was full', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  refused(await im.api.post('/im/sessions', { customer_token: 'new-1', agent_id: 999_999 }), 404, 2005);
  refused(await im.api.post('/im/sessions', { customer_token: 'new-2', group_id: 999_999 }), 404, 2007);
  refused(await im.api.get('/im/customers?customer_token=new-1'), 404, 2003);
  refused(await im.api.get('/im/customers?customer_token=new-2'), 404, 2003);
  // A full queue keeps the customer, who may then leave an offline message.
  assert.equal((await im.admin.patch('/api/v1/im/settings', { maxQueueLength: 0 })).status, 200);
  const full = await im.api.post('/im/sessions', { customer_token: 'new-3', assign_type: 'agent' });
  assert.deepEqual([full.status, full.body.code, full.body.offline], [409, 2008, true]);
  ok(await im.api.post('/im/offline_messages', { customer_token: 'new-3', content: 'Call me back, please.' }));
});
