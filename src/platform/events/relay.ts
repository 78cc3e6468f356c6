// The event log's read side: one relay per node hands committed events, in id order, to each
// registered listener. Each listener has a cursor row (the last id it handled) and a lease: only
// the node holding a listener's lease reads for it, so two nodes do not both act on one event. A
// node that dies stops renewing; another takes the lease over when it expires and goes on from the
// cursor. Delivery is at least once (a node can die after acting and before saving the cursor), so
// listeners are idempotent by event id.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import { type DomainEvent, type StoredEvent, storedEvent } from './event-log.ts';
import type { EventTables } from './tables.ts';

export interface EventListener<E extends DomainEvent> {
  /** Stable name of the listener's cursor, e.g. `realtime`. */
  name: string;
  /** The event names it acts on; it passes over others without being called. All when left out. */
  types?: ReadonlySet<string>;
  /** Handles one event; a throw retries it (and what follows it) later. */
  handle(event: StoredEvent<E>): Promise<void>;
  /**
   * Handles the events of one read together, in order (those of `types` only), instead of one by
   * one: for a listener that writes, one transaction for many events. A throw retries them all.
   */
  handleBatch?(events: StoredEvent<E>[]): Promise<void>;
  /**
   * False: callers do not wait for this listener after their commit (settle), as nobody reads its
   * work at once (reports); it catches up a moment later, with larger batches under load.
   */
  awaited?: boolean;
}

export interface RelayLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RelayOptions {
  /** How often an idle relay looks for events other nodes appended, and claims free leases. */
  pollMs: number;
  /** How long a lease lasts unless renewed (renewed at a third of it). */
  leaseMs: number;
  /** Events read per pass. */
  batchSize?: number;
  /** Tries of one event by one listener before it is logged and passed over. */
  maxAttempts?: number;
  /** How long a caller waits for its events to be handled before it goes on (they are still handled). */
  settleTimeoutMs?: number;
  /**
   * How often a busy listener's cursor is written (it is written too whenever the relay goes idle,
   * renews a lease or stops). A node that dies hands the next one at most this much to do again.
   */
  saveEveryMs?: number;
}

export interface RelayDeps<E extends DomainEvent> {
  db: Kysely<EventTables>;
  nodeId: string;
  listeners: EventListener<E>[];
  log: RelayLogger;
  options: RelayOptions;
  /** Subscribes to "events were appended" from every node (PostgreSQL's NOTIFY); returns the unsubscribe. */
  notifications?: ((onAppended: () => void) => Promise<() => Promise<void>>) | undefined;
}

interface Held {
  position: number;
  /** The position last written to the cursor row, and when. */
  saved: number;
  savedAt: number;
  leaseUntil: number;
  attempts: number;
  retryAt: number;
}

export interface Relay<E extends DomainEvent = DomainEvent> {
  start(): Promise<void>;
  /** Hands over this node's leases and stops reading. */
  stop(): Promise<void>;
  /** Looks for new events now. */
  kick(): void;
  /**
   * Hands over events this node just committed, as the log holds them, so the relay need not read
   * them back; used only while they follow on from what the listeners have handled.
   */
  offer(stored: StoredEvent<E>[]): void;
  /**
   * Resolves once this node's listeners have handled events up to `id` (or at once, for a caller
   * that is itself a listener at work, or when another node holds the leases).
   */
  settle(id: number): Promise<void>;
  /** Deletes events every listener has passed that are older than `before`; returns how many. */
  prune(before: string): Promise<number>;
}

const inListener = new AsyncLocalStorage<true>();

