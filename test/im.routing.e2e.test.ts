// Routing and queues as an IM API customer's application and the agents see them: capacity, routing
// tiers, groups and named agents with their own queues, least-busy against round-robin, the
// queue's length and wait limits with the offline message, transfers and agents going offline,
// and many customers asking at once for the last free slot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from './helpers/api.ts';
import { createAgent } from './helpers/factories.ts';
import { FAST_WEBHOOKS, type ImSite, imSite, ok } from './helpers/im.ts';
import { type Running, startParley } from './helpers/parley.ts';
import { eventually } from './helpers/receiver.ts';

// The spec's queue statuses.
const QUEUED = '排队中';
const NONE = '未排队';
const TALKING = '会话中';
const ASSIGNING = '分配中';

type Agent = Awaited<ReturnType<typeof createAgent>>;

const patch = (app: Running, token: string, path: string, body: unknown) => call(app.url, 'PATCH', path, { token, body });

/** An agent of the site, with a capacity and a routing tier when given, online. */
async function staff(app: Running, im: ImSite, name: string, opts: { max?: number; priority?: number; online?: boolean } = {}): Promise<Agent> {
  const agent = await createAgent(app, im.site, { name, ...(opts.max !== undefined && { maxConcurrentChats: opts.max }) });
  if (opts.priority !== undefined) {
    const res = await patch(app, im.site.admin.token, `/api/v1/agents/${agent.id}`, { priority: opts.priority });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.priority, opts.priority);
  }
  if (opts.online !== false) await setStatus(agent, 'online');
  return agent;
}

