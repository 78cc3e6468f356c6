// A scripted day of chats on a partner's site, for the Report API's tests and the dashboards'
// browser tests: the node runs on the test's clock, so every figure has a hand-computed answer
// (test/reports.e2e.test.ts lists them).
//
// The day (UTC, 2026-03-28 unless said; A = Alice, B = Bob, Sales = a group of Bob alone):
//   13:00 A online                                   14:00 A away      14:13 B online   14:30 B away
//   C1 13:30 widget, A; accepted 13:31; A 13:32, visitor 13:33, A 13:34:30; visitor ends 13:40; survey option 1 (13:41)
//   C2 14:10 IM API, queued; B 14:13 (online); accepted 14:14; B 14:15; B ends 14:20; survey 4 (14:21), again 3 (14:22)
//   C3 14:40 widget, queued; the visitor leaves 14:45 (abandoned)
//   C4 15:00 widget with the robot: answered (rated useful 15:01), unknown 15:02, hand-over 15:03 -> queued; left 15:05
//   offline message 15:10
//   15:20 A online. C5 15:21 widget, A; accepted 15:22; A transfers to Sales 15:23 (queued); 15:25 B online -> B;
//         accepted 15:26; B 15:27; visitor ends 15:30
//   15:35 A offline. C6 15:40 widget, B; no answer; visitor ends 15:50 (missed)
//   C7 16:30 widget, B; accepted 16:31; B 16:32; visitor ends 16:40
//   C8 2026-03-29 01:30 widget, B; no answer; visitor ends 01:35 (missed)
// The reports are read at 2026-03-29 02:00.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { client } from './api.ts';
import { openVisitor } from './factories.ts';
import { imClient, ok } from './im.ts';
import { operatorLogin } from './operator.ts';
import { type Running, startParley } from './parley.ts';
import { partnerWithTwoSites } from './partners.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

const at = (iso: string) => Date.parse(iso.includes('T') ? iso : `2026-03-28T${iso}Z`);

