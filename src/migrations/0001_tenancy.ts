// The whole tenancy model: platform → partner → site → agents, groups, visitors, chats, messages.
// Later issues add columns and tables; they should not need to rethink these.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Creates the tenancy model. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, bool, ts, now } = m.types;

  await db.schema
    .createTable('platform_users')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('admin'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  // t_Partner
  await db.schema
    .createTable('partners')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(m.true))
    .addColumn('theme', 'text')
    // Secrets are stored hashed; the prefix lets a partner tell its keys apart.
    .addColumn('api_key_hash', 'text')
    .addColumn('api_key_prefix', 'text')
    .addColumn('ip_restrictions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('client_id', 'text', (c) => c.unique())
    .addColumn('client_secret_hash', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  // t_Partner_Config
  await db.schema
    .createTable('partner_configs')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().unique().references('partners.id').onDelete('cascade'))
    .addColumn('branding', 'text')
    .addColumn('logo', 'text')
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  // t_Partner_SSO
  await db.schema
    .createTable('partner_sso')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('sso_type', 'text', (c) => c.notNull().check(sql`sso_type in ('SAML', 'JWT')`))
    .addColumn('is_primary_sso', bool, (c) => c.notNull().defaultTo(m.false))
    .addColumn('login_url', 'text')
    .addColumn('logout_url', 'text')
    .addColumn('cert', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('partner_sso_partner_type', ['partner_id', 'sso_type'])
    .execute();

  // t_Partner_Theme
  await db.schema
    .createTable('partner_themes')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('css_key', 'text', (c) => c.notNull())
    .addColumn('css_value', 'text', (c) => c.notNull())
    .addUniqueConstraint('partner_themes_partner_key', ['partner_id', 'css_key'])
    .execute();

  // Site Object
  await db.schema
    .createTable('sites')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('restrict'))
    .addColumn('company', 'text', (c) => c.notNull())
    .addColumn('company_size', 'text')
    .addColumn('website', 'text')
    .addColumn('phone_number', 'text')
    .addColumn('mobile_phone', 'text')
    .addColumn('country', 'text')
    .addColumn('city', 'text')
    .addColumn('if_close', bool, (c) => c.notNull().defaultTo(m.false))
    .addColumn('if_active', bool, (c) => c.notNull().defaultTo(m.true))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'disabled', 'deleted')`),
    )
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('sites_partner').on('sites').column('partner_id').execute();

  await db.schema
    .createTable('agents')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('agent').check(sql`role in ('admin', 'agent')`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('offline').check(sql`status in ('online', 'away', 'offline')`),
    )
    .addColumn('max_concurrent_chats', 'integer', (c) => c.notNull().defaultTo(6))
    .addColumn('avatar_url', 'text')
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(m.true))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('agents_site_email', ['site_id', 'email'])
    .execute();
  await db.schema.createIndex('agents_email').on('agents').column('email').execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('groups_site_name', ['site_id', 'name'])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('group_id', ref, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('agent_id', ref, (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'agent_id'])
    .execute();

  await db.schema
    .createTable('visitors')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    // The IM API's `customer_token`: the customer's own id for this visitor, unique per site.
    .addColumn('customer_token', 'text')
    .addColumn('info', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('is_banned', bool, (c) => c.notNull().defaultTo(m.false))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('last_seen_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('visitors_site_customer', ['site_id', 'customer_token'])
    .execute();

  await db.schema
    .createTable('chats')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('visitor_id', ref, (c) => c.notNull().references('visitors.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'assigned', 'active', 'ended')`),
    )
    .addColumn('group_id', ref, (c) => c.references('groups.id').onDelete('set null'))
    .addColumn('agent_id', ref, (c) => c.references('agents.id').onDelete('set null'))
    .addColumn('channel', 'text')
    .addColumn('name', 'text')
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requested_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('assigned_at', ts)
    .addColumn('accepted_at', ts)
    .addColumn('ended_at', ts)
    .addColumn('ended_by', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('updated_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('chats_site_status').on('chats').columns(['site_id', 'status', 'requested_at']).execute();
  await db.schema.createIndex('chats_agent_status').on('chats').columns(['agent_id', 'status']).execute();
  await db.schema.createIndex('chats_visitor').on('chats').columns(['visitor_id', 'status']).execute();
  // One open chat per visitor and site, even under concurrent requests.
  await db.schema
    .createIndex('chats_one_open_per_visitor')
    .on('chats')
    .columns(['site_id', 'visitor_id'])
    .unique()
    .where(sql.ref('status'), '<>', 'ended')
    .execute();

  // Every agent who took part in a chat (the assignee, a transfer target, a joined agent).
  await db.schema
    .createTable('chat_agents')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('chat_id', ref, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('agent_id', ref, (c) => c.notNull().references('agents.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().defaultTo('owner'))
    .addColumn('joined_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('left_at', ts)
    .addPrimaryKeyConstraint('chat_agents_pk', ['chat_id', 'agent_id'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('chat_id', ref, (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sender_kind', 'text', (c) =>
      c.notNull().check(sql`sender_kind in ('visitor', 'agent', 'bot', 'system')`),
    )
    .addColumn('sender_id', ref)
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('client_msg_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('edited_at', ts)
    .addColumn('deleted_at', ts)
    .addUniqueConstraint('messages_chat_seq', ['chat_id', 'seq'])
    .addUniqueConstraint('messages_client_id', ['chat_id', 'sender_kind', 'sender_id', 'client_msg_id'])
    .execute();

  // Opaque bearer tokens (agents, platform users); only their SHA-256 is stored.
  await db.schema
    .createTable('auth_tokens')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('subject_kind', 'text', (c) => c.notNull().check(sql`subject_kind in ('agent', 'platform')`))
    .addColumn('subject_id', ref, (c) => c.notNull())
    .addColumn('site_id', ref, (c) => c.references('sites.id').onDelete('cascade'))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('auth_tokens_subject').on('auth_tokens').columns(['subject_kind', 'subject_id']).execute();

  // Server-wide settings shared by every node (e.g. the generated token-signing secret).
  await db.schema
    .createTable('server_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
