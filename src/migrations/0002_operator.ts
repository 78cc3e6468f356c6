// What the operator API needs: chats with the robot ('bot' status), a name and read positions;
// the revisions of edited and deleted messages, kept for site admins.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

const statuses = sql`status in ('bot', 'queued', 'assigned', 'active', 'ended')`;

// SQLite cannot change a CHECK constraint in place: the table is rebuilt (SQLite's documented
// twelve-step way), with foreign keys off so that dropping the old table cascades nowhere. Kysely
// runs SQLite migrations outside a transaction, so the PRAGMA takes effect.
async function widenChatStatusOnSqlite(db: AnyDb): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN`.execute(db);
    await sql`CREATE TABLE chats_new (
      id integer PRIMARY KEY AUTOINCREMENT,
      site_id integer NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
      visitor_id integer NOT NULL REFERENCES visitors(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (${statuses}),
      group_id integer REFERENCES groups(id) ON DELETE SET NULL,
      agent_id integer REFERENCES agents(id) ON DELETE SET NULL,
      channel text,
      name text,
      last_seq integer NOT NULL DEFAULT 0,
      requested_at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      assigned_at text,
      accepted_at text,
      ended_at text,
      ended_by text,
      created_at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
      updated_at text NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`.execute(db);
    await sql`INSERT INTO chats_new SELECT id, site_id, visitor_id, status, group_id, agent_id, channel, name, last_seq,
      requested_at, assigned_at, accepted_at, ended_at, ended_by, created_at, updated_at FROM chats`.execute(db);
    await sql`DROP TABLE chats`.execute(db);
    await sql`ALTER TABLE chats_new RENAME TO chats`.execute(db);
    await sql`CREATE INDEX chats_site_status ON chats (site_id, status, requested_at)`.execute(db);
    await sql`CREATE INDEX chats_agent_status ON chats (agent_id, status)`.execute(db);
    await sql`CREATE INDEX chats_visitor ON chats (visitor_id, status)`.execute(db);
    await sql`CREATE UNIQUE INDEX chats_one_open_per_visitor ON chats (site_id, visitor_id) WHERE status <> 'ended'`.execute(db);
    const broken = await sql`PRAGMA foreign_key_check`.execute(db);
    if (broken.rows.length > 0) throw new Error(`chats rebuild broke ${broken.rows.length} foreign keys`);
    await sql`COMMIT`.execute(db);
  } catch (err) {
    await sql`ROLLBACK`.execute(db).catch(() => {});
    throw err;
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

/** Adds the robot status, read positions and message revisions. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, ts, now } = m.types;
  if (m.dialect === 'postgres') {
    await sql`ALTER TABLE chats DROP CONSTRAINT chats_status_check`.execute(db);
    await sql`ALTER TABLE chats ADD CONSTRAINT chats_status_check CHECK (${statuses})`.execute(db);
  } else {
    await widenChatStatusOnSqlite(db);
  }
  // The highest message seq each side has read, for read receipts (chatMessageRead).
  await db.schema.alterTable('chats').addColumn('visitor_read_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('chats').addColumn('agent_read_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  // Every edit or deletion keeps the text as it was before, for site admins.
  await db.schema
    .createTable('message_revisions')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('message_id', ref, (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('edit', 'delete')`))
    .addColumn('previous_body', 'text', (c) => c.notNull())
    .addColumn('agent_id', ref, (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('message_revisions_message').on('message_revisions').columns(['message_id', 'id']).execute();
  // Messages of one visitor across chats (clients/{id}/messages) are read through their chats.
  await db.schema.createIndex('chats_site_visitor').on('chats').columns(['site_id', 'visitor_id', 'id']).execute();
  await db.schema.createIndex('chats_site_id').on('chats').columns(['site_id', 'id']).execute();
}
