// The agent console and the visitor widget: where a visitor is on the site (page, referrer,
// location, page views) and whether an agent pinned it to the visitor list; agents who refused a
// chat (it is not offered to them again); canned messages; files sent in chats (kept in the
// database, so every node serves them and a backup holds them); the wrap-up of an ended chat; the
// widget's settings.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Creates the console and widget tables and columns. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, ts, now } = m.types;
  const pgsql = m.dialect === 'postgres';

  for (const col of ['current_url', 'current_title', 'referrer', 'location'] as const) {
    await db.schema.alterTable('visitors').addColumn(col, 'text').execute();
  }
  await db.schema.alterTable('visitors').addColumn('page_views', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('visitors').addColumn('visit_started_at', ts).execute();
  await db.schema.alterTable('visitors').addColumn('captured_by', ref, (c) => c.references('agents.id').onDelete('set null')).execute();
  await db.schema.createIndex('visitors_site_captured').on('visitors').columns(['site_id', 'captured_by']).execute();

  await db.schema.alterTable('chats').addColumn('wrap_up', 'text').execute();
  await db.schema.alterTable('site_settings').addColumn('widget', 'text', (c) => c.notNull().defaultTo('{}')).execute();

  await db.schema
    .createTable('chat_refusals')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('chat_id', ref, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', ref, (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('chat_refusals_pk', ['chat_id', 'agent_id'])
    .execute();

  await db.schema
    .createTable('canned_messages')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    // null: shared with every agent of the site (site admins manage those)
    .addColumn('agent_id', ref, (c) => c.references('agents.id').onDelete('cascade'))
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  // One shortcut per owner (an agent, or the site's shared set).
  await sql`create unique index canned_messages_shortcut on canned_messages (site_id, coalesce(agent_id, 0), shortcut)`.execute(db);

  await db.schema
    .createTable('attachments')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('chat_id', ref, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    // The message that carries the file (set once it is sent); deleting the message deletes the file.
    .addColumn('message_id', ref, (c) => c.references('messages.id').onDelete('cascade'))
    // 128 random bits: the file's address is its capability, as in a signed link that does not expire
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('data', pgsql ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('uploaded_by_kind', 'text', (c) => c.notNull().check(sql`uploaded_by_kind in ('visitor', 'agent')`))
    .addColumn('uploaded_by_id', ref, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('attachments_site_chat').on('attachments').columns(['site_id', 'chat_id']).execute();
}
