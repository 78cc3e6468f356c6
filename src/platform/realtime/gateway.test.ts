// The gateway's protocol: connect, subscriptions and delivery, and the order of replies and pushes.
// Limits are in gateway.limits.test.ts, credential expiry and ending sessions in gateway.sessions.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  DisconnectedContext, PublicationContext, ServerPublicationContext, ServerSubscribedContext, SubscribedContext,
  UnsubscribedContext,
} from 'centrifuge';
import { MemoryBroker } from './memory-broker.ts';
import { centrifuge, connected, RawClient, startGateway, testHistory, within } from './test-harness.ts';
import type { StreamPosition } from './types.ts';

test('MemoryBroker numbers publications per channel from 1 under a stable epoch', async () => {
  const broker = new MemoryBroker({ history: testHistory });
  const before = await broker.position('a');
  assert.equal(before.offset, 0);
  const seen: number[] = [];
  broker.onPublication((pub) => seen.push(pub.offset));
  const first = await broker.publish('a', { n: 1 });
  const second = await broker.publish('a', { n: 2 });
  const other = await broker.publish('b', { n: 3 });
  assert.deepEqual([first.offset, second.offset, other.offset], [1, 2, 1]);
  assert.equal(first.epoch, before.epoch);
  assert.equal(second.epoch, before.epoch);
  assert.deepEqual(seen, [1, 2, 1]);
  assert.deepEqual(await broker.position('a'), { offset: 2, epoch: before.epoch });
  await broker.close();
});

test('centrifuge-js connects with a token and counts as a connection', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const ready = connected(client);
  client.connect();
  const ctx = await ready;
  assert.match(ctx.client, /^[0-9a-f-]{36}$/);
  assert.equal(h.gateway.connectionCount(), 1);
  assert.deepEqual(h.counts, [1]);
  assert.deepEqual(h.errors, []);
});

test('centrifuge-js connects with the operator-panel data.settings.token shape', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { data: { application: 'notifications', settings: { token: 'agent-1' } } });
  const ready = connected(client);
  client.connect();
  await ready;
  assert.equal(h.gateway.connectionCount(), 1);
});

test('the /centrifugo prefixed path serves the same gateway', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url.replace('/connection/', '/centrifugo/connection/'), { token: 'agent-1' });
  const ready = connected(client);
  client.connect();
  await ready;
});

test('server-side channels deliver publications with increasing offsets', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const subscribed: ServerSubscribedContext[] = [];
  client.on('subscribed', (ctx) => subscribed.push(ctx));
  const pubs: ServerPublicationContext[] = [];
  const three = new Promise<void>((resolve) => {
    client.on('publication', (ctx) => {
      pubs.push(ctx);
      if (pubs.length === 3) resolve();
    });
  });
  const ready = connected(client);
  client.connect();
  await ready;
  assert.deepEqual(subscribed.map((s) => s.channel).sort(), ['agent:1', 'site:9']);
  await h.broker.publish('agent:1', { text: 'one' });
  await h.broker.publish('agent:2', { text: 'not for agent 1' });
  await h.broker.publish('site:9', { text: 'two' });
  await h.broker.publish('agent:1', { text: 'three' });
  await within(three, 'three publications');
  assert.deepEqual(
    pubs.map((p) => [p.channel, p.offset, p.data]),
    [
      ['agent:1', 1, { text: 'one' }],
      ['site:9', 1, { text: 'two' }],
      ['agent:1', 2, { text: 'three' }],
    ],
  );
});

test('a client-side subscription is allowed, delivered to, and denied with 103', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const ready = connected(client);
  client.connect();
  await ready;

  const open = client.newSubscription('public:lobby');
  const subscribed = new Promise<SubscribedContext>((resolve) => open.once('subscribed', resolve));
  const publication = new Promise<PublicationContext>((resolve) => open.once('publication', resolve));
  open.subscribe();
  const sctx = await within(subscribed, 'subscribed');
  assert.equal(sctx.channel, 'public:lobby');
  await h.broker.publish('public:lobby', { hello: 'world' });
  const pctx = await within(publication, 'publication');
  assert.deepEqual([pctx.offset, pctx.data], [1, { hello: 'world' }]);

  // centrifuge-js reports a permanent subscribe error as 'unsubscribed' with the code; its
  // 'error' event is only for temporary errors it retries.
  const closed = client.newSubscription('private:vault');
  const unsubscribed = new Promise<UnsubscribedContext>((resolve) => closed.once('unsubscribed', resolve));
  closed.subscribe();
  const uctx = await within(unsubscribed, 'unsubscribed');
  assert.deepEqual([uctx.code, uctx.reason], [103, 'permission denied']);
});

test('an unknown token disconnects with 3500 and the client stays disconnected', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'nobody' });
  const disconnected = new Promise<DisconnectedContext>((resolve) => client.once('disconnected', resolve));
  client.connect();
  const ctx = await within(disconnected, 'disconnected');
  assert.deepEqual([ctx.code, ctx.reason], [3500, 'invalid token']);
  assert.equal(client.state, 'disconnected');
  assert.equal(h.gateway.connectionCount(), 0);
});

