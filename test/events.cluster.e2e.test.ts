// Two nodes, one database, one Redis, both relaying the event log: every event is published once.
// Messages go in through both nodes, the agent listens on one and the visitor on the other; each
// side receives every message exactly once, in order, at consecutive offsets. Then the node that
// holds the listeners' leases stops, the other takes them over, and nothing is lost or doubled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublicationContext } from 'centrifuge';
import { client } from './helpers/api.ts';
import { demoSite, redisPrefix, redisUrl, sharedDatabase, startNode } from './helpers/cluster.ts';
import { recordingClient, until } from './helpers/realtime.ts';

type Pub = { event: string; message?: { data: { content?: string } } };
const contents = (pubs: PublicationContext[], prefix: string) =>
  pubs
    .filter((p) => p.channel.startsWith(prefix) && (p.data as Pub).event === 'chatMessageCreated')
    .map((p) => (p.data as Pub).message?.data.content);

test('two nodes relaying one event log publish each event once, also while one of them stops', async (t) => {
  const databaseUrl = await sharedDatabase(t);
  const demo = demoSite(databaseUrl);
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, PARLEY_REDIS_PREFIX: redisPrefix(t), PARLEY_LOGIN_RATE_LIMIT: '1000', PARLEY_EVENT_LEASE_SECONDS: '1' };
  const nodes = await Promise.all([startNode(t, env), startNode(t, env)]);
  const [one, two] = nodes as [(typeof nodes)[0], (typeof nodes)[0]];

  const login = await client(two.url).post('/api/v1/auth/login', demo.agent);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const agent = [client(one.url, login.body.token), client(two.url, login.body.token)];
  const agentLive = recordingClient(t, two.url, login.body.token);
  await agentLive.connected;
  assert.equal((await agent[0]!.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);

  const opened = await client(one.url).post(`/api/v1/sites/${demo.siteId}/visitors`, { name: 'Vera' });
  const visitor = [client(one.url, opened.body.token), client(two.url, opened.body.token)];
  const visitorLive = recordingClient(t, one.url, opened.body.token);
  await visitorLive.connected;
  const chat = await visitor[0]!.post('/api/v1/chats', { message: { type: 'message', data: { content: 'm0' } } });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  const chatId = chat.body.id as number;
  assert.equal((await agent[1]!.post(`/api/v1/chats/${chatId}/accept`)).status, 200);

  // Both sides write through both nodes.
  const sent = ['m0'];
  const send = async (n: number, node: 0 | 1) => {
    const content = `m${n}`;
    const who = n % 2 === 0 ? visitor[node]! : agent[node]!;
    assert.equal((await who.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content } })).status, 201);
    sent.push(content);
  };
  for (let n = 1; n <= 20; n++) await send(n, (n % 4 < 2 ? 0 : 1) as 0 | 1);

  const check = async (what: string) => {
    for (const [who, prefix] of [[agentLive, 'agent:'], [visitorLive, 'visitor:']] as const) {
      await until(() => contents(who.pubs, prefix).length >= sent.length, `${prefix} ${what}`);
      assert.deepEqual(contents(who.pubs, prefix), sent, `${prefix} every message once, in order (${what})`);
      const offsets = who.pubs.filter((p) => p.channel.startsWith(prefix)).map((p) => p.offset!);
      assert.deepEqual(offsets, offsets.map((_, i) => offsets[0]! + i), `${prefix} offsets without gap or duplicate (${what})`);
    }
  };
  await check('with two nodes');

  // The first node dies (whichever held the leases, the other relays from where it stood).
  await one.kill();
  for (let n = 21; n <= 26; n++) await send(n, 1);
  await until(() => contents(agentLive.pubs, 'agent:').length >= sent.length, 'agent after the first node died');
  assert.deepEqual(contents(agentLive.pubs, 'agent:'), sent, 'the agent got every message once after the first node died');
});
