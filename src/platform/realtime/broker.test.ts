// One conformance suite for every Broker (in memory, and Redis as one node), then what only the
// Redis broker promises: several nodes sharing one Redis behave like one.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { MemoryBroker } from './memory-broker.ts';
import { RedisBroker } from './redis-broker.ts';
import type { Broker, DisconnectOrder, HistoryOptions, Publication, RealtimeLogger } from './types.ts';

const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const history: HistoryOptions = { size: 100, ttlSeconds: 300, metaTtlSeconds: 600 };
const quiet: RealtimeLogger = { info() {}, warn() {}, debug() {}, error() {} };

// Lets a test see the keys its brokers wrote, and removes them afterwards.
const admin = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
after(() => admin.quit());

/** Rejects if `promise` has not settled within `ms`: a guard against hangs, never a speed check. */
function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Resolves with the first `count` publications of `channel` the broker delivers. */
function collect(broker: Broker, channel: string, count: number): Promise<Publication[]> {
  const got: Publication[] = [];
  return new Promise((resolve) => {
    const stop = broker.onPublication((pub) => {
      if (pub.channel !== channel) return;
      got.push(pub);
      if (got.length === count) {
        stop();
        resolve(got);
      }
    });
  });
}

function nextOrder(broker: Broker): Promise<DisconnectOrder> {
  return new Promise((resolve) => {
    const stop = broker.onDisconnect((order) => {
      stop();
      resolve(order);
    });
  });
}

interface BrokerOptions {
  history?: HistoryOptions;
  onListenerError?: (err: unknown) => void;
  presenceTtlSeconds?: number;
}

/** Makes brokers for one test; Redis ones share the test's prefix (so they are nodes of one deployment). */
type Nodes = (opts?: BrokerOptions) => Promise<Broker>;

function memoryNodes(t: TestContext): Nodes {
  return async (opts = {}) => {
    const broker = new MemoryBroker({ history: opts.history ?? history, onListenerError: opts.onListenerError });
    t.after(() => broker.close());
    return broker;
  };
}

function redisNodes(t: TestContext): Nodes & { prefix: string } {
  const prefix = `parley-test-${randomBytes(6).toString('hex')}`;
  const brokers: RedisBroker[] = [];
  t.after(async () => {
    await Promise.all(brokers.map((b) => b.close()));
    await deleteKeys(`${prefix}:*`);
  });
  const make = async (opts: BrokerOptions = {}) => {
    const broker = await RedisBroker.connect({
      url: redisUrl, prefix, logger: quiet, ...opts, history: opts.history ?? history,
    });
    brokers.push(broker);
    return broker;
  };
  return Object.assign(make, { prefix });
}

