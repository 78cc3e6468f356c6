// What a client gets back after a reconnect (recovery from history), presence, history, token
// refresh, disconnect orders and broker resets, all through the unmodified centrifuge-js client.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublicationContext, ServerSubscribedContext, SubscribedContext } from 'centrifuge';
import { MemoryBroker } from './memory-broker.ts';
import { isRecovered } from './recovery.ts';
import { centrifuge, connected, RawClient, startGateway, testHistory, within } from './test-harness.ts';
import type { Publication, RealtimeIdentity } from './types.ts';

/** Collects the server-side publications and subscribed events of a client. */
function record(client: ReturnType<typeof centrifuge>) {
  const pubs: PublicationContext[] = [];
  const subscribed: ServerSubscribedContext[] = [];
  client.on('publication', (ctx) => pubs.push(ctx));
  client.on('subscribed', (ctx) => subscribed.push(ctx));
  return { pubs, subscribed };
}

function until(check: () => boolean, what: string): Promise<void> {
  return within(
    new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (check()) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    }),
    what,
  );
}

test('a server-side channel dropped mid-stream recovers exactly the publications it missed, in order', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const seen = record(client);
  client.connect();
  await connected(client);
  for (let n = 1; n <= 3; n++) await h.broker.publish('agent:1', { n });
  await until(() => seen.pubs.length === 3, 'the live publications');

  // The server drops it with a reconnect code; while it is away, three more go out.
  const back = connected(client);
  assert.equal(h.gateway.disconnectUser('agent:1', 3000, 'test drop'), 1);
  for (let n = 4; n <= 6; n++) await h.broker.publish('agent:1', { n });
  await back;
  await until(() => seen.pubs.length >= 6, 'the recovered publications');
  await h.broker.publish('agent:1', { n: 7 });
  await until(() => seen.pubs.length >= 7, 'the next live publication');

  const agentPubs = seen.pubs.filter((p) => p.channel === 'agent:1');
  assert.deepEqual(agentPubs.map((p) => (p.data as { n: number }).n), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(agentPubs.map((p) => p.offset), [1, 2, 3, 4, 5, 6, 7]);
  const again = seen.subscribed.filter((s) => s.channel === 'agent:1').at(-1)!;
  assert.equal(again.wasRecovering, true);
  assert.equal(again.recovered, true);
});

test('a client-side subscription recovers after a reconnect; one whose gap outgrew the history is told recovered false', async (t) => {
  const broker = new MemoryBroker({ history: { ...testHistory, size: 3 } });
  const h = await startGateway(t, { broker, historySize: 3 });
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const sub = client.newSubscription('public:room');
  const pubs: number[] = [];
  const subscribed: SubscribedContext[] = [];
  sub.on('publication', (ctx) => pubs.push((ctx.data as { n: number }).n));
  sub.on('subscribed', (ctx) => subscribed.push(ctx));
  sub.subscribe();
  client.connect();
  await until(() => subscribed.length === 1, 'subscribed');
  await broker.publish('public:room', { n: 1 });
  await until(() => pubs.length === 1, 'first');

  h.gateway.disconnectUser('agent:1', 3000, 'test drop');
  await broker.publish('public:room', { n: 2 });
  await broker.publish('public:room', { n: 3 });
  await until(() => subscribed.length === 2, 'resubscribed');
  assert.deepEqual([subscribed[1]!.wasRecovering, subscribed[1]!.recovered], [true, true]);
  await until(() => pubs.length === 3, 'recovered');
  assert.deepEqual(pubs, [1, 2, 3]);

  // Four missed, three kept: the client cannot recover and must reload.
  h.gateway.disconnectUser('agent:1', 3000, 'test drop');
  for (let n = 4; n <= 7; n++) await broker.publish('public:room', { n });
  await until(() => subscribed.length === 3, 'resubscribed again');
  assert.deepEqual([subscribed[2]!.wasRecovering, subscribed[2]!.recovered], [true, false]);
  assert.equal(subscribed[2]!.streamPosition?.offset, 7);
  await broker.publish('public:room', { n: 8 });
  await until(() => pubs.length === 4, 'live again');
  assert.deepEqual(pubs, [1, 2, 3, 8]);
});

