// Two Parley processes, one database, one Redis: a visitor on the first and an operator on the
// second chat in real time; then the second process dies, the operator's connection moves to the
// first (through a proxy standing in for the load balancer) and recovers exactly what it missed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { demoSite, redisPrefix, redisUrl, sharedDatabase, startNode, startProxy } from './helpers/cluster.ts';
import { connectLive, recordingClient, until } from './helpers/realtime.ts';

type Data = { event: string; sessionId?: number; message?: { seq: number; data: { content: string } } };

test('two nodes share a chat through Redis, and a client that moves to the other node recovers what it missed', async (t) => {
  const databaseUrl = await sharedDatabase(t);
  const site = demoSite(databaseUrl);
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PARLEY_REDIS_PREFIX: redisPrefix(t), PARLEY_LOGIN_RATE_LIMIT: '1000' };
  const [first, second] = await Promise.all([startNode(t, env), startNode(t, env)]);

  // The operator works through the proxy, which sends it to the second node for now.
  const proxy = await startProxy(t);
  proxy.target(second.url);
  const login = await client(proxy.url).post('/operator/auth/login', { email: site.agent.email, password: site.agent.password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const operator = client(proxy.url, login.body.token);
  const { live, pubs, subscribed, connected } = recordingClient(t, proxy.url, login.body.token);
  await connected;
  assert.equal((await operator.post('/operator/users/me/activate')).body.status, 'online');

  // The visitor is on the first node.
  const opened = await client(first.url).post(`/api/v1/sites/${site.siteId}/visitors`, { name: 'Vera' });
  assert.equal(opened.status, 201);
  const visitor = client(first.url, opened.body.token);
  const visitorLive = await connectLive(first.url, opened.body.token);
  t.after(() => visitorLive.close());
  const chat = await visitor.post('/api/v1/chats', { message: { type: 'message', data: { content: 'hello from node 1' } } });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  const sessionId: number = chat.body.id;

  const own = () => pubs.filter((p) => p.channel.startsWith('agent:')).map((p) => p.data as Data);
  await until(() => own().some((d) => d.event === 'chatSessionAdded' && d.sessionId === sessionId), 'chatSessionAdded on node 2');
  await until(() => own().some((d) => d.event === 'chatMessageCreated' && d.message?.data.content === 'hello from node 1'), 'first message on node 2');
  const reply = await operator.post(`/operator/sessions/${sessionId}/operators/messages`, { text: 'hello from node 2' });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  const atVisitor = await visitorLive.next((d) => d.event === 'chatMessageCreated' && (d.message as { senderKind: string }).senderKind === 'agent', 'reply on node 1');
  assert.equal((atVisitor.message as { data: { content: string } }).data.content, 'hello from node 2');

  // The operator's own copy of its reply comes over another connection than the visitor's.
  await until(() => own().some((d) => d.event === 'chatMessageCreated' && d.message?.data.content === 'hello from node 2'), 'the reply on the operator channel');

  // The second node dies; until the balancer sends it elsewhere the operator cannot reconnect.
  const before = own().length;
  proxy.target(null);
  const gone = new Promise<void>((resolve) => live.once('connecting', () => resolve()));
  await second.kill();
  await gone;
  for (const n of [1, 2, 3]) {
    const sent = await visitor.post(`/api/v1/chats/${sessionId}/messages`, { type: 'message', data: { content: `while away ${n}` } });
    assert.equal(sent.status, 201);
  }
  assert.equal(own().length, before, 'nothing reaches the operator while it is away');

  // The balancer now sends it to the first node, which recovers the stream from Redis.
  proxy.target(first.url);
  await until(() => own().filter((d) => d.message?.data.content.startsWith('while away')).length === 3, 'the recovered messages');
  const agentSubs = subscribed.filter((s) => s.channel.startsWith('agent:'));
  assert.deepEqual([agentSubs.at(-1)?.wasRecovering, agentSubs.at(-1)?.recovered], [true, true]);
  const offsets = pubs.filter((p) => p.channel.startsWith('agent:')).map((p) => p.offset);
  assert.deepEqual(offsets, offsets.map((_, i) => offsets[0]! + i), 'offsets without gap or duplicate');
  assert.deepEqual(
    own().slice(before).map((d) => d.message?.data.content),
    ['while away 1', 'while away 2', 'while away 3'],
  );

  // And the conversation goes on through the first node.
  const after = await operator.post(`/operator/sessions/${sessionId}/operators/messages`, { text: 'back on node 1' });
  assert.equal(after.status, 201);
  await visitorLive.next((d) => d.event === 'chatMessageCreated' && (d.message as { data: { content: string } }).data.content === 'back on node 1', 'reply after the move');
});
