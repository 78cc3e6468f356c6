// The domain event log: every state change other modules, clients or customers care about, written
// in the transaction that made the change, and one cursor per listener that reads it (a lease says
// which node reads for that listener now). See docs/events.md and docs/architecture.md.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Creates the event log and the listeners' cursors. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, ts, now } = m.types;
  // On SQLite the id is the rowid without AUTOINCREMENT (which costs a write of sqlite_sequence per
  // insert): ids still only grow, as the newest event is never pruned (relay.ts).
  await db.schema
    .createTable('events')
    .addColumn('id', id, (c) => (m.dialect === 'postgres' ? m.identity(c) : c.primaryKey()))
    .addColumn('site_id', ref)
    .addColumn('partner_id', ref)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('event_cursors')
    .addColumn('listener', 'text', (c) => c.primaryKey())
    .addColumn('position', ref, (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', ts)
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  // PostgreSQL tells every node's relay when an append commits (NOTIFY is delivered at commit).
  if (m.dialect === 'postgres') {
    await sql`
      create function parley_events_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('parley_events', current_schema());
        return null;
      end $$`.execute(db);
    await sql`create trigger events_notify after insert on events for each statement execute function parley_events_notify()`.execute(db);
  }
}