/** Plays the day on a new node (its other site gets one chat, left in the queue at 14:00); the clock ends at 2026-03-29 02:00 UTC. */
export async function scriptedDay(t: TestContext, env: Record<string, string> = {}) {
  let now = at('12:00');
  const app: Running = await startParley(t, env, { clock: () => now });
  const clock = (time: string) => {
    now = at(time);
  };
  const { partner, one, two, agent } = await partnerWithTwoSites(app, 'Report Partner', ['Day Shop', 'Other Shop']);
  const alice = await agent('Alice');
  const bob = await agent('Bob');
  const sales = await one.admin.post('/api/v1/groups', { name: 'Sales', agentIds: [bob.id] });
  assert.equal(sales.status, 201, JSON.stringify(sales.body));
  const question = await one.admin.post('/api/v1/robot/questions', { title: 'What are your opening hours?', alternatives: ['opening hours'], answer: 'Nine to five.' });
  assert.equal(question.status, 201, JSON.stringify(question.body));
  const key = await one.admin.post('/api/v1/im/keys', { name: 'app' });
  assert.equal(key.status, 201, JSON.stringify(key.body));
  const im = imClient(app.url, key.body.key);

  const status = async (who: typeof alice, s: 'online' | 'away' | 'offline', time: string) => {
    clock(time);
    const res = await who.api.put('/api/v1/agents/me/status', { status: s });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const say = async (api: ReturnType<typeof client>, chatId: number, text: string, time: string) => {
    clock(time);
    const res = await api.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: text } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };
  const act = async (api: ReturnType<typeof client>, path: string, time: string, body: unknown = undefined) => {
    clock(time);
    const res = await api.post(path, body);
    assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const visit = async (time: string, body: Json) => {
    clock(time);
    const visitor = await openVisitor(app, one.siteId);
    const chat = await act(visitor.api, '/api/v1/chats', time, body);
    return { api: visitor.api, chatId: chat.id as number, chat };
  };
  const hello = (content: string) => ({ message: { type: 'message', data: { content } } });

  await status(alice, 'online', '13:00');
  const c1 = await visit('13:30', hello('Hello'));
  assert.equal(c1.chat.agentId, alice.id);
  await act(alice.api, `/api/v1/chats/${c1.chatId}/accept`, '13:31');
  await say(alice.api, c1.chatId, 'Hi, how can I help?', '13:32');
  await say(c1.api, c1.chatId, 'Where is my parcel?', '13:33');
  await say(alice.api, c1.chatId, 'On its way.', '13:34:30');
  await act(c1.api, `/api/v1/chats/${c1.chatId}/end`, '13:40');
  await act(c1.api, `/api/v1/chats/${c1.chatId}/survey`, '13:41', { optionId: 1 });

  await status(alice, 'away', '14:00');
  clock('14:10');
  ok(await im.post('/im/customers', { customer_token: 'cust-2' }));
  const c2 = ok(await im.post('/im/sessions', { customer_token: 'cust-2', assign_type: 'agent' })).assign_info.im_sub_session_id as number;
  await status(bob, 'online', '14:13');
  assert.equal((await bob.api.get(`/api/v1/chats/${c2}`)).body.agentId, bob.id, 'Bob took the waiting chat');
  await act(bob.api, `/api/v1/chats/${c2}/accept`, '14:14');
  await say(bob.api, c2, 'Hello from Bob.', '14:15');
  await act(bob.api, `/api/v1/chats/${c2}/end`, '14:20');
  clock('14:21');
  ok(await im.post('/im_sessions/survey', { customer_token: 'cust-2', im_sub_session_id: c2, option_id: 4 }));
  clock('14:22');
  ok(await im.post('/im_sessions/survey', { customer_token: 'cust-2', im_sub_session_id: c2, option_id: 3 }));
  await status(bob, 'away', '14:30');

  const c3 = await visit('14:40', {});
  assert.equal(c3.chat.status, 'queued');
  await act(c3.api, `/api/v1/chats/${c3.chatId}/end`, '14:45');

  const c4 = await visit('15:00', { assignType: 'robot', ...hello('opening hours') });
  const answer = ((await c4.api.get(`/api/v1/chats/${c4.chatId}/messages`)).body as Json[]).find((m) => m.senderKind === 'bot');
  assert.ok(answer, 'the robot answered');
  await act(c4.api, `/api/v1/chats/${c4.chatId}/messages/${answer.id}/rating`, '15:01', { useful: true });
  await say(c4.api, c4.chatId, 'zzqx blorp wibble', '15:02');
  await say(c4.api, c4.chatId, 'agent', '15:03');
  assert.equal((await c4.api.get(`/api/v1/chats/${c4.chatId}`)).body.status, 'queued', 'the robot handed over; nobody is free');
  await act(c4.api, `/api/v1/chats/${c4.chatId}/end`, '15:05');

  clock('15:10');
  const leaver = await openVisitor(app, one.siteId);
  await act(leaver.api, '/api/v1/offline-messages', '15:10', { content: 'Call me back, please.' });

  await status(alice, 'online', '15:20');
  const c5 = await visit('15:21', hello('Need help'));
  assert.equal(c5.chat.agentId, alice.id);
  await act(alice.api, `/api/v1/chats/${c5.chatId}/accept`, '15:22');
  const operator = await operatorLogin(app, 'alice@one.example', 'agent-pass-1');
  clock('15:23');
  const transferred = await operator.api.post(`/operator/sessions/${c5.chatId}/groupoperators/${sales.body.id}`);
  assert.ok(transferred.status < 300, JSON.stringify(transferred.body));
  await status(bob, 'online', '15:25');
  assert.equal((await bob.api.get(`/api/v1/chats/${c5.chatId}`)).body.agentId, bob.id, 'Sales (Bob) took the transferred chat');
  await act(bob.api, `/api/v1/chats/${c5.chatId}/accept`, '15:26');
  await say(bob.api, c5.chatId, 'Bob here, from Sales.', '15:27');
  await act(c5.api, `/api/v1/chats/${c5.chatId}/end`, '15:30');

  // Signing in to the operator API ended Alice's console session: she signs in again.
  const again = await client(app.url).post('/api/v1/auth/login', { email: 'alice@one.example', password: 'agent-pass-1' });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  alice.api = client(app.url, again.body.token);
  await status(alice, 'offline', '15:35');
  const c6 = await visit('15:40', hello('Anyone?'));
  assert.equal(c6.chat.agentId, bob.id);
  await act(c6.api, `/api/v1/chats/${c6.chatId}/end`, '15:50');

  const c7 = await visit('16:30', hello('Hi again'));
  await act(bob.api, `/api/v1/chats/${c7.chatId}/accept`, '16:31');
  await say(bob.api, c7.chatId, 'Welcome back.', '16:32');
  await act(c7.api, `/api/v1/chats/${c7.chatId}/end`, '16:40');

  const c8 = await visit('2026-03-29T01:30:00Z', hello('Late question'));
  assert.equal(c8.chat.agentId, bob.id);
  await act(c8.api, `/api/v1/chats/${c8.chatId}/end`, '2026-03-29T01:35:00Z');

  // One chat on the partner's other site, for the roll-up: requested at 14:00, left in the queue.
  clock('14:00');
  const otherVisitor = await openVisitor(app, two.siteId);
  const other = await act(otherVisitor.api, '/api/v1/chats', '14:00', {});
  await act(otherVisitor.api, `/api/v1/chats/${other.id}/end`, '14:01');

  clock('2026-03-29T02:00:00Z');
  await app.parley.services.reports.caughtUp();
  return { app, partner, one, two, alice, bob, sales: sales.body.id as number, now: () => now };
}