test('a missing token disconnects with 3500', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { data: { application: 'notifications', settings: {} } } }]);
  assert.deepEqual(await raw.next(), { push: { disconnect: { code: 3500, reason: 'invalid token' } } });
  const close = await raw.closeEvent();
  assert.deepEqual([close.code, close.reason], [3500, 'invalid token']);
});

test('commands in one frame are answered in order', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([
    { id: 1, connect: { token: 'agent-1' } },
    { id: 2, subscribe: { channel: 'public:a' } },
    { id: 3, subscribe: { channel: 'public:a' } },
    { id: 4, subscribe: { channel: 'agent:1' } },
    { id: 5, subscribe: { channel: 'private:b' } },
    { id: 6, subscribe: { channel: '' } },
    { id: 7, publish: { channel: 'public:a', data: {} } },
    { id: 8, history: { channel: 'public:b' } },
    { id: 9, rpc: { method: 'x' } },
    { send: { data: {} } },
    { id: 10, unsubscribe: { channel: 'public:a' } },
  ]);
  const connect = (await raw.next()) as { id: number; connect: Record<string, unknown> };
  assert.equal(connect.id, 1);
  assert.equal(connect.connect.version, 'parley');
  assert.equal(connect.connect.ping, 25);
  assert.equal(connect.connect.pong, true);
  const subs = connect.connect.subs as Record<string, { offset: number; epoch: string }>;
  assert.deepEqual(Object.keys(subs).sort(), ['agent:1', 'site:9']);
  assert.equal(subs['agent:1']?.offset, 0);
  const epoch = (await h.broker.position('public:a')).epoch;
  const rest = [];
  for (let i = 0; i < 9; i++) rest.push(await raw.next());
  assert.equal(raw.frames, 1, 'the replies to one frame share one frame');
  assert.deepEqual(rest, [
    { id: 2, subscribe: { offset: 0, epoch, recoverable: true, positioned: true } },
    { id: 3, error: { code: 105, message: 'already subscribed' } },
    { id: 4, error: { code: 105, message: 'already subscribed' } },
    { id: 5, error: { code: 103, message: 'permission denied' } },
    { id: 6, error: { code: 107, message: 'bad request' } },
    { id: 7, error: { code: 103, message: 'permission denied' } },
    { id: 8, error: { code: 103, message: 'permission denied' } },
    { id: 9, error: { code: 104, message: 'method not found' } },
    { id: 10, unsubscribe: {} },
  ]);
});

// A broker whose position() for `channel` stops until open(): before reading the position, or after.
class GatedBroker extends MemoryBroker {
  private readonly channel: string;
  private readonly readFirst: boolean;
  private reachedIt!: () => void;
  private openIt!: () => void;
  private readonly hasReached = new Promise<void>((resolve) => (this.reachedIt = resolve));
  private readonly opened = new Promise<void>((resolve) => (this.openIt = resolve));

  constructor(channel: string, readFirst: boolean) {
    super({ history: testHistory });
    this.channel = channel;
    this.readFirst = readFirst;
  }

  override async position(c: string): Promise<StreamPosition> {
    if (c !== this.channel) return super.position(c);
    const early = this.readFirst ? await super.position(c) : null;
    this.reachedIt();
    await this.opened;
    return early ?? super.position(c);
  }

  reached(): Promise<void> {
    return within(this.hasReached, 'position()');
  }

  open(): void {
    this.openIt();
  }
}

for (const readFirst of [true, false]) {
  test(`a publication racing a subscribe comes after its reply, unless the reply's offset covers it (position read ${readFirst ? 'before' : 'after'} the publication)`, async (t) => {
    const gated = new GatedBroker('public:race', readFirst);
    const h = await startGateway(t, { broker: gated });
    const raw = new RawClient(t, h.url);
    await raw.opened();
    raw.send([{ id: 1, connect: { token: 'agent-1' } }]);
    await raw.next();
    raw.send([{ id: 2, subscribe: { channel: 'public:race' } }]);
    await gated.reached();
    await h.broker.publish('public:race', { n: 1 });
    gated.open();
    const reply = (await raw.next()) as { id: number; subscribe: { offset: number } };
    assert.equal(reply.id, 2);
    if (readFirst) {
      assert.equal(reply.subscribe.offset, 0);
    } else {
      assert.equal(reply.subscribe.offset, 1);
      await h.broker.publish('public:race', { n: 2 });
    }
    const offset = readFirst ? 1 : 2;
    assert.deepEqual(await raw.next(), { push: { channel: 'public:race', pub: { data: { n: offset }, offset } } });
  });
}

test('malformed JSON closes the connection with 3501', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'agent-1' } }]);
  await raw.next();
  raw.ws.send('{"id":2,"subscribe":');
  assert.deepEqual(await raw.next(), { push: { disconnect: { code: 3501, reason: 'bad request' } } });
  const close = await raw.closeEvent();
  assert.deepEqual([close.code, close.reason], [3501, 'bad request']);
  assert.equal(h.gateway.connectionCount(), 0);
});

test('a first command other than connect closes the connection with 3501', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, subscribe: { channel: 'public:a' } }]);
  const close = await raw.closeEvent();
  assert.equal(close.code, 3501);
});