test('recovery is refused for another epoch, a position past the top or a gap in what is held', () => {
  const pub = (offset: number, epoch = 'e1'): Publication => ({ channel: 'c', offset, epoch, data: null });
  const top = { offset: 3, epoch: 'e1' };
  assert.equal(isRecovered(top, { offset: 1, epoch: 'e1' }, [pub(2), pub(3)]), true);
  assert.equal(isRecovered(top, { offset: 3, epoch: 'e1' }, []), true);
  assert.equal(isRecovered(top, { offset: 0, epoch: '' }, [pub(1), pub(2), pub(3)]), true);
  assert.equal(isRecovered(top, { offset: 1, epoch: 'e0' }, [pub(2), pub(3)]), false);
  assert.equal(isRecovered(top, { offset: 5, epoch: 'e1' }, []), false);
  assert.equal(isRecovered(top, { offset: 0, epoch: 'e1' }, [pub(2), pub(3)]), false);
  assert.equal(isRecovered(top, { offset: 1, epoch: 'e1' }, [pub(2), pub(3, 'e0')]), false);
});

test('presence and presence stats list the clients on a channel, and only for its subscribers', async (t) => {
  const info: RealtimeIdentity = { user: 'agent:1', channels: ['agent:1'], info: { name: 'Alice' } };
  const h = await startGateway(t, {
    authorizer: {
      authenticate: async (token) => (token === 'alice' ? info : token === 'bob' ? { user: 'agent:2', channels: [] } : null),
      canSubscribe: async (_id, channel) => channel.startsWith('public:'),
    },
  });
  const alice = centrifuge(t, h.url, { token: 'alice' });
  const bob = centrifuge(t, h.url, { token: 'bob' });
  const aliceSub = alice.newSubscription('public:lobby');
  const bobSub = bob.newSubscription('public:lobby');
  aliceSub.subscribe();
  bobSub.subscribe();
  alice.connect();
  bob.connect();
  await Promise.all([aliceSub.ready(5000), bobSub.ready(5000)]);

  const presence = await aliceSub.presence();
  const clients = Object.values(presence.clients).map((c) => ({ user: c.user, connInfo: c.connInfo }));
  assert.deepEqual(clients.sort((a, b) => a.user.localeCompare(b.user)), [
    { user: 'agent:1', connInfo: { name: 'Alice' } },
    { user: 'agent:2', connInfo: undefined },
  ]);
  assert.deepEqual(await bobSub.presenceStats(), { numClients: 2, numUsers: 2 });
  // Alice's own channel is hers alone: Bob is not subscribed to it.
  await assert.rejects(bob.presence('agent:1'), (err: { code: number }) => err.code === 103);

  bob.disconnect();
  await until(() => h.gateway.connectionCount() === 1, 'bob gone');
  const stats = await within(
    (async () => {
      for (;;) {
        const s = await aliceSub.presenceStats();
        if (s.numClients === 1) return s;
        await new Promise((r) => setTimeout(r, 10));
      }
    })(),
    'presence without bob',
  );
  assert.deepEqual(stats, { numClients: 1, numUsers: 1 });
});

