// A connection dropped mid-chat misses nothing: when it comes back, the operator and the visitor
// each receive exactly the publications sent while they were away, in order, none twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublicationContext } from 'centrifuge';
import { client } from './helpers/api.ts';
import { startProxy } from './helpers/cluster.ts';
import { createAgent, createSite } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { recordingClient, until } from './helpers/realtime.ts';

const contents = (pubs: PublicationContext[], prefix: string) =>
  pubs
    .filter((p) => p.channel.startsWith(prefix) && (p.data as { event: string }).event === 'chatMessageCreated')
    .map((p) => (p.data as { message: { data: { content: string } } }).message.data.content);

test('operator and visitor dropped mid-chat get exactly what was sent while they were away', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site);
  const proxy = await startProxy(t);
  proxy.target(app.url);

  const operator = recordingClient(t, proxy.url, agent.token);
  await operator.connected;
  await agent.api.put('/api/v1/agents/me/status', { status: 'online' });
  const opened = await client(app.url).post(`/api/v1/sites/${site.siteId}/visitors`, { name: 'Vic' });
  const visitorApi = client(app.url, opened.body.token);
  const visitor = recordingClient(t, proxy.url, opened.body.token);
  await visitor.connected;
  const chat = await visitorApi.post('/api/v1/chats', { message: { type: 'message', data: { content: 'v1' } } });
  const id = chat.body.id as number;
  await agent.api.post(`/api/v1/chats/${id}/accept`);
  await agent.api.post(`/api/v1/chats/${id}/messages`, { type: 'message', data: { content: 'a1' } });
  await until(() => contents(visitor.pubs, 'visitor:').includes('a1'), 'a1 at the visitor');
  await until(() => contents(operator.pubs, 'agent:').includes('a1'), 'a1 at the operator');

  // The network fails; the balancer has nowhere to send them for a while.
  proxy.target(null);
  const away = [operator, visitor].map((c) => new Promise<void>((resolve) => c.live.once('connecting', () => resolve())));
  proxy.drop();
  await Promise.all(away);
  for (const [api, text] of [[visitorApi, 'v2'], [agent.api, 'a2'], [visitorApi, 'v3'], [agent.api, 'a3']] as const) {
    assert.equal((await api.post(`/api/v1/chats/${id}/messages`, { type: 'message', data: { content: text } })).status, 201);
  }
  proxy.target(app.url);

  const expected = ['v1', 'a1', 'v2', 'a2', 'v3', 'a3'];
  for (const [who, prefix] of [[operator, 'agent:'], [visitor, 'visitor:']] as const) {
    await until(() => contents(who.pubs, prefix).length >= expected.length, `${prefix} recovery`);
    assert.deepEqual(contents(who.pubs, prefix), expected, `${prefix} got every message once, in order`);
    const offsets = who.pubs.filter((p) => p.channel.startsWith(prefix)).map((p) => p.offset!);
    assert.deepEqual(offsets, offsets.map((_, i) => 1 + i), `${prefix} offsets from 1 without gap or duplicate`);
    const last = who.subscribed.filter((s) => s.channel.startsWith(prefix)).at(-1)!;
    assert.deepEqual([last.wasRecovering, last.recovered], [true, true]);
  }
});
