// The mobile WebView chat (docs/mobile-webview.md): a site's skills (which group answers, and the
// app's deep link), how the site verifies its app's Ssotoken, and on chats the skill they came with
// and whether they are urgent (ahead in the queue).
import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Adds skills, WebView settings, and chats' skill and urgency. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, ts, now, bool } = m.types;
  await db.schema
    .createTable('webview_skills')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Lower case: names are unique per site whatever their case (the app may send `mobchg`).
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('group_id', ref, (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('link_action', 'text')
    .addColumn('link_uri', 'text')
    .addColumn('link_destination', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('webview_skills_site_name').on('webview_skills').columns(['site_id', 'name_key']).unique().execute();

  await db.schema
    .createTable('webview_settings')
    .addColumn('site_id', ref, (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
    // none: every Ssotoken is refused (anonymous customers only); jwt: HS256 with the secret; url: the site's verification URL.
    .addColumn('token_mode', 'text', (c) => c.notNull().defaultTo('none'))
    // The HS256 secret, sealed (it must be read back to verify, so it cannot be hashed).
    .addColumn('token_secret', 'text')
    .addColumn('verify_url', 'text')
    .addColumn('verify_timeout_ms', 'integer', (c) => c.notNull().defaultTo(3000))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema.alterTable('chats').addColumn('skill', 'text').execute();
  await db.schema.alterTable('chats').addColumn('urgent', bool, (c) => c.notNull().defaultTo(m.false)).execute();
}