test('history returns the retained publications: oldest first, newest first, after a position', async (t) => {
  const h = await startGateway(t);
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const sub = client.newSubscription('public:log');
  sub.subscribe();
  client.connect();
  await sub.ready(5000);
  for (let n = 1; n <= 5; n++) await h.broker.publish('public:log', { n });
  const ns = (r: { publications: PublicationContext[] }) => r.publications.map((p) => (p.data as { n: number }).n);

  const top = await sub.history({ limit: 0 });
  assert.deepEqual([top.offset, top.publications.length], [5, 0]);
  assert.deepEqual(ns(await sub.history({ limit: 2 })), [1, 2]);
  assert.deepEqual(ns(await sub.history({ limit: 2, reverse: true })), [5, 4]);
  assert.deepEqual(ns(await sub.history({ limit: -1, since: { offset: 3, epoch: top.epoch } })), [4, 5]);
  await assert.rejects(sub.history({ limit: 1, since: { offset: 1, epoch: 'other' } }), (err: { code: number }) => err.code === 112);
});

test('a client refreshes its credential before it lapses and stays connected; another user\'s token ends it', async (t) => {
  const soon = (): RealtimeIdentity => ({ user: 'agent:2', channels: ['agent:2'], expiresAt: Date.now() / 1000 + 1.1 });
  let refreshed!: () => void;
  const refreshedWith = new Promise<void>((resolve) => (refreshed = resolve));
  const h = await startGateway(t, {
    expiredCloseDelaySeconds: 1,
    authorizer: {
      async authenticate(token) {
        if (token === 'soon') return soon();
        if (token === 'later') {
          refreshed();
          return { user: 'agent:2', channels: ['agent:2'], expiresAt: Date.now() / 1000 + 3600 };
        }
        if (token === 'intruder') return { user: 'agent:3', channels: [] };
        return null;
      },
      canSubscribe: async () => false,
    },
  });
  const client = centrifuge(t, h.url, { token: 'soon', getToken: async () => 'later' });
  const drops: number[] = [];
  client.on('disconnected', (ctx) => drops.push(ctx.code));
  const started = Date.now();
  client.connect();
  await connected(client);
  await within(refreshedWith, 'the refresh');
  // Past the old credential's end and its grace: a connection that had not refreshed would be gone.
  await new Promise((r) => setTimeout(r, Math.max(0, 2600 - (Date.now() - started))));
  assert.deepEqual(drops, []);
  assert.equal(h.gateway.connectionCount(), 1);

  const other = centrifuge(t, h.url, { token: 'soon', getToken: async () => 'intruder' });
  const gone = within(new Promise<number>((resolve) => other.on('disconnected', (ctx) => resolve(ctx.code))), 'refused refresh');
  other.connect();
  assert.equal(await gone, 3500);
});

test('a disconnect order ends the matching connections, by user and by session, sparing the excepted client', async (t) => {
  const sessions: RealtimeIdentity[] = [
    { user: 'agent:1', channels: ['agent:1'], session: 's1' },
    { user: 'agent:1', channels: ['agent:1'], session: 's2' },
  ];
  const h = await startGateway(t, {
    authorizer: { authenticate: async (token) => sessions[Number(token)] ?? null, canSubscribe: async () => false },
  });
  const gone = (c: ReturnType<typeof centrifuge>) => within(new Promise<number>((r) => c.on('disconnected', (ctx) => r(ctx.code))), 'disconnected');
  const first = centrifuge(t, h.url, { token: '0' });
  const second = centrifuge(t, h.url, { token: '1' });
  const third = centrifuge(t, h.url, { token: '1' });
  const [firstGone, secondGone] = [gone(first), gone(second)];
  const ready = [connected(first), connected(second), connected(third)];
  for (const c of [first, second, third]) c.connect();
  const [, , thirdCtx] = await Promise.all(ready);
  await h.gateway.disconnect({ session: 's1', code: 3500, reason: 'token revoked' });
  assert.equal(await firstGone, 3500);
  assert.equal(h.gateway.connectionCount(), 2);
  await h.gateway.disconnect({ user: 'agent:1', exceptClient: thirdCtx!.client, code: 3503, reason: 'force disconnect' });
  assert.equal(await secondGone, 3503);
  assert.equal(h.gateway.connectionCount(), 1);
  assert.equal(third.state, 'connected');
});

