// The gateway on a real Fastify server and port, driven by the real centrifuge-js client and, where
// the wire itself is under test, by a raw WebSocket.

import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { type TestContext, test } from 'node:test';
import websocketPlugin from '@fastify/websocket';
import {
  Centrifuge,
  type ConnectedContext,
  type ConnectingContext,
  type DisconnectedContext,
  type ErrorContext,
  type PublicationContext,
  type ServerPublicationContext,
  type ServerSubscribedContext,
  type SubscribedContext,
  type UnsubscribedContext,
} from 'centrifuge';
import Fastify from 'fastify';
import { createRealtimeGateway, type RealtimeGateway, type RealtimeGatewayOptions } from './gateway.ts';
import { MemoryBroker } from './memory-broker.ts';
import { type Authorizer, type Broker, type RealtimeIdentity, type RealtimeLogger, TokenExpiredError } from './types.ts';

// Only a guard against a hang: every wait below ends on an event long before this.
const guardMs = 5000;

function within<T>(promise: Promise<T>, what: string, ms = guardMs): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

const agent: RealtimeIdentity = { user: 'agent:1', channels: ['agent:1', 'site:9'] };
const otherAgent: RealtimeIdentity = { user: 'agent:2', channels: ['agent:2'] };

// Tokens name identities; 'public:' channels are open to anyone, the rest denied.
const authorizer: Authorizer = {
  async authenticate(token) {
    if (token === 'expired') throw new TokenExpiredError('token expired');
    if (token === 'expiring') return { ...otherAgent, expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    const identities: Record<string, RealtimeIdentity> = { 'agent-1': agent, 'agent-2': otherAgent };
    return identities[token] ?? null;
  },
  async canSubscribe(_identity, channel) {
    return channel.startsWith('public:');
  },
};

interface Harness {
  url: string;
  broker: Broker;
  gateway: RealtimeGateway;
  counts: number[];
  errors: unknown[];
}

async function startGateway(t: TestContext, overrides: Partial<RealtimeGatewayOptions> = {}): Promise<Harness> {
  const errors: unknown[] = [];
  const noop = () => {};
  const logger: RealtimeLogger = { info: noop, warn: noop, debug: noop, error: (obj) => errors.push(obj) };
  const app = Fastify();
  await app.register(websocketPlugin, { options: { maxPayload: 1024 * 1024 } });
  const broker = overrides.broker ?? new MemoryBroker();
  const counts: number[] = [];
  const gateway = createRealtimeGateway({
    authorizer,
    broker,
    pingIntervalSeconds: 25,
    maxMessageBytes: 64 * 1024,
    logger,
    onConnectionCountChange: (n) => counts.push(n),
    ...overrides,
  });
  await gateway.register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  t.after(async () => {
    await gateway.close();
    await app.close();
    await broker.close();
    assert.deepEqual(errors, [], 'nothing logged as an error');
  });
  return { url: `ws://127.0.0.1:${port}/connection/websocket`, broker, gateway, counts, errors };
}

function centrifuge(t: TestContext, url: string, options: Record<string, unknown>): Centrifuge {
  const client = new Centrifuge(url, { websocket: WebSocket, minReconnectDelay: 50, ...options });
  // An 'error' event without a listener makes the client stop itself.
  client.on('error', () => {});
  t.after(() => client.disconnect());
  return client;
}

function connected(client: Centrifuge): Promise<ConnectedContext> {
  return within(new Promise((resolve) => client.once('connected', resolve)), 'connected');
}

/** A WebSocket that reads the server's lines one at a time. */
class RawClient {
  readonly ws: WebSocket;
  readonly closed: Promise<CloseEvent>;
  /** WebSocket messages received; several lines may share one. */
  frames = 0;
  private readonly lines: unknown[] = [];
  private waiting: ((line: unknown) => void) | null = null;

  constructor(t: TestContext, url: string) {
    this.ws = new WebSocket(url);
    this.closed = new Promise((resolve) => this.ws.addEventListener('close', resolve));
    this.ws.addEventListener('message', (event) => {
      this.frames++;
      for (const line of String(event.data).split('\n')) {
        const parsed: unknown = JSON.parse(line);
        if (this.waiting !== null) {
          const resolve = this.waiting;
          this.waiting = null;
          resolve(parsed);
        } else {
          this.lines.push(parsed);
        }
      }
    });
    t.after(() => this.ws.close());
  }

  opened(): Promise<void> {
    return within(new Promise((resolve) => this.ws.addEventListener('open', () => resolve())), 'open');
  }

  send(lines: object[]): void {
    this.ws.send(lines.map((line) => JSON.stringify(line)).join('\n'));
  }

  next(): Promise<unknown> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    return within(new Promise((resolve) => (this.waiting = resolve)), 'a line from the server');
  }

  closeEvent(): Promise<CloseEvent> {
    return within(this.closed, 'close');
  }
}

test('MemoryBroker numbers publications per channel from 1 under a stable epoch', async () => {
  const broker = new MemoryBroker();
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

test('an expired token is answered with error 109', async (t) => {
  const h = await startGateway(t);
  const client = new Centrifuge(h.url, { websocket: WebSocket, token: 'expired' });
  t.after(() => client.disconnect());
  const error = new Promise<ErrorContext>((resolve) => client.once('error', resolve));
  client.connect();
  const ctx = await within(error, 'error');
  assert.equal(ctx.type, 'connect');
  assert.deepEqual([ctx.error.code, ctx.error.message], [109, 'token expired']);
  client.disconnect();
  assert.equal(h.gateway.connectionCount(), 0);
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
    { id: 8, history: { channel: 'public:a' } },
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
    { id: 2, subscribe: { offset: 0, epoch, recoverable: false, positioned: false } },
    { id: 3, error: { code: 105, message: 'already subscribed' } },
    { id: 4, error: { code: 105, message: 'already subscribed' } },
    { id: 5, error: { code: 103, message: 'permission denied' } },
    { id: 6, error: { code: 107, message: 'bad request' } },
    { id: 7, error: { code: 103, message: 'permission denied' } },
    { id: 8, error: { code: 108, message: 'not available' } },
    { id: 9, error: { code: 104, message: 'method not found' } },
    { id: 10, unsubscribe: {} },
  ]);
});