/** The id of the newest event of the log of one of `types` (0 when none): how far a listener must get to be caught up. */
export async function lastEventOf(db: Kysely<EventTables>, types: ReadonlySet<string>): Promise<number> {
  const row = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).where('type', 'in', [...types]).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Reads up to `limit` events of the log after id `after`, in order (a listener's rebuild reads the log this way). */
export async function readEvents<E extends DomainEvent>(db: Kysely<EventTables>, after: number, limit: number): Promise<StoredEvent<E>[]> {
  const rows = await db.selectFrom('events').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute();
  return rows.map((r) => storedEvent<E>(r));
}

/** Events held in memory for the local listeners, at most. */
const FRESH_LIMIT = 10_000;

/** How long a stop waits for the database before it gives up on it. */
const STOP_WAIT_MS = 3000;

/** True when `work` settles within `ms`, false when the time ran out first. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = work.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Creates the relay of one node. */
export function createRelay<E extends DomainEvent>({ db, nodeId, listeners, log, options, notifications }: RelayDeps<E>): Relay<E> {
  const batchSize = options.batchSize ?? 200;
  const maxAttempts = options.maxAttempts ?? 8;
  const settleTimeoutMs = options.settleTimeoutMs ?? 5000;
  const saveEveryMs = options.saveEveryMs ?? 250;
  const held = new Map<string, Held>();
  const waiters: { id: number; until: number; resolve: () => void }[] = [];
  let waitTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let lastClaim = 0;
  // Events this node committed, by id, not yet passed by every listener it holds.
  const fresh = new Map<number, StoredEvent<E>>();

  const iso = (ms: number) => new Date(ms).toISOString();

  /** Takes the leases that are free or expired, renews this node's own when a third has passed. */
  async function claim(now: number): Promise<void> {
    for (const l of listeners) {
      const mine = held.get(l.name);
      if (mine && mine.leaseUntil - now > (options.leaseMs * 2) / 3) continue;
      const row = await db
        .updateTable('event_cursors')
        .set({ lease_owner: nodeId, lease_until: iso(now + options.leaseMs), updated_at: iso(now) })
        .where('listener', '=', l.name)
        .where((eb) => eb.or([eb('lease_owner', '=', nodeId), eb('lease_owner', 'is', null), eb('lease_until', '<', iso(now))]))
        .returning('position')
        .executeTakeFirst();
      if (!row) {
        if (mine) log.warn({ listener: l.name }, 'event listener lease lost to another node');
        held.delete(l.name);
      } else if (mine) mine.leaseUntil = now + options.leaseMs;
      else held.set(l.name, { position: row.position, saved: row.position, savedAt: now, leaseUntil: now + options.leaseMs, attempts: 0, retryAt: 0 });
    }
  }

  /**
   * Writes the cursors that moved since they were last written (all of them with `all`, else the
   * ones not written for `saveEveryMs`), in one transaction; a lease lost meanwhile drops the listener.
   */
  async function save(now: number, all: boolean): Promise<void> {
    const due: [string, Held][] = [];
    for (const entry of held) if (entry[1].position > entry[1].saved && (all || now - entry[1].savedAt >= saveEveryMs)) due.push(entry);
    if (due.length === 0) return;
    const lost = await db.transaction().execute(async (trx) => {
      const out: string[] = [];
      for (const [name, h] of due) {
        const saved = await trx
          .updateTable('event_cursors')
          .set({ position: h.position, updated_at: iso(now) })
          .where('listener', '=', name)
          .where('lease_owner', '=', nodeId)
          .executeTakeFirst();
        if (Number(saved.numUpdatedRows) === 0) out.push(name);
      }
      return out;
    });
    for (const [, h] of due) {
      h.saved = h.position;
      h.savedAt = now;
    }
    for (const name of lost) {
      log.warn({ listener: name }, 'event listener lease lost to another node');
      held.delete(name);
    }
  }

  /** Runs a listener's work on `stored` (one event, or the first of a batch); false: retry later. */
  async function attempt(l: EventListener<E>, h: Held, stored: StoredEvent<E>, work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      h.attempts = 0;
      return true;
    } catch (err) {
      h.attempts += 1;
      if (h.attempts >= maxAttempts) {
        log.error({ err, listener: l.name, eventId: stored.id, type: stored.event.name }, 'event listener gave up on an event');
        h.attempts = 0;
        return true;
      }
      log.warn({ err, listener: l.name, eventId: stored.id, type: stored.event.name, attempt: h.attempts }, 'event listener failed; retrying');
      h.retryAt = Date.now() + Math.min(30_000, 100 * 2 ** h.attempts);
      return false;
    }
  }

  const wants = (l: EventListener<E>, stored: StoredEvent<E>) => !l.types || l.types.has(stored.event.name);

  /** Hands a listener the events of one read past its position; moves the position as far as they were handled. */
  async function deliver(l: EventListener<E>, h: Held, events: StoredEvent<E>[]): Promise<void> {
    const todo = events.filter((e) => e.id > h.position);
    if (todo.length === 0) return;
    if (l.handleBatch) {
      const mine = todo.filter((e) => wants(l, e));
      if (mine.length === 0 || (await attempt(l, h, mine[0]!, () => l.handleBatch!(mine)))) h.position = todo.at(-1)!.id;
      return;
    }
    for (const stored of todo) {
      if (wants(l, stored) && !(await attempt(l, h, stored, () => l.handle(stored)))) break;
      h.position = stored.id;
    }
  }

  /** One read of the log for every listener this node holds; true when there may be more to read. */
  async function pass(): Promise<boolean> {
    const now = Date.now();
    if (now - lastClaim >= options.pollMs) {
      lastClaim = now;
      await save(now, true);
      await claim(now);
    }
    const ready = listeners.filter((l) => {
      const h = held.get(l.name);
      return h !== undefined && h.retryAt <= now && h.leaseUntil > now;
    });
    if (ready.length === 0) return false;
    const from = Math.min(...ready.map((l) => held.get(l.name)!.position));
    // What this node committed right after `from` needs no read; a gap (another node's commit, or
    // an event from before this node started) sends the relay to the log.
    const events: StoredEvent<E>[] = [];
    for (let id = from + 1; fresh.has(id) && events.length < batchSize; id++) events.push(fresh.get(id)!);
    if (events.length === 0) {
      events.push(...(await readEvents<E>(db, from, batchSize)));
    }
    if (events.length === 0) {
      // Idle: what the listeners did is written now rather than at the next busy moment.
      await save(now, true);
      return false;
    }
    // Callers wait for the awaited listeners only: they are handed the read first, then callers go on.
    for (const l of ready) if (l.awaited !== false) await deliver(l, held.get(l.name)!, events);
    release();
    for (const l of ready) if (l.awaited === false) await deliver(l, held.get(l.name)!, events);
    await save(Date.now(), false);
    const passed = Math.min(...[...held.values()].map((h) => h.position));
    for (const id of fresh.keys()) if (id <= passed) fresh.delete(id);
    return events.length === batchSize || fresh.size > 0;
  }

  function release(): void {
    if (waiters.length === 0) return;
    let low = Number.POSITIVE_INFINITY;
    for (const l of listeners) if (l.awaited !== false) low = Math.min(low, held.get(l.name)?.position ?? Number.POSITIVE_INFINITY);
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.id <= low) waiters.splice(i, 1)[0]!.resolve();
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          // Listeners at work are known as such (see settle), through everything they await.
          if (await inListener.run(true, pass)) again = true;
        } catch (err) {
          log.error({ err }, 'reading the event log failed');
        }
        release();
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
      release();
    });
  }

  return {
    async start() {
      // A listener seen for the first time starts at the newest event: it reacts to what happens
      // from now on, not to the whole retained history.
      const top = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      for (const l of listeners) {
        await db.insertInto('event_cursors').values({ listener: l.name, position: Number(top?.id ?? 0) }).onConflict((oc) => oc.column('listener').doNothing()).execute();
      }
      stopped = false;
      unsubscribe = await notifications?.(kick);
      timer = setInterval(kick, options.pollMs);
      timer.unref();
      kick();
    },

    async stop() {
      stopped = true;
      clearInterval(timer);
      await unsubscribe?.();
      // A database that went away can leave a query waiting for ever (pg's pool never answers a
      // connect queued before it ended): the stop waits for the pass under way, but not for ever.
      if (running && !(await settlesWithin(running, STOP_WAIT_MS))) log.warn({}, 'the event relay stopped with a pass still under way');
      for (const w of waiters.splice(0)) w.resolve();
      clearInterval(waitTimer);
      waitTimer = undefined;
      // What was done is written before the leases go, so the next holder does not do it again.
      const saved = save(Date.now(), true).catch((err: unknown) => log.warn({ err }, 'writing event listener cursors failed'));
      if (!(await settlesWithin(saved, STOP_WAIT_MS))) log.warn({}, 'writing event listener cursors timed out');
      const names = [...held.keys()];
      held.clear();
      if (names.length === 0) return;
      // Best effort: a lease that is not handed back expires on its own.
      const handBack = db
        .updateTable('event_cursors')
        .set({ lease_owner: null, lease_until: null })
        .where('listener', 'in', names)
        .where('lease_owner', '=', nodeId)
        .execute()
        .catch((err: unknown) => log.warn({ err }, 'handing back event listener leases failed'));
      if (!(await settlesWithin(handBack, STOP_WAIT_MS))) log.warn({}, 'handing back event listener leases timed out');
    },

    kick,

    offer(stored) {
      if (stopped || held.size === 0) return;
      // Bounded: a relay that falls far behind reads the log instead.
      if (fresh.size > FRESH_LIMIT) fresh.clear();
      for (const e of stored) fresh.set(e.id, e);
    },

    settle(id) {
      kick();
      if (inListener.getStore() || stopped || held.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push({ id, until: Date.now() + settleTimeoutMs, resolve });
        // One timer for every waiter: a caller waits at most settleTimeoutMs (and a little).
        waitTimer ??= setInterval(() => {
          const now = Date.now();
          for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i]!.until <= now) waiters.splice(i, 1)[0]!.resolve();
          if (waiters.length === 0) {
            clearInterval(waitTimer);
            waitTimer = undefined;
          }
        }, Math.min(250, settleTimeoutMs));
        waitTimer.unref();
      });
    },

    async prune(before) {
      // What this node's listeners did counts: their cursors are written first.
      await save(Date.now(), true);
      const low = await db.selectFrom('event_cursors').select((eb) => eb.fn.min('position').as('position')).executeTakeFirst();
      const top = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      // The newest event always stays: SQLite hands out ids after the highest one in the table, so
      // an empty table would give ids the listeners have passed already.
      const upTo = Math.min(Number(low?.position ?? 0), Number(top?.id ?? 0) - 1);
      const result = await db.deleteFrom('events').where('id', '<=', upTo).where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
