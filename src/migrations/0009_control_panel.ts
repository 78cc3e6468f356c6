// The control panel: what agents and groups may do (permissions), agents that were deleted, the
// rest of a site's profile (time zone, language), the addresses a site refuses, and campaigns (the
// widget's look, forms and invitation rules; the widget tag picks one).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Adds permissions, deleted agents, the site profile's new fields and IP restrictions. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, ts, now } = m.types;
  // JSON arrays of permission names (platform/http/access.ts). Agents could ban visitors before
  // permissions existed, so agents (existing and new) start with that one; site admins hold all.
  await db.schema.alterTable('agents').addColumn('permissions', 'text', (c) => c.notNull().defaultTo('["banVisitors"]')).execute();
  await db.schema.alterTable('agents').addColumn('deleted_at', ts).execute();
  await db.schema.alterTable('groups').addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]')).execute();

  await db.schema.alterTable('sites').addColumn('time_zone', 'text').execute();
  await db.schema.alterTable('sites').addColumn('language', 'text').execute();

  // JSON arrays of canonical addresses and CIDR ranges: visitors from the first are refused;
  // agents may sign in only from the second when it is not empty.
  await db.schema.alterTable('site_settings').addColumn('refused_visitor_ips', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('site_settings').addColumn('agent_ips', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  // JSON: who may send files in chats and how large (the chat module's section; `{}`: the defaults).
  await db.schema.alterTable('site_settings').addColumn('files', 'text', (c) => c.notNull().defaultTo('{}')).execute();

  // A campaign's settings are one JSON document validated by the API (widget.campaigns.ts).
  await db.schema
    .createTable('campaigns')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('campaigns_site_name').on('campaigns').columns(['site_id', 'name']).unique().execute();
}
