// A node that dies between committing a change and relaying its events loses nothing. A test-only
// fault hook (PARLEY_TEST_KILL_AFTER_COMMIT, honoured only under NODE_ENV=test) makes the process
// SIGKILL itself right after the commit of a message carrying a marker, before any publication or
// webhook kick. The next node relays the event from the log: the agent and the visitor each receive
// the message once, at the next offset of their channel, and the IM customer's app gets its webhook.
// Real processes (`npm start`), one database, one Redis, a proxy for the load balancer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublicationContext } from 'centrifuge';
import { client } from './helpers/api.ts';
import { demoSite, type NodeProcess, redisPrefix, redisUrl, sharedDatabase, startNode, startProxy } from './helpers/cluster.ts';
import { imClient, ok } from './helpers/im.ts';
import { recordingClient, until } from './helpers/realtime.ts';
import { eventually, receiver } from './helpers/receiver.ts';

type Pub = { event: string; message?: { data: { content?: string } } };
const contents = (pubs: PublicationContext[], prefix: string) =>
  pubs
    .filter((p) => p.channel.startsWith(prefix) && (p.data as Pub).event === 'chatMessageCreated')
    .map((p) => (p.data as Pub).message?.data.content);

/** Sends through a node that is to die on this request: the call fails instead of answering. */
async function dying(node: NodeProcess, send: () => Promise<unknown>): Promise<void> {
  await send().then(
    (res) => assert.fail(`the node answered instead of dying: ${JSON.stringify(res)}`),
    () => {},
  );
  await new Promise<void>((resolve) => (node.child.exitCode !== null || node.child.signalCode !== null ? resolve() : node.child.once('exit', () => resolve())));
  assert.equal(node.child.signalCode, 'SIGKILL');
}

test('a node killed between commit and relay loses no publication and no webhook', async (t) => {
  const databaseUrl = await sharedDatabase(t);
  const demo = demoSite(databaseUrl);
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PARLEY_REDIS_PREFIX: redisPrefix(t),
    NODE_ENV: 'test',
    PARLEY_TEST_KILL_AFTER_COMMIT: 'crash-here',
    PARLEY_EVENT_LEASE_SECONDS: '1',
    PARLEY_WEBHOOK_POLL_MS: '50',
    PARLEY_LOGIN_RATE_LIMIT: '1000',
  };
  let node = await startNode(t, env);
  const proxy = await startProxy(t);
  proxy.target(node.url);
  const hook = await receiver(t);

  const admin = client(proxy.url, (await client(proxy.url).post('/api/v1/auth/login', demo.admin)).body.token);
  assert.equal((await admin.put('/api/v1/im/webhook', { callbackUrl: hook.url })).status, 200);
  const login = await client(proxy.url).post('/api/v1/auth/login', demo.agent);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const agent = client(proxy.url, login.body.token);
  const agentLive = recordingClient(t, proxy.url, login.body.token);
  await agentLive.connected;
  assert.equal((await agent.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);

  // A visitor chats with the agent on the site.
  const opened = await client(proxy.url).post(`/api/v1/sites/${demo.siteId}/visitors`, { name: 'Vic' });
  const visitor = client(proxy.url, opened.body.token);
  const visitorLive = recordingClient(t, proxy.url, opened.body.token);
  await visitorLive.connected;
  const chat = await visitor.post('/api/v1/chats', { message: { type: 'message', data: { content: 'v1' } } });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  const chatId = chat.body.id as number;
  assert.equal((await agent.post(`/api/v1/chats/${chatId}/accept`)).status, 200);
  assert.equal((await agent.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'a1' } })).status, 201);
  await until(() => contents(visitorLive.pubs, 'visitor:').includes('a1') && contents(agentLive.pubs, 'agent:').includes('a1'), 'a1 on both sides');

  // The agent's next reply commits, and the node dies before relaying it.
  await dying(node, () => agent.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'a2 crash-here' } }));
  node = await startNode(t, env);
  proxy.target(node.url);

  // Stored, relayed by the next node, received once by each side at the next offset.
  for (const [who, prefix] of [[agentLive, 'agent:'], [visitorLive, 'visitor:']] as const) {
    await until(() => contents(who.pubs, prefix).includes('a2 crash-here'), `${prefix} a2 after the crash`);
    assert.deepEqual(contents(who.pubs, prefix).filter((c) => c === 'a2 crash-here').length, 1, `${prefix} got a2 once`);
    const offsets = who.pubs.filter((p) => p.channel.startsWith(prefix)).map((p) => p.offset!);
    assert.deepEqual(offsets, offsets.map((_, i) => offsets[0]! + i), `${prefix} offsets without gap or duplicate`);
  }
  const history = await agent.get(`/api/v1/chats/${chatId}/messages`);
  assert.deepEqual(
    history.body.map((m: { data: { content?: string } }) => m.data.content).filter(Boolean),
    ['v1', 'a1', 'a2 crash-here'],
  );

  // An IM customer's chat: the agent's reply that the node dies on still reaches the customer's app.
  const im = imClient(proxy.url, demo.imApiKey);
  const session = ok(await im.post('/im/sessions', { customer_token: 'crash-customer', assign_type: 'agent' })).assign_info.im_sub_session_id as number;
  await until(() => agentLive.pubs.some((p) => (p.data as { event: string; sessionId?: number }).event === 'chatSessionAdded' && (p.data as { sessionId: number }).sessionId === session), 'the IM chat offered to the agent');
  assert.equal((await agent.post(`/api/v1/chats/${session}/accept`)).status, 200);
  await dying(node, () => agent.post(`/api/v1/chats/${session}/messages`, { type: 'message', data: { content: 'to the app crash-here' } }));
  node = await startNode(t, env);
  proxy.target(node.url);
  const reply = () => hook.seen.filter((r) => r.answered === 200 && JSON.parse(r.body).message?.data?.content === 'to the app crash-here');
  await eventually(() => reply().length >= 1, 'the webhook of the reply after the crash');
  assert.equal(new Set(reply().map((r) => r.deliveryId)).size, 1, 'one delivery');
  await until(() => contents(agentLive.pubs, 'agent:').includes('to the app crash-here'), 'the IM reply on the agent channel');
  assert.equal(contents(agentLive.pubs, 'agent:').filter((c) => c === 'to the app crash-here').length, 1);
});
