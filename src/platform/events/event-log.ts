// The domain event log's write side. A module changes state and records what happened in one
// transaction: `events.transaction(async (trx, emit) => { …; emit(event) })`. The recorded events
// are appended as the transaction's last statements, so they commit with the change or not at all,
// and the relay hands them to listeners once the transaction has committed.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.ts';
import type { EventTables } from './tables.ts';

/** Every domain event has a past-tense dotted name and carries its site. */
export interface DomainEvent {
  name: string;
  siteId: number;
}

/** An event as the log holds it: its position (`id`, increasing in commit order), partner and time. */
export interface StoredEvent<E extends DomainEvent> {
  id: number;
  partnerId: number | null;
  at: string;
  event: E;
}

/** Records an event in the running transaction. */
export type Emit<E extends DomainEvent> = (event: E) => void;

export interface EventLogDeps<DB> {
  db: Kysely<DB>;
  dialect: Dialect;
  /** The partner a site belongs to (read in the appending transaction, then remembered). */
  partnerOf(trx: Transaction<DB>, siteId: number): Promise<number | null>;
  /** Called once a transaction that appended events has committed, with them and the last id it appended. */
  committed(lastId: number, events: DomainEvent[]): Promise<void>;
}

export interface EventLog<DB, E extends DomainEvent> {
  /** Runs `work` in a transaction; what it `emit`s is appended before the commit and relayed after it. */
  transaction<T>(work: (trx: Transaction<DB>, emit: Emit<E>) => Promise<T>): Promise<T>;
  /** Records events that change nothing else in the database (presence, say), in a transaction of their own. */
  emit(...events: E[]): Promise<void>;
}

/** The stored form of an event: name and site in their own columns, the rest as JSON. */
export function encodeEvent<E extends DomainEvent>(event: E): { type: string; site_id: number; payload: string } {
  const { name, siteId, ...rest } = event;
  return { type: name, site_id: siteId, payload: JSON.stringify(rest) };
}

/** The event a stored row holds. */
export function decodeEvent<E extends DomainEvent>(row: { type: string; site_id: number | null; payload: string }): E {
  return { ...(JSON.parse(row.payload) as object), name: row.type, siteId: row.site_id } as E;
}

/** Creates the write side of the log over the module's database. */
export function createEventLog<DB, E extends DomainEvent>({ db, dialect, partnerOf, committed }: EventLogDeps<DB>): EventLog<DB, E> {
  const partners = new Map<number, number | null>();

  async function append(trx: Transaction<DB>, events: E[]): Promise<number> {
    const own = trx as unknown as Transaction<EventTables>;
    // PostgreSQL hands out ids at insert but shows rows at commit; holding this lock from the
    // insert to the commit makes ids visible in order, so a reader never passes an id that a
    // slower transaction is about to commit. SQLite has one writer and needs nothing.
    if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('parley.events:' || current_schema()))`.execute(own);
    const rows = [];
    for (const event of events) {
      let partnerId = partners.get(event.siteId);
      if (partnerId === undefined) {
        partnerId = await partnerOf(trx, event.siteId);
        partners.set(event.siteId, partnerId);
      }
      rows.push({ ...encodeEvent(event), partner_id: partnerId });
    }
    const inserted = await own.insertInto('events').values(rows).returning('id').execute();
    return Math.max(...inserted.map((r) => r.id));
  }

  async function transaction<T>(work: (trx: Transaction<DB>, emit: Emit<E>) => Promise<T>): Promise<T> {
    let lastId = 0;
    let appended: E[] = [];
    const result = await db.transaction().execute(async (trx) => {
      const recorded: E[] = [];
      const value = await work(trx, (event) => void recorded.push(event));
      if (recorded.length > 0) {
        lastId = await append(trx, recorded);
        appended = recorded;
      }
      return value;
    });
    if (lastId > 0) await committed(lastId, appended);
    return result;
  }

  return {
    transaction,
    emit: (...events) => transaction(async (_trx, emit) => events.forEach(emit)),
  };
}
