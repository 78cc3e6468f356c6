// The domain event log's write side. A module changes state and records what happened in one
// transaction: `events.transaction(async (trx, emit) => { …; emit(event) })`. The recorded events
// are appended as the transaction's last statements, so they commit with the change or not at all,
// and the relay hands them to listeners once the transaction has committed.
import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { EventsTable, EventTables } from './tables.ts';

/**
 * Every domain event has a past-tense dotted name and carries its site, or (a partner's own
 * change) null and its partner.
 */
export interface DomainEvent {
  name: string;
  siteId: number | null;
  /** The partner, when the event names it itself (else it is the site's, looked up at append). */
  partnerId?: number | undefined;
}

/** An event as the log holds it: its position (`id`, increasing in commit order), partner and time. */
export interface StoredEvent<E extends DomainEvent> {
  id: number;
  partnerId: number | null;
  at: string;
  event: E;
}

/**
 * Makes an event at append time, after the append lock: a snapshot read there is at least as new
 * as every event before it in the log. Use it for a snapshot of rows the transaction did not write
 * (a write holds the row's lock to the commit; a read does not, and a slower writer could commit a
 * newer state under a lower id).
 */
export type LateEvent<DB, E extends DomainEvent> = (trx: Transaction<DB>) => Promise<E>;

/** Records an event in the running transaction. */
export type Emit<E extends DomainEvent> = (event: E) => void;

export interface EventLogDeps<DB> {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The partner a site belongs to (read in the appending transaction, then remembered: it never changes). */
  partnerOf(trx: Transaction<DB>, siteId: number): Promise<number | null>;
  /** Called once a transaction that appended events has committed, with them as the log holds them. */
  committed(stored: StoredEvent<DomainEvent>[]): Promise<void>;
  /** The time events are stamped with (milliseconds since the epoch); the system clock unless a test sets one. */
  now?: () => number;
}

export interface EventLog<DB, E extends DomainEvent> {
  /** Runs `work` in a transaction; what it `emit`s is appended before the commit and relayed after it. */
  transaction<T>(work: (trx: Transaction<DB>, emit: Emit<E>) => Promise<T>): Promise<T>;
  /**
   * Records events that change nothing else in the database (presence, say), in a transaction of
   * their own; an event may be made at append time (see LateEvent).
   */
  emit(...events: (E | LateEvent<DB, E>)[]): Promise<void>;
}

/** The stored form of an event: name, site and partner in their own columns, the rest as JSON. */
export function encodeEvent<E extends DomainEvent>(event: E): { type: string; site_id: number | null; payload: string } {
  const { name, siteId, partnerId: _partner, ...rest } = event;
  return { type: name, site_id: siteId, payload: JSON.stringify(rest) };
}

/** The event a stored row holds (with its partner, when it has one). */
export function decodeEvent<E extends DomainEvent>(row: { type: string; site_id: number | null; partner_id: number | null; payload: string }): E {
  const event = { ...(JSON.parse(row.payload) as object), name: row.type, siteId: row.site_id } as E;
  if (row.partner_id !== null) event.partnerId = row.partner_id;
  return event;
}

/** A stored row as listeners get it. */
export function storedEvent<E extends DomainEvent>(row: { id: number; type: string; site_id: number | null; partner_id: number | null; payload: string; created_at: string }): StoredEvent<E> {
  return { id: row.id, partnerId: row.partner_id, at: row.created_at, event: decodeEvent<E>(row) };
}

/** Creates the write side of the log over the module's database. */
export function createEventLog<DB, E extends DomainEvent>({ db, dialect, partnerOf, committed, now = Date.now }: EventLogDeps<DB>): EventLog<DB, E> {
  const partners = new Map<number, number | null>();

  async function partnerOfSite(trx: Transaction<DB>, siteId: number | null): Promise<number | null> {
    if (siteId === null) return null;
    let partnerId = partners.get(siteId);
    if (partnerId === undefined) {
      partnerId = await partnerOf(trx, siteId);
      // Not remembered while unknown: a site being created in this very transaction has none yet.
      if (partnerId !== null) partners.set(siteId, partnerId);
    }
    return partnerId;
  }

  async function append(trx: Transaction<DB>, recorded: (E | LateEvent<DB, E>)[]): Promise<StoredEvent<E>[]> {
    const own = trx as unknown as Transaction<EventTables>;
    // PostgreSQL hands out ids at insert but shows rows at commit; holding this lock from the
    // insert to the commit makes ids visible in order, so a reader never passes an id that a
    // slower transaction is about to commit. SQLite has one writer and needs nothing.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('parley.events:' || current_schema()))`.execute(own);
    const events: E[] = [];
    for (const e of recorded) events.push(typeof e === 'function' ? await e(trx) : e);
    // The time is set here rather than by the database, so the rows handed on below are exact.
    const at = new Date(now()).toISOString();
    const rows = [];
    for (const event of events) rows.push({ ...encodeEvent(event), partner_id: event.partnerId ?? (await partnerOfSite(trx, event.siteId)), created_at: at });
    const ids = await insertEvents(own, rows);
    // As a read of the log would give them (events are plain JSON values), without parsing them back.
    return rows.map((row, i) => ({ id: ids[i]!, partnerId: row.partner_id, at, event: row.partner_id === null ? events[i]! : { ...events[i]!, partnerId: row.partner_id } }));
  }

  /** Inserts the rows; returns their ids, in the order of the rows. */
  async function insertEvents(trx: Transaction<EventTables>, rows: Insertable<EventsTable>[]): Promise<number[]> {
    // One statement takes its ids in row order. SQLite (one writer) gives consecutive rowids and
    // says the last (no RETURNING to read back); PostgreSQL's sequence may leave gaps, so it returns them.
    if (dialect === 'sqlite') {
      const last = Number((await trx.insertInto('events').values(rows).executeTakeFirstOrThrow()).insertId);
      return rows.map((_, i) => last - rows.length + 1 + i);
    }
    return (await trx.insertInto('events').values(rows).returning('id').execute()).map((r) => r.id).sort((a, b) => a - b);
  }

  async function run<T>(work: (trx: Transaction<DB>, record: (event: E | LateEvent<DB, E>) => void) => Promise<T>): Promise<T> {
    let appended: StoredEvent<E>[] = [];
    const result = await db.transaction().execute(async (trx) => {
      const recorded: (E | LateEvent<DB, E>)[] = [];
      const value = await work(trx, (event) => void recorded.push(event));
      if (recorded.length > 0) appended = await append(trx, recorded);
      return value;
    });
    if (appended.length > 0) await committed(appended);
    return result;
  }

  return {
    transaction: run,
    emit: (...events) => run(async (_trx, record) => events.forEach(record)),
  };
}
