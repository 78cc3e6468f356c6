// Agent single sign-on: a partner's SAML and JWT settings (certificates kept apart so several can
// be live during a rotation), the SAML requests Parley started (InResponseTo must name one),
// single-use markers (assertion ids, JWT ids), and which login a session came from (for logout).
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Creates the single sign-on tables and columns. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { id, ref, bool, ts, now } = m.types;

  await db.schema.alterTable('partner_sso').addColumn('idp_entity_id', 'text').execute();
  await db.schema.alterTable('partner_sso').addColumn('jit_provisioning', bool, (c) => c.notNull().defaultTo(m.false)).execute();
  // The JWT signing secret, sealed with a key derived from the server secret: HMAC needs the secret
  // itself, so it cannot be stored as a hash.
  await db.schema.alterTable('partner_sso').addColumn('secret_sealed', 'text').execute();
  await db.schema.alterTable('partner_sso').addColumn('secret_rotated_at', ts).execute();

  await db.schema
    .createTable('partner_sso_certs')
    .addColumn('id', id, (c) => m.identity(c))
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('pem', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('not_after', ts, (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addUniqueConstraint('partner_sso_certs_partner_fingerprint', ['partner_id', 'fingerprint'])
    .execute();

  // AuthnRequests Parley sent: a Response is checked against the partner, site and ACS URL of the
  // request it answers, and answers it once.
  await db.schema
    .createTable('sso_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('acs_url', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text', (c) => c.notNull())
    .addColumn('created_at', ts, (c) => c.notNull().defaultTo(now))
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addColumn('consumed_at', ts)
    .execute();
  await db.schema.createIndex('sso_requests_expires').on('sso_requests').column('expires_at').execute();

  // Assertion ids and JWT ids already used, kept until they could no longer be accepted anyway.
  await db.schema
    .createTable('sso_used_ids')
    .addColumn('partner_id', ref, (c) => c.notNull().references('partners.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('saml', 'jwt')`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('expires_at', ts, (c) => c.notNull())
    .addPrimaryKeyConstraint('sso_used_ids_pk', ['partner_id', 'kind', 'value'])
    .execute();
  await db.schema.createIndex('sso_used_ids_expires').on('sso_used_ids').column('expires_at').execute();

  // How a session began: password, SAML or JWT; for SAML, the NameID and SessionIndex a logout
  // request names.
  await db.schema.alterTable('auth_tokens').addColumn('login_method', 'text').execute();
  await db.schema.alterTable('auth_tokens').addColumn('sso_partner_id', ref).execute();
  await db.schema.alterTable('auth_tokens').addColumn('sso_name_id', 'text').execute();
  await db.schema.alterTable('auth_tokens').addColumn('sso_session_index', 'text').execute();

  // The identity a partner's system knows an agent by (JWT external_id, SAML NameID).
  await db.schema.alterTable('agents').addColumn('external_id', 'text').execute();
  await db.schema.createIndex('agents_site_external_id').on('agents').columns(['site_id', 'external_id']).unique().where(sql.ref('external_id'), 'is not', null).execute();
}
