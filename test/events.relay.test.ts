// The event log on the real database (SQLite, or PostgreSQL when PARLEY_TEST_DB=postgres): events
// commit with their change or not at all; each listener gets every committed event in id order; a
// failing listener gets the event again and holds back no other listener; two relays on one log
// never both hand an event to one listener while the lease holds, and the second takes over when
// the first stops; the log is pruned only behind the slowest listener.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type TestContext, test } from 'node:test';
import { openDatabase } from '../src/platform/db/database.ts';
import type { DB } from '../src/modules/tables.ts';
import { createEventLog, createRelay, type EventListener, type EventTables, type Relay, type StoredEvent } from '../src/platform/events/index.ts';
import { migrateToLatest } from '../src/migrations/index.ts';
import { freshDatabaseUrl } from './helpers/parley.ts';
import { until } from './helpers/realtime.ts';

type Ev = { name: 'thing.happened'; siteId: number; n: number };
const quiet = { warn() {}, error() {} };

async function setup(t: TestContext) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-events-'));
  const cleanups: (() => void | Promise<void>)[] = [() => fs.rmSync(dir, { recursive: true, force: true })];
  t.after(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  const database = openDatabase<DB>(await freshDatabaseUrl(cleanups, dir));
  cleanups.push(() => database.close());
  await migrateToLatest(database.db, database.dialect);
  const relays: Relay[] = [];
  cleanups.push(async () => {
    for (const r of relays) await r.stop();
  });
  let onCommit: (lastId: number) => Promise<void> = async () => {};
  const log = createEventLog<DB, Ev>({
    db: database.db,
    dialect: database.dialect,
    partnerOf: async () => null,
    committed: (stored) => onCommit(stored.at(-1)!.id),
  });
  const relay = (nodeId: string, listeners: EventListener<Ev>[], leaseMs = 60_000) => {
    const r = createRelay<Ev>({ db: database.db.withTables<EventTables>(), nodeId, listeners, log: quiet, options: { pollMs: 20, leaseMs }, notifications: database.notifications });
    relays.push(r);
    return r;
  };
  return {
    database,
    log,
    relay,
    setCommitted: (fn: typeof onCommit) => {
      onCommit = fn;
    },
  };
}

const recorder = (name: string) => {
  const seen: StoredEvent<Ev>[] = [];
  return { seen, listener: { name, handle: async (e: StoredEvent<Ev>) => void seen.push(e) } };
};