async function deleteKeys(pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function redisKeys(pattern: string): Promise<string[]> {
  return admin.keys(pattern);
}

const kinds: { name: string; nodes: (t: TestContext) => Nodes }[] = [
  { name: 'MemoryBroker', nodes: memoryNodes },
  { name: 'RedisBroker', nodes: redisNodes },
];

for (const kind of kinds) {
  describe(`${kind.name} (conformance)`, () => {
    test('offsets start at 1 without gaps, under the epoch position() gave before the first publish', async (t) => {
      const broker = await kind.nodes(t)();
      const before = await broker.position('chat:1');
      assert.equal(before.offset, 0);
      const pubs = [];
      for (let i = 0; i < 5; i++) pubs.push(await broker.publish('chat:1', { i }));
      assert.deepEqual(pubs.map((p) => p.offset), [1, 2, 3, 4, 5]);
      assert.ok(pubs.every((p) => p.epoch === before.epoch && p.channel === 'chat:1'));
      assert.deepEqual(await broker.position('chat:1'), { offset: 5, epoch: before.epoch });
      // Channels are separate streams.
      assert.equal((await broker.publish('chat:2', 'x')).offset, 1);
    });

    test('a publish repeated with its idempotency key keeps the first offset and is delivered once', async (t) => {
      const broker = await kind.nodes(t)();
      await broker.subscribe('agent:7');
      const delivered = collect(broker, 'agent:7', 2);
      const first = await broker.publish('agent:7', { n: 1 }, { idempotencyKey: '41.0' });
      const again = await broker.publish('agent:7', { n: 1 }, { idempotencyKey: '41.0' });
      const next = await broker.publish('agent:7', { n: 2 }, { idempotencyKey: '42.0' });
      assert.deepEqual([first.offset, again.offset, next.offset], [1, 1, 2]);
      assert.equal(again.epoch, first.epoch);
      assert.deepEqual((await within(delivered, 'two publications')).map((p) => p.data), [{ n: 1 }, { n: 2 }]);
      assert.deepEqual((await broker.history('agent:7', { limit: 10 })).publications.map((p) => p.data), [{ n: 1 }, { n: 2 }]);
      // The key is the channel's own: the same key on another channel publishes.
      assert.equal((await broker.publish('visitor:7', { n: 1 }, { idempotencyKey: '41.0' })).offset, 1);
    });

    test('history since an offset, newest-N, and with limit 0', async (t) => {
      const broker = await kind.nodes(t)();
      for (let i = 1; i <= 6; i++) await broker.publish('site:9:chat:1', { text: `m${i}` });
      const { epoch } = await broker.position('site:9:chat:1');
      const since = await broker.history('site:9:chat:1', { sinceOffset: 2, limit: 3 });
      assert.deepEqual(since.position, { offset: 6, epoch });
      assert.deepEqual(
        since.publications,
        [3, 4, 5].map((o) => ({ channel: 'site:9:chat:1', offset: o, epoch, data: { text: `m${o}` } })),
      );
      const rest = await broker.history('site:9:chat:1', { sinceOffset: 2, limit: 10 });
      assert.deepEqual(rest.publications.map((p) => p.offset), [3, 4, 5, 6]);
      const newest = await broker.history('site:9:chat:1', { limit: 2 });
      assert.deepEqual(newest.publications.map((p) => p.offset), [5, 6]);
      assert.deepEqual((await broker.history('site:9:chat:1', { sinceOffset: 6, limit: 5 })).publications, []);
      assert.deepEqual((await broker.history('site:9:chat:1', { limit: 0 })).publications, []);
      assert.deepEqual((await broker.history('site:9:chat:1', { sinceOffset: 0, limit: 0 })).publications, []);
    });

    test('history is trimmed to its size, and size 0 keeps none while offsets still advance', async (t) => {
      const nodes = kind.nodes(t);
      const small = await nodes({ history: { ...history, size: 3 } });
      for (let i = 1; i <= 5; i++) await small.publish('a', i);
      assert.deepEqual((await small.history('a', { limit: 10 })).publications.map((p) => p.data), [3, 4, 5]);
      const since = await small.history('a', { sinceOffset: 1, limit: 2 });
      assert.deepEqual(since.publications.map((p) => p.offset), [3, 4]);
      const none = await nodes({ history: { ...history, size: 0 } });
      await none.publish('b', 1);
      await none.publish('b', 2);
      const read = await none.history('b', { limit: 10 });
      assert.equal(read.position.offset, 2);
      assert.deepEqual(read.publications, []);
    });

    test('history expires after its TTL; the stream starts over under a new epoch after its meta TTL', async (t) => {
      const nodes = kind.nodes(t);
      const keepsMeta = await nodes({ history: { size: 10, ttlSeconds: 1, metaTtlSeconds: 60 } });
      const forgets = await nodes({ history: { size: 10, ttlSeconds: 1, metaTtlSeconds: 1 } });
      const kept = await keepsMeta.publish('kept', 'a');
      await keepsMeta.publish('kept', 'b');
      const lost = await forgets.publish('lost', 'a');
      await sleep(1500); // past both one-second TTLs
      const read = await keepsMeta.history('kept', { limit: 10 });
      assert.deepEqual(read, { position: { offset: 2, epoch: kept.epoch }, publications: [] });
      const next = await keepsMeta.publish('kept', 'c');
      assert.deepEqual(next, { channel: 'kept', offset: 3, epoch: kept.epoch, data: 'c' });
      const restarted = await forgets.history('lost', { sinceOffset: 0, limit: 10 });
      assert.equal(restarted.position.offset, 0);
      assert.notEqual(restarted.position.epoch, lost.epoch);
      assert.deepEqual(restarted.publications, []);
      assert.equal((await forgets.publish('lost', 'b')).epoch, restarted.position.epoch);
    });

    test('presence: add, replace, list and remove', async (t) => {
      const broker = await kind.nodes(t)();
      await broker.addPresence('site:9', { client: 'c1', user: 'agent:1', info: { name: 'Ann' } });
      await broker.addPresence('site:9', { client: 'c2', user: 'agent:2' });
      await broker.addPresence('site:9', { client: 'c1', user: 'agent:1', info: { name: 'Ann B.' } });
      const listed = (await broker.presence('site:9')).sort((a, b) => a.client.localeCompare(b.client));
      assert.deepEqual(listed, [
        { client: 'c1', user: 'agent:1', info: { name: 'Ann B.' } },
        { client: 'c2', user: 'agent:2' },
      ]);
      await broker.removePresence('site:9', 'c1');
      await broker.removePresence('site:9', 'nobody');
      assert.deepEqual(await broker.presence('site:9'), [{ client: 'c2', user: 'agent:2' }]);
      assert.deepEqual(await broker.presence('site:10'), []);
    });

    test('disconnect orders reach every onDisconnect listener still registered', async (t) => {
      const broker = await kind.nodes(t)();
      const removed: DisconnectOrder[] = [];
      broker.onDisconnect((o) => removed.push(o))();
      const order: DisconnectOrder = {
        user: 'agent:1', session: 's1', exceptClient: 'c9', code: 3000, reason: 'session ended',
      };
      const first = nextOrder(broker);
      const second = nextOrder(broker);
      await broker.disconnect(order);
      assert.deepEqual(await within(first, 'the order'), order);
      assert.deepEqual(await within(second, 'the order'), order);
      assert.deepEqual(removed, []);
    });

    test('a listener that throws does not stop the others', async (t) => {
      const errors: unknown[] = [];
      const broker = await kind.nodes(t)({ onListenerError: (err) => errors.push(err) });
      await broker.subscribe('chat:1');
      broker.onPublication(() => {
        throw new Error('faulty publication listener');
      });
      broker.onDisconnect(() => {
        throw new Error('faulty order listener');
      });
      const delivered = collect(broker, 'chat:1', 1);
      const ordered = nextOrder(broker);
      await broker.publish('chat:1', 'hello');
      await broker.disconnect({ code: 3000, reason: 'x' });
      assert.equal((await within(delivered, 'the publication'))[0]?.data, 'hello');
      await within(ordered, 'the order');
      const messages = errors.map((e) => (e as Error).message).sort();
      assert.deepEqual(messages, ['faulty order listener', 'faulty publication listener']);
    });
  });
}

describe('RedisBroker (several nodes)', () => {
  test('connect rejects with a clear error, without the password, when Redis is unreachable', async () => {
    await assert.rejects(
      RedisBroker.connect({ url: 'redis://:s3cret@127.0.0.1:1', history, logger: quiet }),
      (err: Error) =>
        /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/.test(err.message) &&
        !err.message.includes('s3cret'),
    );
  });

  test('publish rejects data JSON cannot encode, before touching Redis', async (t) => {
    const nodes = redisNodes(t);
    const a = await nodes();
    await assert.rejects(a.publish('chat:1', { n: 1n }), TypeError);
    await assert.rejects(a.publish('chat:1', undefined), TypeError);
    assert.deepEqual(await redisKeys(`${nodes.prefix}:*`), []);
  });

  test('a publication on one node reaches the other, with keys named by the prefix', async (t) => {
    const nodes = redisNodes(t);
    const [a, b] = [await nodes(), await nodes()];
    await b.subscribe('site:9:chat:1');
    const got = collect(b, 'site:9:chat:1', 1);
    // Data passes through the Lua script untouched: quotes, escapes, non-ASCII, numbers.
    const data = { text: 'h\u00e9llo 👋 "q" \\ \n', n: 1.5, big: 2 ** 53, list: [null, true] };
    const pub = await a.publish('site:9:chat:1', data);
    assert.deepEqual(await within(got, 'the publication on B'), [pub]);
    assert.deepEqual((await redisKeys(`${nodes.prefix}:*`)).sort(), [
      `${nodes.prefix}:history:site:9:chat:1`, `${nodes.prefix}:meta:site:9:chat:1`,
    ]);
  });

  test('200 concurrent publishes on two nodes get offsets 1..200 once each, delivered in order', async (t) => {
    const nodes = redisNodes(t);
    const [a, b] = [await nodes(), await nodes()];
    await b.subscribe('busy');
    const got = collect(b, 'busy', 200);
    const pubs = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).publish('busy', i)));
    assert.deepEqual(pubs.map((p) => p.offset).sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i + 1));
    const delivered = await within(got, '200 publications on B');
    assert.deepEqual(delivered.map((p) => p.offset), Array.from({ length: 200 }, (_, i) => i + 1));
    // Each delivered publication carries the data of the publish that got its offset.
    const byOffset = new Map(pubs.map((p) => [p.offset, p.data]));
    assert.ok(delivered.every((p) => byOffset.get(p.offset) === p.data));
  });

  test('history and presence written on one node are read on the other', async (t) => {
    const nodes = redisNodes(t);
    const [a, b] = [await nodes(), await nodes()];
    const { epoch } = await b.position('chat:1'); // told before the first publication, then kept
    await a.publish('chat:1', 'one');
    await a.publish('chat:1', 'two');
    assert.deepEqual(await b.history('chat:1', { sinceOffset: 1, limit: 10 }), {
      position: { offset: 2, epoch },
      publications: [{ channel: 'chat:1', offset: 2, epoch, data: 'two' }],
    });
    await a.addPresence('chat:1', { client: 'c1', user: 'visitor:7' });
    assert.deepEqual(await b.presence('chat:1'), [{ client: 'c1', user: 'visitor:7' }]);
    await a.removePresence('chat:1', 'c1');
    assert.deepEqual(await b.presence('chat:1'), []);
  });

  test('a disconnect order reaches both nodes, after the publication made just before it', async (t) => {
    const nodes = redisNodes(t);
    const [a, b] = [await nodes(), await nodes()];
    await b.subscribe('agent:1');
    const seen: string[] = [];
    b.onPublication((pub) => seen.push(`publication ${pub.offset}`));
    b.onDisconnect((order) => seen.push(`order ${order.reason}`));
    const onA = nextOrder(a);
    const onB = nextOrder(b);
    // Not awaited: calls reach Redis in the order they are made.
    const published = a.publish('agent:1', 'last words');
    await a.disconnect({ user: 'agent:1', code: 3000, reason: 'logged out' });
    await published;
    await within(Promise.all([onA, onB]), 'the order on both nodes');
    assert.deepEqual(seen, ['publication 1', 'order logged out']);
  });

  test('subscribe counts references; subscribe, unsubscribe, subscribe in a row ends subscribed', async (t) => {
    const nodes = redisNodes(t);
    const [a, b] = [await nodes(), await nodes()];
    const numsub = async (channel: string) => (await admin.pubsub('NUMSUB', `${nodes.prefix}:pub:${channel}`))[1];

    const first = b.subscribe('flip');
    b.unsubscribe('flip');
    await Promise.all([first, b.subscribe('flip')]);
    await sleep(100); // lets a stray UNSUBSCRIBE, if one were still to come, land: the end state is checked
    assert.equal(await numsub('flip'), 1);
    const got = collect(b, 'flip', 1);
    await a.publish('flip', 'still here');
    assert.equal((await within(got, 'the publication after re-subscribing'))[0]?.data, 'still here');

    // Two holders: the first unsubscribe keeps the channel, the second drops it.
    await b.subscribe('flip');
    b.unsubscribe('flip');
    assert.equal(await numsub('flip'), 1);
    const late: Publication[] = [];
    b.onPublication((pub) => late.push(pub));
    b.unsubscribe('flip');
    b.unsubscribe('flip'); // one too many: ignored
    await b.subscribe('marker');
    await a.publish('flip', 'nobody listens');
    const marker = collect(b, 'marker', 1);
    await a.publish('marker', 'after');
    await within(marker, 'the marker');
    // One connection delivers in order: had 'flip' still been held, it would have arrived first.
    assert.deepEqual(late.map((p) => p.channel), ['marker']);
    assert.equal(await numsub('flip'), 0);
  });

  test("a node that dies leaves its presence for at most presenceTtlSeconds; a live node's stays", async (t) => {
    const nodes = redisNodes(t);
    const dying = (await nodes({ presenceTtlSeconds: 1 })) as RedisBroker;
    const living = await nodes({ presenceTtlSeconds: 1 });
    await dying.addPresence('site:9', { client: 'gone', user: 'agent:1' });
    await living.addPresence('site:9', { client: 'here', user: 'agent:2' });
    assert.equal((await living.presence('site:9')).length, 2);
    dying.abandon();
    await sleep(1500); // past the one-second TTL; the living node refreshed its entry meanwhile
    assert.deepEqual(await living.presence('site:9'), [{ client: 'here', user: 'agent:2' }]);
  });

  test('a node is ready while Redis answers, and not once its connections are gone', async (t) => {
    const nodes = redisNodes(t);
    const node = (await nodes()) as RedisBroker;
    assert.equal(await node.ready(), true);
    node.abandon();
    assert.equal(await node.ready(), false);
  });

  test('close removes the presence this node holds', async (t) => {
    const nodes = redisNodes(t);
    const [a, b] = [await nodes(), await nodes()];
    await a.addPresence('site:9', { client: 'c1', user: 'agent:1' });
    await a.close();
    assert.deepEqual(await b.presence('site:9'), []);
  });

  test('onReset fires once the killed subscriber connection is back, and delivery goes on', async (t) => {
    const nodes = redisNodes(t);
    const a = await nodes();
    const b = (await nodes()) as RedisBroker;
    await b.subscribe('chat:1');
    const reset = new Promise<void>((resolve) => b.onReset(resolve));
    const clients = await admin.client('LIST');
    const id = /^id=(\d+) .*name=(\S+)/gm;
    const subscriber = [...String(clients).matchAll(id)].find((m) => m[2] === `${b.nodeId}:sub`);
    assert.ok(subscriber, 'the subscriber connection is named after the node');
    await admin.client('KILL', 'ID', subscriber[1]!);
    await within(reset, 'the reset');
    const got = collect(b, 'chat:1', 1);
    const order = nextOrder(b);
    await a.publish('chat:1', 'after the reset');
    await a.disconnect({ code: 3000, reason: 'after the reset' });
    assert.equal((await within(got, 'a publication after the reset'))[0]?.data, 'after the reset');
    assert.equal((await within(order, 'an order after the reset')).reason, 'after the reset');
  });
});
