// How connections end besides the client leaving: credentials that expire, sessions the server
// cuts (by user or by any property of the identity), and shutdown.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Centrifuge, type ConnectingContext, type DisconnectedContext, type ErrorContext } from 'centrifuge';
import { centrifuge, connected, RawClient, startGateway, type TokenContext, within } from './test-harness.ts';
import type { RealtimeIdentity } from './types.ts';

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

test('a credential with an expiry is reported as expires and ttl', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'expiring' } }]);
  const reply = (await raw.next()) as { connect: { expires: boolean; ttl: number } };
  assert.equal(reply.connect.expires, true);
  assert.ok(reply.connect.ttl > 3500 && reply.connect.ttl <= 3600, `ttl ${reply.connect.ttl}`);
});

test('the server disconnects with 3005 expired when the credential lapses (and the grace after it)', async (t) => {
  const h = await startGateway(t, { expiredCloseDelaySeconds: 0.2 });
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'brief' } }]);
  const reply = (await raw.next()) as { connect: { expires: boolean; ttl: number } };
  assert.deepEqual([reply.connect.expires, reply.connect.ttl], [true, 1]);
  assert.equal(h.gateway.connectionCount(), 1);
  // No ping or command in between: only the server's own timer can end it.
  assert.deepEqual(await raw.next(), { push: { disconnect: { code: 3005, reason: 'expired' } } });
  const close = await raw.closeEvent();
  assert.deepEqual([close.code, close.reason], [3005, 'expired']);
  assert.equal(h.gateway.connectionCount(), 0);
});

test('a credential the authorizer returns already lapsed is answered with error 109', async (t) => {
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'lapsed' } }]);
  assert.deepEqual(await raw.next(), { id: 1, error: { code: 109, message: 'token expired' } });
  assert.equal(h.gateway.connectionCount(), 0);
  assert.deepEqual(h.counts, []);
});

test('a credential lasting past the longest setTimeout delay is not cut at once', async (t) => {
  const overflows: Error[] = [];
  const onWarning = (warning: Error) => {
    if (warning.name === 'TimeoutOverflowWarning') overflows.push(warning);
  };
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  const h = await startGateway(t);
  const raw = new RawClient(t, h.url);
  await raw.opened();
  raw.send([{ id: 1, connect: { token: 'lasting' } }]);
  await raw.next();
  // Node runs a timer of over 2^31-1 ms after 1 ms instead. The expiry timer was armed before the
  // reply was sent, so an overflowed one fires before this later, longer one: no race.
  await delay(20);
  raw.send([{ id: 2, rpc: { method: 'ping' } }]);
  assert.deepEqual(await raw.next(), { id: 2, error: { code: 104, message: 'method not found' } });
  assert.equal(h.gateway.connectionCount(), 1);
  assert.deepEqual(overflows, [], 'no timer armed past the limit (Node would re-run it every millisecond)');
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

test('disconnectWhere disconnects the connections whose identity matches, e.g. of one token', async (t) => {
  const h = await startGateway(t);
  const desk = centrifuge(t, h.url, { token: 'agent-1' });
  const phone = centrifuge(t, h.url, { token: 'agent-1-phone' });
  const other = centrifuge(t, h.url, { token: 'agent-2' });
  const ready = [connected(desk), connected(phone), connected(other)];
  for (const c of [desk, phone, other]) c.connect();
  await Promise.all(ready);
  // A socket that has not sent connect has no identity to match.
  const raw = new RawClient(t, h.url);
  await raw.opened();

  const throwing = () => {
    throw new Error('predicate failed');
  };
  assert.throws(() => h.gateway.disconnectWhere(throwing, 3503, 'force disconnect'), /predicate failed/);
  assert.equal(h.gateway.connectionCount(), 3, 'a predicate that throws disconnects none');

  const seen: string[] = [];
  const revoked = (identity: RealtimeIdentity) => {
    seen.push(identity.user);
    return (identity.context as TokenContext).tokenId === 't1-phone';
  };
  const disconnected = new Promise<DisconnectedContext>((resolve) => phone.once('disconnected', resolve));
  assert.equal(h.gateway.disconnectWhere(revoked, 3503, 'force disconnect'), 1);
  const ctx = await within(disconnected, 'disconnected');
  assert.deepEqual([ctx.code, ctx.reason], [3503, 'force disconnect']);
  assert.deepEqual(seen.sort(), ['agent:1', 'agent:1', 'agent:2']);
  assert.equal(h.gateway.connectionCount(), 2);
  assert.equal(desk.state, 'connected');
  assert.equal(other.state, 'connected');
  assert.equal(h.gateway.disconnectWhere(() => false, 3503, 'force disconnect'), 0);
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
