// The limits that keep one client from costing the gateway more than its share: time to connect,
// frame size, unanswered pings, unread output, commands per frame and pending, channels held.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorizer, centrifuge, connected, RawClient, startGateway } from './test-harness.ts';
import type { Authorizer } from './types.ts';

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

test('a frame carrying more than maxCommandsPerFrame commands disconnects with 3013 before running any', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'agent-1' } }]);
  await raw.next();
  // The default cap: 300 commands in a frame are all answered.
  raw.send(Array.from({ length: 300 }, (_, i) => ({ id: 2 + i, rpc: { method: 'x' } })));
  for (let i = 0; i < 300; i++) await raw.next();
  raw.send(Array.from({ length: 301 }, (_, i) => ({ id: 400 + i, subscribe: { channel: `public:${i}` } })));
  // Not one subscribe reply first.
  assert.deepEqual(await raw.next(), { push: { disconnect: { code: 3013, reason: 'too many requests' } } });
  const close = await raw.closeEvent();
  assert.deepEqual([close.code, close.reason], [3013, 'too many requests']);
});

test('commands waiting behind a slow one are capped by maxPendingCommands, however they are framed', async (t) => {
  // Connect waits until the test lets the authorizer answer.
  let letThrough!: () => void;
  const gate = new Promise<void>((resolve) => (letThrough = resolve));
  const slow: Authorizer = {
    authenticate: async (token) => {
      await gate;
      return authorizer.authenticate(token);
    },
    canSubscribe: (identity, channel) => authorizer.canSubscribe(identity, channel),
  };
  const h = await startGateway(t, { authorizer: slow, maxCommandsPerFrame: 5, maxPendingCommands: 10 });
  const subscribes = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: from + i, subscribe: { channel: `public:${from + i}` } }));

  // Within the cap: the connect and 9 subscribes in three frames are all answered once connect is.
  const patient = new RawClient(t, h.url);
  await patient.opened();
  patient.send([{ id: 1, connect: { token: 'agent-1' } }]);
  patient.send(subscribes(2, 5));
  patient.send(subscribes(7, 4));

  // Past it: three frames, none over the per-frame cap, 11 commands in all.
  const past = new RawClient(t, h.url);
  await past.opened();
  past.send([{ id: 1, connect: { token: 'agent-1' } }]);
  past.send(subscribes(2, 5));
  past.send(subscribes(7, 5));
  assert.deepEqual(await past.next(), { push: { disconnect: { code: 3013, reason: 'too many requests' } } });
  assert.equal((await past.closeEvent()).code, 3013);

  letThrough();
  const ids = [];
  for (let i = 0; i < 10; i++) ids.push(((await patient.next()) as { id: number }).id);
  assert.deepEqual(ids, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(h.gateway.connectionCount(), 1);
});

test('a subscribe past maxSubscriptions, server-side channels counted, is refused with 106', async (t) => {
  const h = await startGateway(t, { maxSubscriptions: 3 });
  const raw = new RawClient(t, h.url);
  await raw.opened();
  // agent-1 holds two server-side channels, so one more fits.
  raw.send([
    { id: 1, connect: { token: 'agent-1' } },
    { id: 2, subscribe: { channel: 'public:a' } },
    { id: 3, subscribe: { channel: 'public:b' } },
    { id: 4, subscribe: { channel: 'public:a' } },
    { id: 5, unsubscribe: { channel: 'public:a' } },
    { id: 6, subscribe: { channel: 'public:b' } },
  ]);
  await raw.next();
  const replies = [];
  for (let i = 0; i < 5; i++) replies.push(await raw.next());
  const epoch = (await h.broker.position('public:b')).epoch;
  assert.deepEqual(replies.slice(1), [
    { id: 3, error: { code: 106, message: 'limit exceeded' } },
    { id: 4, error: { code: 105, message: 'already subscribed' } },
    { id: 5, unsubscribe: {} },
    { id: 6, subscribe: { offset: 0, epoch, recoverable: true, positioned: true } },
  ]);
  assert.equal((replies[0] as { id: number }).id, 2);
});