async function setStatus(agent: Agent, status: 'online' | 'away' | 'offline'): Promise<void> {
  const res = await agent.api.put('/api/v1/agents/me/status', { status });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

/** POST /im/sessions for people (unless `extra` says otherwise); the spec's answer. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field
async function open(im: ImSite, customer: string, extra: Record<string, unknown> = {}): Promise<any> {
  return ok(await im.api.post('/im/sessions', { customer_token: customer, assign_type: 'agent', ...extra }));
}

/** The agent a session went to (null while it waits) and its place in the queue (0 when not waiting). */
// biome-ignore lint/suspicious/noExplicitAny: as above
const placed = (s: any): [number | null, number] => [s.assign_info.agent_id, s.assign_info.count];

/** What GET /im/queue_status tells the customer: status and place. */
async function where(im: ImSite, customer: string): Promise<[string, number]> {
  const s = ok(await im.api.get(`/im/queue_status?customer_token=${encodeURIComponent(customer)}`));
  return [s.status, s.count];
}

/** A session as the site's agents see it on the native API. */
// biome-ignore lint/suspicious/noExplicitAny: as above
async function chat(im: ImSite, id: number): Promise<any> {
  const res = await im.admin.get(`/api/v1/chats/${id}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

async function end(agent: Agent, id: number): Promise<void> {
  const res = await agent.api.post(`/api/v1/chats/${id}/end`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function accept(agent: Agent, id: number): Promise<void> {
  const res = await agent.api.post(`/api/v1/chats/${id}/accept`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function createGroup(im: ImSite, name: string, agentIds: number[]): Promise<number> {
  const res = await im.admin.post('/api/v1/groups', { name, agentIds });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as number;
}

/** The assignment webhooks a customer received: `type:agent_id`, in order. */
function assignments(im: ImSite, customer: string): string[] {
  return im
    .replies(customer)
    .filter((r) => r.message.type === 'info_appoint' || r.message.type === 'transfer')
    .map((r) => `${r.message.type}:${r.message.agent_id}`);
}

const sid = (s: { assign_info: { im_sub_session_id: number } }) => s.assign_info.im_sub_session_id;

test('an agent gets exactly as many sessions as its capacity; the next waits until a chat ends or the capacity grows', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const alice = await staff(app, im, 'Alice', { max: 2 });

  const s1 = await open(im, 'cap-1');
  const s2 = await open(im, 'cap-2');
  assert.deepEqual(placed(s1), [alice.id, 0]);
  assert.deepEqual(placed(s2), [alice.id, 0]);
  assert.equal(s1.assign_info.agent_name, 'Alice');
  const s3 = await open(im, 'cap-3');
  assert.deepEqual(placed(s3), [null, 1]);
  assert.deepEqual(await where(im, 'cap-3'), [QUEUED, 1]);
  assert.equal((await chat(im, sid(s3))).status, 'queued');

  // Alice ends one chat: the waiting session is hers at once, and its customer is told.
  await end(alice, sid(s1));
  assert.deepEqual(await where(im, 'cap-3'), [ASSIGNING, 0]);
  assert.equal((await chat(im, sid(s3))).agentId, alice.id);
  await eventually(() => assignments(im, 'cap-3').length === 1, 'the info_appoint of the session that waited');
  assert.deepEqual(assignments(im, 'cap-3'), [`info_appoint:${alice.id}`]);
  assert.equal(im.replies('cap-3')[0].message.agent_name, 'Alice');

  // Two more wait; raising her capacity to 4 hands her both at once, and the one after waits again.
  const s4 = await open(im, 'cap-4');
  const s5 = await open(im, 'cap-5');
  assert.deepEqual([placed(s4), placed(s5)], [[null, 1], [null, 2]]);
  const raised = await patch(app, im.site.admin.token, `/api/v1/agents/${alice.id}`, { maxConcurrentChats: 4 });
  assert.equal(raised.status, 200, JSON.stringify(raised.body));
  assert.equal(raised.body.maxConcurrentChats, 4);
  assert.deepEqual(await where(im, 'cap-4'), [ASSIGNING, 0]);
  assert.deepEqual(await where(im, 'cap-5'), [ASSIGNING, 0]);
  for (const s of [s4, s5]) assert.equal((await chat(im, sid(s))).agentId, alice.id);
  assert.deepEqual(placed(await open(im, 'cap-6')), [null, 1]);
  // Accepting does not free a slot: an accepted chat counts as much as an offered one.
  await accept(alice, sid(s2));
  assert.deepEqual(await where(im, 'cap-6'), [QUEUED, 1]);
});

test('an agent created without a capacity takes six sessions (the default) and queues the seventh', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const bob = await staff(app, im, 'Bob');
  assert.equal((await im.admin.get(`/api/v1/agents/${bob.id}`)).body.maxConcurrentChats, 6);
  for (let i = 1; i <= 6; i++) assert.deepEqual(placed(await open(im, `default-${i}`)), [bob.id, 0], `session ${i}`);
  assert.deepEqual(placed(await open(im, 'default-7')), [null, 1]);
  assert.deepEqual(await where(im, 'default-7'), [QUEUED, 1]);
});

test('tier 1 agents get sessions before tier 2, even when busier; tier 2 only when tier 1 is full', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const first = await staff(app, im, 'Tier One', { max: 3 });
  const second = await staff(app, im, 'Tier Two', { max: 3, priority: 2 });
  assert.equal((await im.admin.get(`/api/v1/agents/${first.id}`)).body.priority, 1, 'tier 1 is the default');

  // Tier 1 takes three while tier 2 sits idle, whatever the loads.
  const s1 = await open(im, 'tier-1');
  const s2 = await open(im, 'tier-2');
  const s3 = await open(im, 'tier-3');
  assert.deepEqual([s1, s2, s3].map((s) => s.assign_info.agent_id), [first.id, first.id, first.id]);
  // Tier 1 is full: tier 2 gets the next.
  const s4 = await open(im, 'tier-4');
  assert.deepEqual(placed(s4), [second.id, 0]);
  // Tier 1 has room again, and is busier (2 chats) than tier 2 (1): tier 1 still comes first.
  await end(first, sid(s1));
  assert.deepEqual(placed(await open(im, 'tier-5')), [first.id, 0]);
  assert.deepEqual(placed(await open(im, 'tier-6')), [second.id, 0]);

  // Each finishes one (tier one holds 2, tier two 1). Promoted to tier 1, tier two now ranks by load
  // with tier one, and the less busy wins where tier one won before.
  await end(first, sid(s2));
  await end(second, sid(s4));
  const promoted = await patch(app, im.site.admin.token, `/api/v1/agents/${second.id}`, { priority: 1 });
  assert.equal(promoted.status, 200, JSON.stringify(promoted.body));
  assert.deepEqual(placed(await open(im, 'tier-7')), [second.id, 0]);
});

test('a session for a group goes only to its members and waits in the group queue; each queue counts from 1', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const member = await staff(app, im, 'Member', { max: 1 });
  const outsider = await staff(app, im, 'Outsider', { max: 1 });
  const billing = await createGroup(im, 'Billing', [member.id]);
  const openOf = async (agent: Agent) => (await im.admin.get(`/operator/sessions?status=open&operatorId=${agent.id}`)).body.items.map((c: { id: number }) => c.id);

  const g1 = await open(im, 'group-1', { group_id: billing });
  assert.deepEqual(placed(g1), [member.id, 0]);
  // The member is full: the next waits for the group although the outsider is free.
  const g2 = await open(im, 'group-2', { group_id: billing });
  assert.deepEqual(placed(g2), [null, 1]);
  assert.equal((await chat(im, sid(g2))).groupId, billing);
  assert.deepEqual(await openOf(outsider), [], 'the outsider was offered nothing');

  // The site's queue is another queue: the outsider takes a session for anyone, the next waits at 1.
  const s1 = await open(im, 'site-1');
  assert.deepEqual(placed(s1), [outsider.id, 0]);
  const s2 = await open(im, 'site-2');
  assert.deepEqual(placed(s2), [null, 1]);
  const g3 = await open(im, 'group-3', { group_id: billing });
  assert.deepEqual(placed(g3), [null, 2]);
  assert.deepEqual(await where(im, 'group-2'), [QUEUED, 1]);
  assert.deepEqual(await where(im, 'site-2'), [QUEUED, 1]);
  assert.deepEqual(await where(im, 'group-3'), [QUEUED, 2]);

  // The outsider frees a slot: the site's queue moves; the group's, ahead of it, waits for a member.
  await end(outsider, sid(s1));
  assert.deepEqual(await where(im, 'site-2'), [ASSIGNING, 0]);
  assert.deepEqual(await openOf(outsider), [sid(s2)]);
  assert.deepEqual(await where(im, 'group-2'), [QUEUED, 1]);
  assert.deepEqual(await where(im, 'group-3'), [QUEUED, 2]);

  // The member frees a slot: the group's queue moves.
  await end(member, sid(g1));
  assert.deepEqual(await where(im, 'group-2'), [ASSIGNING, 0]);
  assert.equal((await chat(im, sid(g2))).agentId, member.id);
  assert.deepEqual(await where(im, 'group-3'), [QUEUED, 1]);
  await eventually(() => assignments(im, 'group-2').length === 1, 'the info_appoint of the group session');
  assert.deepEqual(assignments(im, 'group-2'), [`info_appoint:${member.id}`]);
});

test('a named agent wins over a group; an offline one is refused with 2006; a busy one queues for that agent only', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const ann = await staff(app, im, 'Ann', { max: 1 });
  const ben = await staff(app, im, 'Ben', { max: 3 });
  const carl = await staff(app, im, 'Carl', { max: 3, online: false });
  const sales = await createGroup(im, 'Sales', [ann.id]);

  // agent_id wins over group_id: Ben, who is not in Sales, gets it.
  const a1 = await open(im, 'named-1', { agent_id: ben.id, group_id: sales });
  assert.deepEqual(placed(a1), [ben.id, 0]);
  assert.equal((await chat(im, sid(a1))).groupId, null);

  // Ann takes one; the next two for her wait in her own queue while Ben has room.
  assert.deepEqual(placed(await open(im, 'named-2', { agent_id: ann.id })), [ann.id, 0]);
  const a3 = await open(im, 'named-3', { agent_id: ann.id });
  assert.deepEqual(placed(a3), [null, 1]);
  const a4 = await open(im, 'named-4', { agent_id: ann.id, group_id: sales });
  assert.deepEqual(placed(a4), [null, 2]);
  // A session for anyone goes to Ben at once: nobody waits in the site's queue.
  assert.deepEqual(placed(await open(im, 'named-5')), [ben.id, 0]);
  assert.deepEqual(await where(im, 'named-3'), [QUEUED, 1]);

  // Carl is offline: refused with 2006, also when a group is named too (agent_id wins); nothing opens.
  for (const body of [{ agent_id: carl.id }, { agent_id: carl.id, group_id: sales }]) {
    const res = await im.api.post('/im/sessions', { customer_token: 'named-6', assign_type: 'agent', ...body });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.code, 2006, JSON.stringify(res.body));
  }
  // Nothing opened, and the customer the refused call would have created does not exist either.
  assert.equal((await im.api.get('/im/customers?customer_token=named-6')).body.code, 2003);
  // An agent the site does not have is another code.
  const unknown = await im.api.post('/im/sessions', { customer_token: 'named-6', agent_id: 999_999 });
  assert.equal(unknown.body.code, 2005, JSON.stringify(unknown.body));

  // Ben frees a slot: Ann's queue does not move.
  await end(ben, sid(a1));
  assert.deepEqual(await where(im, 'named-3'), [QUEUED, 1]);
  // Ann frees hers: her queue moves.
  const annChat = (await im.admin.get(`/operator/sessions?status=open&operatorId=${ann.id}`)).body.items[0];
  await end(ann, annChat.id);
  assert.deepEqual(await where(im, 'named-3'), [ASSIGNING, 0]);
  assert.equal((await chat(im, sid(a3))).agentId, ann.id);
  assert.deepEqual(await where(im, 'named-4'), [QUEUED, 1]);
  // Carl comes online: a session for him opens and is his.
  await setStatus(carl, 'online');
  assert.deepEqual(placed(await open(im, 'named-6', { agent_id: carl.id })), [carl.id, 0]);
});

test('least-busy gives each session to the less loaded agent; round-robin rotates strictly whatever the loads', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const a = await staff(app, im, 'A', { max: 10 });
  const b = await staff(app, im, 'B', { max: 10 });
  assert.equal((await im.admin.get('/api/v1/im/settings')).body.routing.rule, 'least-busy', 'the default rule');
  const sessions = new Map<string, number>();
  const pick = async (customer: string): Promise<string> => {
    const s = await open(im, customer);
    assert.equal(s.assign_info.count, 0);
    sessions.set(customer, sid(s));
    return s.assign_info.agent_id === a.id ? 'A' : s.assign_info.agent_id === b.id ? 'B' : String(s.assign_info.agent_id);
  };
  const rule = async (r: 'least-busy' | 'round-robin') => {
    const res = await patch(app, im.site.admin.token, '/api/v1/im/settings', { rule: r });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.routing.rule, r);
  };

  // Equal loads: least-busy alternates.
  assert.deepEqual([await pick('r1'), await pick('r2'), await pick('r3'), await pick('r4')], ['A', 'B', 'A', 'B']);
  // A finishes both of hers (A 0, B 2): she gets the next two, until the loads are level again.
  await end(a, sessions.get('r1')!);
  await end(a, sessions.get('r3')!);
  assert.deepEqual([await pick('r5'), await pick('r6'), await pick('r7')], ['A', 'A', 'B']);

  // Round-robin. A finishes hers again (A 0, B 3): she is next in turn, then B, though B is far busier.
  await rule('round-robin');
  await end(a, sessions.get('r5')!);
  await end(a, sessions.get('r6')!);
  assert.deepEqual([await pick('r8'), await pick('r9'), await pick('r10'), await pick('r11')], ['A', 'B', 'A', 'B']);

  // Back to least-busy (A 2, B 5): A again and again.
  await rule('least-busy');
  assert.deepEqual([await pick('r12'), await pick('r13')], ['A', 'A']);
});

test('a full queue refuses the next customer with 2008 and the offline message; the customer leaves a message an agent handles', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const alice = await staff(app, im, 'Alice', { max: 1 });
  const offline = 'Everyone is busy right now. Leave us a note and we will write back.';
  const set = await patch(app, im.site.admin.token, '/api/v1/im/settings', { maxQueueLength: 1, offlineMessage: offline });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual([set.body.routing.maxQueueLength, set.body.routing.offlineMessage], [1, offline]);

  const q1 = await open(im, 'full-1');
  assert.deepEqual(placed(q1), [alice.id, 0]);
  assert.deepEqual(placed(await open(im, 'full-2')), [null, 1]);
  const chatsBefore = (await im.admin.get('/api/v1/chats')).body.map((c: { id: number }) => c.id);
  assert.equal(chatsBefore.length, 2);

  // One waits already: the next is refused, with the offline message, and nothing is opened.
  const refused = await im.api.post('/im/sessions', { customer_token: 'full-3', assign_type: 'agent' });
  assert.equal(refused.status, 409);
  assert.deepEqual(refused.body, { code: 2008, message: offline, offline: true });
  const status = ok(await im.api.get('/im/queue_status?customer_token=full-3'));
  assert.deepEqual([status.status, status.count, status.im_sub_session_id], [NONE, 0, null]);
  assert.deepEqual((await im.admin.get('/api/v1/chats')).body.map((c: { id: number }) => c.id), chatsBefore);

  // A customer with the robot who asks for people is refused the same way and stays with the robot.
  const robot = ok(await im.api.post('/im/sessions', { customer_token: 'full-4' }));
  assert.equal(robot.assign_type, 'robot');
  const handover = await im.api.post('/im/sessions', { customer_token: 'full-4', assign_type: 'agent' });
  assert.deepEqual([handover.status, handover.body.code, handover.body.offline], [409, 2008, true]);
  const robotStatus = ok(await im.api.get('/im/queue_status?customer_token=full-4'));
  assert.deepEqual([robotStatus.status, robotStatus.im_sub_session_id], [NONE, sid(robot)]);
  assert.equal((await chat(im, sid(robot))).status, 'bot');

  // The refused customer leaves a message; an agent finds it and marks it handled.
  const left = ok(await im.api.post('/im/offline_messages', { customer_token: 'full-3', content: 'Please call me back about order 17.', email: 'full3@example.com' }));
  const messageId = left.offline_message_id as number;
  assert.equal(typeof messageId, 'number');
  const fresh = (await alice.api.get('/api/v1/offline-messages?status=new')).body;
  const mine = fresh.find((m: { id: number }) => m.id === messageId);
  assert.deepEqual(
    { token: mine.customerToken, content: mine.content, email: mine.email, status: mine.status, handledBy: mine.handledBy },
    { token: 'full-3', content: 'Please call me back about order 17.', email: 'full3@example.com', status: 'new', handledBy: null },
  );
  const handled = await patch(app, alice.token, `/api/v1/offline-messages/${messageId}`, { status: 'handled' });
  assert.equal(handled.status, 204, JSON.stringify(handled.body));
  const done = (await alice.api.get('/api/v1/offline-messages?status=handled')).body.find((m: { id: number }) => m.id === messageId);
  assert.equal(done.handledBy, alice.id);
  assert.equal(typeof done.handledAt, 'string');
  assert.equal((await alice.api.get('/api/v1/offline-messages?status=new')).body.some((m: { id: number }) => m.id === messageId), false);

  // Room in the queue again: the refused customer can now wait.
  await end(alice, sid(q1));
  assert.deepEqual(await where(im, 'full-2'), [ASSIGNING, 0]);
  assert.deepEqual(placed(await open(im, 'full-3')), [null, 1]);
});

test('a session that waited longer than the limit ends with a queue_timeout close and the offline message; the others move up', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const alice = await staff(app, im, 'Alice', { max: 1 });
  const offline = 'Sorry for the wait. Leave us a message and we will get back to you.';
  const set = await patch(app, im.site.admin.token, '/api/v1/im/settings', { maxQueueWaitSeconds: 60, offlineMessage: offline });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const { chats } = app.parley.services;

  const w0 = await open(im, 'wait-0');
  assert.deepEqual(placed(w0), [alice.id, 0]);
  const w1 = await open(im, 'wait-1');
  const w1At = Date.parse((await chat(im, sid(w1))).requestedAt);
  // The next ones join the queue at least a millisecond later (what "older than the limit" tells apart).
  await eventually(() => Date.now() > w1At + 1, 'the clock to move past the first queued session');
  const w2 = await open(im, 'wait-2');
  const w3 = await open(im, 'wait-3');
  assert.deepEqual([placed(w1), placed(w2), placed(w3)], [[null, 1], [null, 2], [null, 3]]);
  assert.ok(Date.parse((await chat(im, sid(w2))).requestedAt) > w1At);

  // Nobody has waited a minute yet.
  assert.equal(await chats.endOverdueQueuedChats(new Date()), 0);
  assert.deepEqual(await where(im, 'wait-1'), [QUEUED, 1]);

  // A minute after the first joined, only the first is overdue: it ends, the others move up.
  assert.equal(await chats.endOverdueQueuedChats(new Date(w1At + 60_001)), 1);
  assert.deepEqual(await where(im, 'wait-1'), [NONE, 0]);
  assert.deepEqual(await where(im, 'wait-2'), [QUEUED, 1]);
  assert.deepEqual(await where(im, 'wait-3'), [QUEUED, 2]);
  const ended = await chat(im, sid(w1));
  assert.deepEqual([ended.status, ended.endedBy], ['ended', 'system']);
  await eventually(() => im.replies('wait-1').some((r) => r.message.type === 'close'), 'the close webhook of the overdue session');
  const close = im.replies('wait-1').find((r) => r.message.type === 'close');
  assert.equal(close.assign_type, 'agent');
  assert.equal(close.message.im_sub_session_id, sid(w1));
  assert.deepEqual(close.message.data, { endedBy: 'system', reason: 'queue_timeout', offlineMessage: offline });
  assert.equal(im.replies('wait-1').some((r) => r.message.type === 'survey'), false, 'no survey for a session no agent took');

  // Much later, the rest of the queue ends too; the session with an agent is no queue's business.
  assert.equal(await chats.endOverdueQueuedChats(new Date(Date.now() + 3_600_000)), 2);
  assert.deepEqual(await where(im, 'wait-2'), [NONE, 0]);
  assert.deepEqual(await where(im, 'wait-3'), [NONE, 0]);
  assert.deepEqual(await where(im, 'wait-0'), [ASSIGNING, 0]);
  await eventually(() => ['wait-2', 'wait-3'].every((c) => im.replies(c).some((r) => r.message.data.reason === 'queue_timeout')), 'the other closes');
  // The customer may then leave a message.
  ok(await im.api.post('/im/offline_messages', { customer_token: 'wait-1', content: 'I waited too long; please e-mail me.' }));
  assert.equal((await alice.api.get('/api/v1/offline-messages')).body[0].customerToken, 'wait-1');
});

test('the max-wait sweep ends only sessions still waiting, never one routing gave to an agent meanwhile', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const alice = await staff(app, im, 'Alice', { max: 1 });
  const set = await patch(app, im.site.admin.token, '/api/v1/im/settings', { maxQueueWaitSeconds: 60 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const busy = await open(im, 'race-busy');
  assert.deepEqual(placed(busy), [alice.id, 0]);
  const customers = Array.from({ length: 40 }, (_, i) => `race-${i}`);
  const ids = new Map<string, number>();
  for (const c of customers) ids.set(c, sid(await open(im, c)));

  // An hour later the whole queue is overdue, and at that very moment Alice gets room for everyone.
  const [ended, raised] = await Promise.all([
    app.parley.services.chats.endOverdueQueuedChats(new Date(Date.now() + 3_600_000)),
    patch(app, im.site.admin.token, `/api/v1/agents/${alice.id}`, { maxConcurrentChats: 100 }),
  ]);
  assert.equal(raised.status, 200, JSON.stringify(raised.body));

  // Each customer either waited out the limit (ended, no agent ever) or is with Alice; never both.
  let timedOut = 0;
  for (const c of customers) {
    const s = await chat(im, ids.get(c)!);
    if (s.status === 'ended') {
      timedOut += 1;
      assert.deepEqual([s.agentId, s.endedBy], [null, 'system'], `${c} ended, so no agent had it`);
      assert.deepEqual(await where(im, c), [NONE, 0]);
    } else {
      assert.deepEqual([s.status, s.agentId], ['assigned', alice.id], `${c} is with Alice`);
      assert.deepEqual(await where(im, c), [ASSIGNING, 0]);
    }
  }
  assert.equal(timedOut, ended, 'the sweep counts what it ended');
  await eventually(() => customers.every((c) => im.replies(c).length > 0), 'a webhook for every customer');
  for (const c of customers) {
    const kinds = im.replies(c).map((r) => (r.message.type === 'close' ? `close:${r.message.data.reason}` : r.message.type));
    assert.ok(kinds.length === 1 && ['info_appoint', 'close:queue_timeout'].includes(kinds[0]), `${c} heard ${kinds.join(', ')}`);
  }
});

test('transfers: to another agent (transfer webhook), to a group whose members are busy (waits in its queue), then to its member', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const ann = await staff(app, im, 'Ann', { max: 2 });
  const first = await open(im, 'moving');
  assert.deepEqual(placed(first), [ann.id, 0]);
  const id = sid(first);
  await accept(ann, id);
  const ben = await staff(app, im, 'Ben', { max: 2 });
  const cat = await staff(app, im, 'Cat', { max: 1 });
  const dan = await staff(app, im, 'Dan', { max: 2, online: false });
  const escalations = await createGroup(im, 'Escalations', [cat.id]);
  const busy = await open(im, 'cats-own', { group_id: escalations });
  assert.deepEqual(placed(busy), [cat.id, 0]);

  // Not to an agent who is offline.
  const refused = await ann.api.post(`/operator/sessions/${id}/operators/${dan.id}`);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal((await chat(im, id)).agentId, ann.id);

  // Ann → Ben, through the operator API: the conversation goes on with Ben.
  const toBen = await ann.api.post(`/operator/sessions/${id}/operators/${ben.id}`);
  assert.equal(toBen.status, 200, JSON.stringify(toBen.body));
  assert.deepEqual([toBen.body.agentId, toBen.body.status], [ben.id, 'active']);
  assert.deepEqual(await where(im, 'moving'), [TALKING, 0]);
  await eventually(() => assignments(im, 'moving').length === 2, 'the transfer webhook');
  const transfer = im.replies('moving').find((r) => r.message.type === 'transfer');
  assert.deepEqual(
    { id: transfer.message.agent_id, name: transfer.message.agent_name, session: transfer.message.im_sub_session_id, from: transfer.message.data.from_agent_id },
    { id: ben.id, name: 'Ben', session: id, from: ann.id },
  );
  // Ann no longer holds it.
  assert.equal((await ann.api.post(`/api/v1/chats/${id}/end`)).status, 403);

  // Ben → Escalations: Cat is busy, so it waits in the group's queue though Ann and Ben have room.
  const toGroup = await ben.api.post(`/operator/sessions/${id}/groupoperators/${escalations}`);
  assert.equal(toGroup.status, 200, JSON.stringify(toGroup.body));
  assert.deepEqual([toGroup.body.status, toGroup.body.agentId, toGroup.body.groupId, toGroup.body.queuePosition], ['queued', null, escalations, 1]);
  assert.deepEqual(await where(im, 'moving'), [QUEUED, 1]);
  // A session for anyone still goes to a free agent: the group's queue is its own.
  assert.deepEqual(placed(await open(im, 'anyone')), [ann.id, 0]);
  assert.deepEqual(await where(im, 'moving'), [QUEUED, 1]);

  // Cat finishes: the session is Cat's at once.
  await end(cat, sid(busy));
  assert.deepEqual(await where(im, 'moving'), [ASSIGNING, 0]);
  assert.equal((await chat(im, id)).agentId, cat.id);
  await eventually(() => assignments(im, 'moving').length === 3, 'the assignment to the group member');
  assert.deepEqual(assignments(im, 'moving'), [`info_appoint:${ann.id}`, `transfer:${ben.id}`, `info_appoint:${cat.id}`]);
});

test('an agent going offline or away hands back the sessions not accepted yet: to the queue, or to another free agent', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  const im = await imSite(t, app);
  const xena = await staff(app, im, 'Xena', { max: 3 });
  const talking = await open(im, 'off-1');
  const offered = await open(im, 'off-2');
  assert.deepEqual([placed(talking), placed(offered)], [[xena.id, 0], [xena.id, 0]]);
  await accept(xena, sid(talking));
  const yuri = await staff(app, im, 'Yuri', { max: 3, online: false });

  // Xena goes offline with nobody else online: the accepted session stays hers, the other queues.
  await setStatus(xena, 'offline');
  assert.deepEqual(await where(im, 'off-1'), [TALKING, 0]);
  assert.deepEqual(await where(im, 'off-2'), [QUEUED, 1]);
  assert.equal((await chat(im, sid(offered))).agentId, null);

  // Yuri comes online and takes it at once.
  await setStatus(yuri, 'online');
  assert.deepEqual(await where(im, 'off-2'), [ASSIGNING, 0]);
  assert.equal((await chat(im, sid(offered))).agentId, yuri.id);

  // Xena is back; Yuri steps away before accepting: it goes straight to Xena.
  await setStatus(xena, 'online');
  await setStatus(yuri, 'away');
  assert.deepEqual(await where(im, 'off-2'), [ASSIGNING, 0]);
  assert.equal((await chat(im, sid(offered))).agentId, xena.id);

  await eventually(() => assignments(im, 'off-2').length === 3, 'three assignments of the handed-back session');
  assert.deepEqual(assignments(im, 'off-2'), [`info_appoint:${xena.id}`, `info_appoint:${yuri.id}`, `info_appoint:${xena.id}`]);
  assert.deepEqual(assignments(im, 'off-1'), [`info_appoint:${xena.id}`]);
});

test('ten customers at once for one free slot: exactly one is assigned, nine queue at distinct places 1..9', async (t) => {
  const app = await startParley(t, FAST_WEBHOOKS);
  for (let round = 1; round <= 3; round++) {
    const im = await imSite(t, app);
    const solo = await staff(app, im, `Solo ${round}`, { max: 2 });
    assert.deepEqual(placed(await open(im, 'warm')), [solo.id, 0]);

    const customers = Array.from({ length: 10 }, (_, i) => `rush-${round}-${i}`);
    const answers = (await Promise.all(customers.map((c) => im.api.post('/im/sessions', { customer_token: c, assign_type: 'agent' })))).map(ok);
    const assigned = answers.filter((a) => a.assign_info.agent_id !== null);
    assert.equal(assigned.length, 1, `round ${round}: exactly one assigned`);
    assert.deepEqual(placed(assigned[0]), [solo.id, 0]);
    const waiting = answers.filter((a) => a.assign_info.agent_id === null);
    assert.deepEqual(
      waiting.map((a) => a.assign_info.count).sort((x: number, y: number) => x - y),
      [1, 2, 3, 4, 5, 6, 7, 8, 9],
      `round ${round}: distinct places`,
    );
    assert.equal(new Set(answers.map(sid)).size, 10, 'ten sessions');

    // What each customer reads afterwards agrees with what it was told.
    for (const [i, c] of customers.entries()) {
      const a = answers[i];
      assert.deepEqual(await where(im, c), a.assign_info.agent_id === null ? [QUEUED, a.assign_info.count] : [ASSIGNING, 0], `${c}`);
    }
    const queued = (await im.admin.get('/api/v1/chats?status=queued')).body;
    assert.equal(queued.length, 9);
    assert.deepEqual(queued.map((c: { queuePosition: number }) => c.queuePosition).sort((x: number, y: number) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }
});
