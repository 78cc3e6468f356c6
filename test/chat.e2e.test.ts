// The first chat, end to end: a site admin creates an agent, the agent goes online, a visitor asks
// for a chat, routing assigns or queues it, both sides talk in real time, either side ends it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

test('a visitor and an agent chat in real time, and both read the stored history', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site, { name: 'Alice' });
  const agentLive = await connectLive(app.url, agent.token);
  t.after(() => agentLive.close());

  assert.equal((await agent.api.put('/api/v1/agents/me/status', { status: 'online' })).body.status, 'online');

  const visitor = await openVisitor(app, site.siteId);
  const visitorLive = await connectLive(app.url, visitor.token, '/connection/websocket');
  t.after(() => visitorLive.close());

  const requested = await visitor.api.post('/api/v1/chats', {
    message: { type: 'message', data: { content: 'Hello, I need help' }, clientMessageId: 'v-1' },
  });
  assert.equal(requested.status, 201, JSON.stringify(requested.body));
  assert.equal(requested.body.status, 'assigned');
  assert.equal(requested.body.agentId, agent.id);
  const chatId: number = requested.body.id;

  // The agent is told in real time, and sees the visitor's first message.
  const offer = await agentLive.next((d) => d.event === 'chatSessionAdded', 'chatSessionAdded');
  assert.equal((offer.session as { id: number }).id, chatId);
  const first = await agentLive.next((d) => d.event === 'chatMessageCreated', 'first message');
  assert.equal((first.message as { data: { content: string } }).data.content, 'Hello, I need help');

  const accepted = await agent.api.post(`/api/v1/chats/${chatId}/accept`);
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.status, 'active');
  await visitorLive.next((d) => d.event === 'chatAccepted', 'chatAccepted for visitor');

  const reply = await agent.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'Hi, Alice here' } });
  assert.equal(reply.status, 201);
  const got = await visitorLive.next(
    (d) => d.event === 'chatMessageCreated' && (d.message as { senderKind: string }).senderKind === 'agent',
    'agent message at visitor',
  );
  assert.deepEqual((got.message as { data: unknown }).data, { content: 'Hi, Alice here' });

  const answer = await visitor.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'Thanks!' } });
  assert.equal(answer.status, 201);
  const atAgent = await agentLive.next(
    (d) => d.event === 'chatMessageCreated' && (d.message as { seq: number }).seq === answer.body.seq,
    'visitor reply at agent',
  );
  assert.equal((atAgent.message as { data: { content: string } }).data.content, 'Thanks!');

  const ended = await visitor.api.post(`/api/v1/chats/${chatId}/end`);
  assert.equal(ended.status, 200);
  assert.equal(ended.body.status, 'ended');
  assert.equal(ended.body.endedBy, 'visitor');
  await agentLive.next((d) => d.event === 'sessionClosedByClient', 'sessionClosedByClient at agent');

  // Both read the same history, in order, with gap-free sequence numbers.
  for (const reader of [agent.api, visitor.api]) {
    const history = await reader.get(`/api/v1/chats/${chatId}/messages`);
    assert.equal(history.status, 200);
    assert.deepEqual(
      history.body.map((m: { seq: number; senderKind: string; type: string }) => [m.seq, m.senderKind, m.type]),
      [
        [1, 'visitor', 'message'],
        [2, 'agent', 'message'],
        [3, 'visitor', 'message'],
        [4, 'system', 'close'],
      ],
    );
  }
  // An ended chat takes no more messages.
  const late = await visitor.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'one more' } });
  assert.equal(late.status, 409);
  assert.equal(late.body.type, 'urn:parley:problem:invalid-state');
});

test('with no agent free the chat queues, the visitor hears its position, and an agent going online takes it', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site, { maxConcurrentChats: 1 });
  const agentLive = await connectLive(app.url, agent.token);
  t.after(() => agentLive.close());

  const v1 = await openVisitor(app, site.siteId, 'First');
  const v2 = await openVisitor(app, site.siteId, 'Second');
  const v2Live = await connectLive(app.url, v2.token);
  t.after(() => v2Live.close());

  const c1 = await v1.api.post('/api/v1/chats', {});
  assert.equal(c1.body.status, 'queued');
  assert.equal(c1.body.queuePosition, 1);
  const c2 = await v2.api.post('/api/v1/chats', {});
  assert.equal(c2.body.status, 'queued');
  assert.equal(c2.body.queuePosition, 2);
  assert.equal((await v2Live.next((d) => d.event === 'chatQueued', 'chatQueued')).queuePosition, 2);

  // Going online takes the oldest chat only (capacity 1); the second moves up to position 1.
  await agent.api.put('/api/v1/agents/me/status', { status: 'online' });
  const offer = await agentLive.next((d) => d.event === 'chatSessionAdded', 'assignment');
  assert.equal((offer.session as { id: number }).id, c1.body.id);
  const moved = await v2Live.next((d) => d.event === 'queuePositionChanged', 'position change');
  assert.equal(moved.queuePosition, 1);
  assert.equal((await v2.api.get(`/api/v1/chats/${c2.body.id}`)).body.queuePosition, 1);

  // Ending the first chat frees the agent, who is offered the second at once.
  await agent.api.post(`/api/v1/chats/${c1.body.id}/accept`);
  await agent.api.post(`/api/v1/chats/${c1.body.id}/end`);
  const second = await agentLive.next(
    (d) => d.event === 'chatSessionAdded' && (d.session as { id: number }).id === c2.body.id,
    'second assignment',
  );
  assert.equal((second.session as { status: string }).status, 'assigned');
  await v2Live.next((d) => d.event === 'chatAssigned', 'visitor told of assignment');
});