test('events commit with their change or not at all, and each listener gets them in id order', async (t) => {
  const { log, relay, setCommitted } = await setup(t);
  const a = recorder('a');
  const r = relay('node-1', [a.listener]);
  await r.start();
  setCommitted((id) => r.settle(id));
  await log.transaction(async (_trx, emit) => {
    emit({ name: 'thing.happened', siteId: 1, n: 1 });
    emit({ name: 'thing.happened', siteId: 1, n: 2 });
  });
  // A transaction that fails leaves no event behind.
  await assert.rejects(
    log.transaction(async (_trx, emit) => {
      emit({ name: 'thing.happened', siteId: 1, n: 99 });
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  await log.emit({ name: 'thing.happened', siteId: 2, n: 3 });
  // settle() waited for the relay: the listener already has all three.
  assert.deepEqual(a.seen.map((e) => e.event.n), [1, 2, 3]);
  assert.deepEqual(a.seen.map((e) => e.event.siteId), [1, 1, 2]);
  const ids = a.seen.map((e) => e.id);
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
  assert.equal(new Set(ids).size, 3);
});

test('a failing listener gets the event again, and the others go on meanwhile', async (t) => {
  const { log, relay } = await setup(t);
  const ok = recorder('steady');
  let failures = 0;
  const tries: number[] = [];
  const flaky: EventListener<Ev> = {
    name: 'flaky',
    async handle(e) {
      tries.push(e.event.n);
      if (e.event.n === 2 && failures < 2) {
        failures += 1;
        throw new Error('not now');
      }
    },
  };
  const r = relay('node-1', [flaky, ok.listener]);
  await r.start();
  for (const n of [1, 2, 3]) await log.emit({ name: 'thing.happened', siteId: 1, n });
  r.kick();
  await until(() => ok.seen.length === 3 && tries.includes(3), 'both listeners through the log');
  assert.deepEqual(ok.seen.map((e) => e.event.n), [1, 2, 3]);
  assert.deepEqual(tries, [1, 2, 2, 2, 3], 'event 2 tried until it went through, then 3');
});

test('a batch listener gets the events of one read together, only those of its types, and a failed batch again', async (t) => {
  const { log, relay } = await setup(t);
  const batches: number[][] = [];
  let failed = false;
  const batcher: EventListener<Ev> = {
    name: 'batcher',
    types: new Set(['thing.happened']),
    handle: async () => assert.fail('a batch listener is handed batches'),
    async handleBatch(events) {
      if (!failed) {
        failed = true;
        throw new Error('not now');
      }
      batches.push(events.map((e) => e.event.n));
    },
  };
  const r = relay('node-1', [batcher]);
  await r.start();
  // One commit: they come in one read.
  await log.transaction(async (_trx, emit) => {
    for (const n of [1, 2, 3]) emit({ name: 'thing.happened', siteId: 1, n });
    emit({ name: 'other.thing', siteId: 1, n: 4 } as unknown as Ev);
  });
  r.kick();
  await until(() => batches.length === 1, 'the batch went through on its second try');
  assert.deepEqual(batches, [[1, 2, 3]], 'one batch, in order, without the other type');
  await log.emit({ name: 'thing.happened', siteId: 1, n: 5 });
  r.kick();
  await until(() => batches.length === 2, 'the next read');
  assert.deepEqual(batches[1], [5], 'nothing handed twice');
});

test('callers wait for the awaited listeners only', async (t) => {
  const { log, relay, setCommitted } = await setup(t);
  const quick = recorder('quick');
  let letGo: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const seenLate: number[] = [];
  const late: EventListener<Ev> = {
    name: 'late',
    awaited: false,
    async handle(e) {
      await held;
      seenLate.push(e.event.n);
    },
  };
  const r = relay('node-1', [late, quick.listener]);
  await r.start();
  setCommitted((id) => r.settle(id));
  await log.emit({ name: 'thing.happened', siteId: 1, n: 1 });
  assert.deepEqual(quick.seen.map((e) => e.event.n), [1], 'the awaited listener had it when the caller went on');
  assert.deepEqual(seenLate, [], 'the other was still at work');
  letGo();
  await until(() => seenLate.length === 1, 'the late listener catches up');
});

test('two relays on one log: one holds each listener, the other takes over when it stops', async (t) => {
  const { log, relay } = await setup(t);
  const first = recorder('shared');
  const second = recorder('shared');
  const r1 = relay('node-1', [first.listener]);
  await r1.start();
  await log.emit({ name: 'thing.happened', siteId: 1, n: 1 });
  r1.kick();
  await until(() => first.seen.length === 1, 'the first relay holds the lease');
  const r2 = relay('node-2', [second.listener]);
  await r2.start();
  for (let n = 2; n <= 10; n++) {
    await log.emit({ name: 'thing.happened', siteId: 1, n });
    r1.kick();
    r2.kick();
  }
  await until(() => first.seen.length + second.seen.length >= 10, 'ten events handled');
  assert.equal(second.seen.length, 0, 'the second relay waits while the first holds the lease');
  await r1.stop();
  for (let n = 11; n <= 15; n++) await log.emit({ name: 'thing.happened', siteId: 1, n });
  r2.kick();
  await until(() => second.seen.length >= 5, 'the second relay took over');
  const all = [...first.seen, ...second.seen].map((e) => e.event.n);
  assert.deepEqual(all, Array.from({ length: 15 }, (_, i) => i + 1), 'every event once, in order, across the handover');
});

test('the log is pruned only behind the slowest listener', async (t) => {
  const { database, log, relay } = await setup(t);
  const fast = recorder('fast');
  let open = false;
  let slowDone = 0;
  const slow: EventListener<Ev> = {
    name: 'slow',
    async handle() {
      if (!open) throw new Error('not yet');
      slowDone += 1;
    },
  };
  const r = relay('node-1', [fast.listener, slow]);
  await r.start();
  for (let n = 1; n <= 4; n++) await log.emit({ name: 'thing.happened', siteId: 1, n });
  r.kick();
  await until(() => fast.seen.length === 4, 'the fast listener through');
  const future = new Date(Date.now() + 60_000).toISOString();
  assert.equal(await r.prune(future), 0, 'the slow listener has not passed any event');
  const events = database.db.withTables<EventTables>();
  assert.equal((await events.selectFrom('events').select('id').execute()).length, 4);
  open = true;
  await until(() => slowDone === 4, 'the slow listener through once it may');
  const pruned = await r.prune(future);
  assert.equal(pruned, 3, 'once both listeners passed them they go, but the newest, which keeps ids growing');
  // Events younger than the cut-off stay even when every listener passed them.
  await log.emit({ name: 'thing.happened', siteId: 1, n: 5 });
  r.kick();
  await until(() => fast.seen.length === 5, 'the fifth handled');
  assert.equal(await r.prune(new Date(Date.now() - 60_000).toISOString()), 0);
  // With everything passed and old, all but the newest go, and the next event still gets a new id.
  await until(() => slowDone === 5, 'the slow listener through the fifth');
  assert.equal(await r.prune(future), 1, 'the fourth goes, the fifth (the newest) stays');
  await log.emit({ name: 'thing.happened', siteId: 1, n: 6 });
  r.kick();
  await until(() => fast.seen.length === 6, 'the sixth handled');
  assert.deepEqual(fast.seen.map((e) => e.id), [1, 2, 3, 4, 5, 6], 'ids only grow across pruning');
});