test('the gateway tells who came and went, the going once its presence is gone', async (t) => {
  const events: string[] = [];
  let broker!: MemoryBroker;
  const h = await startGateway(t, {
    sessions: {
      connected: (id) => events.push(`+${id.user}`),
      disconnected: async (id) => {
        const left = await broker.presence('agent:1');
        events.push(`-${id.user}:${left.length}`);
      },
    },
  });
  broker = h.broker as MemoryBroker;
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  client.connect();
  await connected(client);
  assert.equal((await broker.presence('agent:1')).length, 1);
  client.disconnect();
  await until(() => events.length === 2, 'the departure');
  assert.deepEqual(events, ['+agent:1', '-agent:1:0']);
});

test('a broker reset makes every client reconnect and recover what it missed', async (t) => {
  class ResettableBroker extends MemoryBroker {
    resetListeners: (() => void)[] = [];
    override onReset(listener: () => void): () => void {
      this.resetListeners.push(listener);
      return () => {};
    }
  }
  const broker = new ResettableBroker({ history: testHistory });
  const h = await startGateway(t, { broker });
  const client = centrifuge(t, h.url, { token: 'agent-1' });
  const seen = record(client);
  client.connect();
  await connected(client);
  const codes: number[] = [];
  client.on('disconnected', (ctx) => codes.push(ctx.code));
  client.on('connecting', (ctx) => codes.push(ctx.code));
  const back = connected(client);
  for (const reset of broker.resetListeners) reset();
  await broker.publish('agent:1', { n: 1 });
  await back;
  await until(() => seen.pubs.some((p) => p.channel === 'agent:1'), 'the missed publication');
  assert.ok(codes.includes(3010), `reconnected after insufficient state (${codes})`);
  assert.deepEqual(seen.pubs.filter((p) => p.channel === 'agent:1').map((p) => p.offset), [1]);
});

// A broker whose publications reach this node late, as Redis pub/sub can behind the history read.
class LaggingBroker extends MemoryBroker {
  private held: Publication[] = [];
  private readonly deliverTo = new Set<(pub: Publication) => void>();
  constructor() {
    super({ history: testHistory });
    super.onPublication((pub) => this.held.push(pub));
  }
  override onPublication(listener: (pub: Publication) => void): () => void {
    this.deliverTo.add(listener);
    return () => this.deliverTo.delete(listener);
  }
  /** Lets the held publications arrive now. */
  flush(): void {
    const held = this.held;
    this.held = [];
    for (const pub of held) for (const listener of this.deliverTo) listener(pub);
  }
}

test('a publication that reaches the node after the history read covering it is not sent again; a gap makes the client recover', async (t) => {
  const broker = new LaggingBroker();
  const h = await startGateway(t, { broker });
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'agent-1' } }]);
  await raw.next();
  await broker.publish('public:x', { n: 1 });
  raw.send([{ id: 2, subscribe: { channel: 'public:x', recover: true, offset: 0, epoch: '' } }]);
  const reply = (await raw.next()) as { subscribe: { recovered: boolean; publications: { offset: number }[] } };
  assert.equal(reply.subscribe.recovered, true);
  assert.deepEqual(reply.subscribe.publications.map((p) => p.offset), [1]);
  broker.flush(); // offset 1 arrives late: already in the reply
  await broker.publish('public:x', { n: 2 });
  broker.flush();
  assert.deepEqual(await raw.next(), { push: { channel: 'public:x', pub: { data: { n: 2 }, offset: 2 } } });

  // Offset 3 never reaches this node; 4 does: the client is asked to reconnect and recover.
  await broker.publish('public:x', { n: 3 });
  (broker as unknown as { held: Publication[] }).held = [];
  await broker.publish('public:x', { n: 4 });
  broker.flush();
  assert.deepEqual(await raw.next(), { push: { disconnect: { code: 3010, reason: 'insufficient state' } } });
});