test('a credential with an expiry is reported as expires and ttl', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'expiring' } }]);
  const reply = (await raw.next()) as { connect: { expires: boolean; ttl: number } };
  assert.equal(reply.connect.expires, true);
  assert.ok(reply.connect.ttl > 3500 && reply.connect.ttl <= 3600, `ttl ${reply.connect.ttl}`);
});

// A broker whose position() for `channel` stops until open(): before reading the position, or after.
function gatedBroker(channel: string, readFirst: boolean) {
  const inner = new MemoryBroker();
  let reached!: () => void;
  let open!: () => void;
  const hasReached = new Promise<void>((resolve) => (reached = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  const broker: Broker = {
    publish: (c, data) => inner.publish(c, data),
    onPublication: (listener) => inner.onPublication(listener),
    close: () => inner.close(),
    async position(c) {
      if (c !== channel) return inner.position(c);
      const early = readFirst ? await inner.position(c) : null;
      reached();
      await opened;
      return early ?? inner.position(c);
    },
  };
  return { broker, reached: () => within(hasReached, 'position()'), open };
}

for (const readFirst of [true, false]) {
  test(`a publication racing a subscribe comes after its reply, unless the reply's offset covers it (position read ${readFirst ? 'before' : 'after'} the publication)`, async (t) => {
    const gated = gatedBroker('public:race', readFirst);
    const h = await startGateway(t, { broker: gated.broker });
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

test('a socket that never sends connect is closed', async (t) => {
  const h = await startGateway(t, { connectTimeoutSeconds: 0.2 });
  const raw = new RawClient(t, h.url);
  await raw.opened();
  const close = await raw.closeEvent();
  assert.equal(close.code, 3502);
});

test('a frame over maxMessageBytes closes the socket with 1009', async (t) => {
  const h = await startGateway(t, { maxMessageBytes: 1000 });
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'agent-1', data: { pad: 'x'.repeat(2000) } } }]);
  const close = await raw.closeEvent();
  assert.equal(close.code, 1009);
});

test('pings are answered by centrifuge-js; a client that stops answering is cut with 3012', async (t) => {
  const h = await startGateway(t, { pingIntervalSeconds: 0.2 });
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const ready = connected(client);
  client.connect();
  await ready;

  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'agent-2' } }]);
  await raw.next();
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(await raw.next(), {});
    raw.send([{}]);
  }
  // Now silent: the next ping goes unanswered.
  assert.deepEqual(await raw.next(), {});
  assert.deepEqual(await raw.next(), { push: { disconnect: { code: 3012, reason: 'no pong' } } });
  assert.equal((await raw.closeEvent()).code, 3012);
  // The real client saw as many pings meanwhile and is still connected.
  assert.equal(client.state, 'connected');
});

test('a client that does not read is disconnected as slow', async (t) => {
  const h = await startGateway(t, { maxBufferedBytes: 64 * 1024 });
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'agent-1' } }]);
  await raw.next();
  // One publication far larger than the cap cannot leave the send buffer at once.
  await h.broker.publish('agent:1', 'x'.repeat(32 * 1024 * 1024));
  const close = await raw.closeEvent();
  assert.deepEqual([close.code, close.reason], [3008, 'slow']);
});

test('disconnectUser disconnects every connection of the user but the excepted one', async (t) => {
  const h = await startGateway(t);
  const first = centrifuge(t, h.url, { token: 'agent-1' });
  const second = centrifuge(t, h.url, { token: 'agent-1' });
  const other = centrifuge(t, h.url, { token: 'agent-2' });
  const ready = [connected(first), connected(second), connected(other)];
  for (const c of [first, second, other]) c.connect();
  const [, secondCtx] = await Promise.all(ready);
  assert.equal(h.gateway.connectionCount(), 3);

  const disconnected = new Promise<DisconnectedContext>((resolve) => first.once('disconnected', resolve));
  const n = h.gateway.disconnectUser('agent:1', 3503, 'force disconnect', { exceptClient: secondCtx!.client });
  assert.equal(n, 1);
  const ctx = await within(disconnected, 'disconnected');
  assert.deepEqual([ctx.code, ctx.reason], [3503, 'force disconnect']);
  assert.equal(h.gateway.connectionCount(), 2);
  assert.equal(second.state, 'connected');
  assert.equal(other.state, 'connected');
  assert.equal(h.gateway.disconnectUser('agent:9', 3503, 'force disconnect'), 0);
});

test('close() disconnects everyone with 3001 shutdown', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const ready = connected(client);
  client.connect();
  await ready;
  // 3001 is a code centrifuge-js reconnects after, so it reports 'connecting', not 'disconnected'.
  const connecting = new Promise<ConnectingContext>((resolve) => client.once('connecting', resolve));
  await within(h.gateway.close(), 'close');
  const ctx = await within(connecting, 'connecting');
  assert.deepEqual([ctx.code, ctx.reason], [3001, 'shutdown']);
  assert.equal(h.gateway.connectionCount(), 0);
  assert.deepEqual(h.counts, [1, 0]);
});