test('re-sending a message with the same client message id returns the first message and stores nothing', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const visitor = await openVisitor(app, site.siteId);
  const chat = await visitor.api.post('/api/v1/chats', {});
  const path = `/api/v1/chats/${chat.body.id}/messages`;

  const first = await visitor.api.post(path, { type: 'message', data: { content: 'once' }, clientMessageId: 'abc-1' });
  assert.equal(first.status, 201);
  const again = await visitor.api.post(path, { type: 'message', data: { content: 'changed on retry' }, clientMessageId: 'abc-1' });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, first.body);

  const concurrent = await Promise.all(
    Array.from({ length: 5 }, () => visitor.api.post(path, { type: 'message', data: { content: 'race' }, clientMessageId: 'abc-2' })),
  );
  assert.equal(new Set(concurrent.map((r) => r.body.id)).size, 1);

  const history = await visitor.api.get(path);
  assert.deepEqual(
    history.body.map((m: { data: { content: string } }) => m.data.content),
    ['once', 'race'],
  );
  // Another visitor reusing the id is a different sender and gets its own message elsewhere.
  const other = await openVisitor(app, site.siteId);
  const otherChat = await other.api.post('/api/v1/chats', {});
  const otherSend = await other.api.post(`/api/v1/chats/${otherChat.body.id}/messages`, { type: 'message', data: { content: 'x' }, clientMessageId: 'abc-1' });
  assert.equal(otherSend.status, 201);
});

test('an agent subscribes to a chat channel of its site but not of another site', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const otherSite = await createSite(app);
  const visitor = await openVisitor(app, otherSite.siteId);
  const foreignChat = await visitor.api.post('/api/v1/chats', {});
  const ownVisitor = await openVisitor(app, site.siteId);
  const ownChat = await ownVisitor.api.post('/api/v1/chats', {});

  const live = await connectLive(app.url, site.admin.token);
  t.after(() => live.close());
  const own = live.client.newSubscription(`chat:${ownChat.body.id}`);
  const subscribed = new Promise((resolve) => own.once('subscribed', resolve));
  own.subscribe();
  await subscribed;
  const published = new Promise<{ data: unknown }>((resolve) => own.once('publication', resolve));
  await ownVisitor.api.post(`/api/v1/chats/${ownChat.body.id}/end`);
  assert.equal(((await published).data as { event: string }).event, 'chatMessageCreated');

  const foreign = live.client.newSubscription(`chat:${foreignChat.body.id}`);
  // centrifuge-js reports a permanent refusal as an unsubscribe carrying the error code.
  const denied = new Promise<{ code: number }>((resolve) => foreign.once('unsubscribed', resolve));
  foreign.subscribe();
  assert.equal((await denied).code, 103);
  const siteSub = live.client.newSubscription(`site:${otherSite.siteId}`);
  const siteDenied = new Promise<{ code: number }>((resolve) => siteSub.once('unsubscribed', resolve));
  siteSub.subscribe();
  assert.equal((await siteDenied).code, 103);
});

test('concurrent chat requests and messages on one site: one chat per visitor, capacity respected, no errors', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agents = [await createAgent(app, site, { maxConcurrentChats: 2 }), await createAgent(app, site, { maxConcurrentChats: 1 })];
  for (const a of agents) await a.api.put('/api/v1/agents/me/status', { status: 'online' });
  const visitors = await Promise.all(Array.from({ length: 8 }, (_, i) => openVisitor(app, site.siteId, `V${i}`)));

  // Each visitor fires three requests at once (a client retrying), each with a message.
  const responses = await Promise.all(
    visitors.flatMap((v) =>
      [1, 2, 3].map((n) => v.api.post('/api/v1/chats', { message: { type: 'message', data: { content: `try ${n}` }, clientMessageId: `m${n}` } })),
    ),
  );
  assert.deepEqual(
    responses.filter((r) => r.status >= 300).map((r) => r.body),
    [],
  );
  for (const [i, v] of visitors.entries()) {
    const ids = new Set(responses.slice(i * 3, i * 3 + 3).map((r) => r.body.id));
    assert.equal(ids.size, 1, `visitor ${i} got one chat`);
    const own = await v.api.get('/api/v1/chats');
    assert.equal(own.body.length, 1);
    const history = await v.api.get(`/api/v1/chats/${own.body[0].id}/messages`);
    assert.deepEqual(history.body.map((m: { seq: number }) => m.seq), [1, 2, 3]);
  }

  const all = (await agents[0]!.api.get('/api/v1/chats?limit=200')).body as { status: string; agentId: number | null; queuePosition: number | null }[];
  const load = (id: number) => all.filter((c) => c.agentId === id && c.status === 'assigned').length;
  assert.equal(load(agents[0]!.id), 2);
  assert.equal(load(agents[1]!.id), 1);
  const positions = all.filter((c) => c.status === 'queued').map((c) => c.queuePosition).sort();
  assert.deepEqual(positions, [1, 2, 3, 4, 5]);
});
