// The partner platform: applications and their approval, partner portal users, OAuth clients and
// tokens of the Partner API, custom domains, the platform's audit log and e-mail outbox, and the
// life cycle of a site (disabled, deleted with a grace period, purged).
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Creates the partner platform's tables. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, bool, ts, now } = m.types;

  await db.schema
    .createTable('partner_applications')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('company_name', 'text', (c) => c.notNull())
    .addColumn('contact_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('website', 'text')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'approved', 'rejected')`))
    .addColumn('reason', 'text')
    .addColumn('partner_id', ref, (c) => c.references('partners.id').onDelete('set null'))
    .addColumn('decided_by', ref, (c) => c.references('platform_users.id').onDelete('set null'))
    .addColumn('decided_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('partner_applications_status').on('partner_applications').columns(['status', 'id']).execute();

  // A name change waits for the platform's approval.
  await db.schema.alterTable('partners').addColumn('pending_name', 'text').execute();
  await db.schema.alterTable('partners').addColumn('api_key_rotated_at', ts).execute();

  // People who log in to the partner portal. E-mails are unique across partners, so a login needs
  // no partner; the password is set through a one-time link.
  await db.schema
    .createTable('partner_users')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('is_active', bool, (c) => c.notNull().defaultTo(m.true))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  // One-time links (set a password); only the token's hash is kept.
  await db.schema
    .createTable('one_time_links')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('subject_id', ref, (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('used_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();

  // OAuth clients of a partner. The partner's own first client is the spec's client_id/secret.
  await db.schema
    .createTable('partner_oauth_clients')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // Space-separated scopes this client may be granted (docs/partner-api.md).
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('rotated_at', ts)
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('partner_oauth_clients_partner').on('partner_oauth_clients').columns(['partner_id', 'id']).execute();

  // Bearer tokens of partners: portal sessions and OAuth access tokens. Only SHA-256 is stored.
  await db.schema
    .createTable('partner_tokens')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('portal', 'oauth')`))
    .addColumn('user_id', ref, (c) => c.references('partner_users.id').onDelete('cascade'))
    // Null: issued to the partner's apiKey; otherwise the OAuth client's row.
    .addColumn('oauth_client_id', ref, (c) => c.references('partner_oauth_clients.id').onDelete('cascade'))
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('revoked_at', ts)
    .execute();
  await db.schema.createIndex('partner_tokens_partner').on('partner_tokens').columns(['partner_id', 'kind']).execute();

  // Custom domains of a partner, verified by a token the partner publishes. Several partners may
  // claim a host; only one can hold it verified.
  await db.schema
    .createTable('partner_domains')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('verification_token', 'text', (c) => c.notNull())
    .addColumn('verified_at', ts)
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('partner_domains_partner_host', ['partner_id', 'host'])
    .execute();
  await db.schema.createIndex('partner_domains_verified_host').on('partner_domains').column('host').unique().where(sql.ref('verified_at'), 'is not', null).execute();

  // A retried create with the same Idempotency-Key gets the first answer (sealed: it may hold a password).
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('idempotency_keys_partner_key', ['partner_id', 'key'])
    .execute();

  // Who did what on the platform, with the object before and after.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', ref)
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('partner_id', ref)
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('request_id', 'text')
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex('audit_log_partner').on('audit_log').columns(['partner_id', 'id']).execute();

  // E-mails to send. With no mail transport configured they are logged and kept here.
  await db.schema
    .createTable('email_outbox')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sent', 'logged', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('sent_at', ts)
    .execute();

  // A deleted site can be restored until purge_after; then it and all its rows are removed.
  await db.schema.alterTable('sites').addColumn('deleted_at', ts).execute();
  await db.schema.alterTable('sites').addColumn('purge_after', ts).execute();
}
