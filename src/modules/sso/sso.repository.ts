// Single sign-on's own tables: a partner's SAML and JWT settings and IdP certificates, the SAML
// requests Parley sent, and the assertion and token ids already used. Every query takes the
// partner (or the id of a request Parley made).
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { PartnerSsoCertsTable, PartnerSsoTable, SsoRequestsTable, SsoTables } from './sso.tables.ts';

type Db = Kysely<SsoTables> | Transaction<SsoTables>;

export type SsoType = 'SAML' | 'JWT';
export type SsoRow = Selectable<PartnerSsoTable>;
export type CertRow = Selectable<PartnerSsoCertsTable>;

// ---- settings --------------------------------------------------------------------------------

/** The partner's sign-on settings, one row per kind set up. */
export function ssoRowsOf(db: Db, partnerId: number): Promise<SsoRow[]> {
  return db.selectFrom('partner_sso').selectAll().where('partner_id', '=', partnerId).execute();
}

/** The partner's settings of one kind. */
export function ssoRowOf(db: Db, partnerId: number, type: SsoType): Promise<SsoRow | undefined> {
  return db.selectFrom('partner_sso').selectAll().where('partner_id', '=', partnerId).where('sso_type', '=', type).executeTakeFirst();
}

/** The partner's IdP signing certificates, oldest first. */
export function certsOf(db: Db, partnerId: number): Promise<CertRow[]> {
  return db.selectFrom('partner_sso_certs').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute();
}

/** Creates or changes the partner's settings of one kind. */
export async function upsertSso(db: Db, partnerId: number, type: SsoType, values: { login_url: string; logout_url: string | null; idp_entity_id?: string; jit_provisioning: boolean }): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('partner_sso')
    .values({ partner_id: partnerId, sso_type: type, ...values })
    .onConflict((oc) => oc.columns(['partner_id', 'sso_type']).doUpdateSet({ ...values, updated_at: now }))
    .execute();
}

/** Marks one settings row primary or not. */
export async function setPrimaryFlag(db: Db, id: number, isPrimary: boolean): Promise<void> {
  await db.updateTable('partner_sso').set({ is_primary_sso: isPrimary }).where('id', '=', id).execute();
}

/** Stores a new sealed JWT secret; false when the partner has no JWT settings. */
export async function setJwtSecret(db: Db, partnerId: number, sealed: string, at: string): Promise<boolean> {
  const row = await db
    .updateTable('partner_sso')
    .set({ secret_sealed: sealed, secret_rotated_at: at })
    .where('partner_id', '=', partnerId)
    .where('sso_type', '=', 'JWT')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the partner's settings of one kind; false when there were none. */
export async function deleteSso(db: Db, partnerId: number, type: SsoType): Promise<boolean> {
  return (await db.deleteFrom('partner_sso').where('partner_id', '=', partnerId).where('sso_type', '=', type).returning('id').executeTakeFirst()) !== undefined;
}

/** Replaces the partner's IdP certificates; run it in a transaction. */
export async function replaceCerts(db: Db, partnerId: number, certs: { pem: string; fingerprint: string; subject: string; notAfter: string }[]): Promise<void> {
  await db.deleteFrom('partner_sso_certs').where('partner_id', '=', partnerId).execute();
  for (const c of certs) {
    await db.insertInto('partner_sso_certs').values({ partner_id: partnerId, pem: c.pem, fingerprint: c.fingerprint, subject: c.subject, not_after: c.notAfter }).execute();
  }
}

/** The partners whose SAML IdP has this entity id (a hosted IdP may serve several). */
export async function samlPartnersOfIssuer(db: Db, issuer: string): Promise<number[]> {
  return (await db.selectFrom('partner_sso').select('partner_id').where('sso_type', '=', 'SAML').where('idp_entity_id', '=', issuer).execute()).map((r) => r.partner_id);
}

/** The login and logout URLs of the partner's identity providers. */
export async function idpUrlsOf(db: Db, partnerId: number): Promise<string[]> {
  const rows = await db.selectFrom('partner_sso').select(['login_url', 'logout_url']).where('partner_id', '=', partnerId).execute();
  return rows.flatMap((r) => [r.login_url, r.logout_url]).filter((u): u is string => u !== null && u !== '');
}

// ---- sign-in requests and used ids -----------------------------------------------------------

/** Stores an AuthnRequest Parley sent. */
export async function insertSsoRequest(db: Db, request: { id: string; partner_id: number; site_id: number; acs_url: string; return_to: string; expires_at: string }): Promise<void> {
  await db.insertInto('sso_requests').values(request).execute();
}

/** An AuthnRequest Parley sent. */
export function findSsoRequest(db: Db, id: string): Promise<Selectable<SsoRequestsTable> | undefined> {
  return db.selectFrom('sso_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Uses up a request; false when it was used already (two racing Responses: one wins). */
export async function consumeSsoRequest(db: Db, id: string): Promise<boolean> {
  const consumed = await db.updateTable('sso_requests').set({ consumed_at: new Date().toISOString() }).where('id', '=', id).where('consumed_at', 'is', null).returning('id').executeTakeFirst();
  return consumed !== undefined;
}

/** Records an assertion or token id as used; false when it was used before. */
export async function recordUsedId(db: Db, used: { partner_id: number; kind: 'saml' | 'jwt'; value: string; expires_at: string }): Promise<boolean> {
  const fresh = await db.insertInto('sso_used_ids').values(used).onConflict((oc) => oc.doNothing()).returning('value').executeTakeFirst();
  return fresh !== undefined;
}

/** Forgets requests and used ids that expired before `now`. */
export async function forgetExpired(db: Db, now: string): Promise<void> {
  await db.deleteFrom('sso_requests').where('expires_at', '<', now).execute();
  await db.deleteFrom('sso_used_ids').where('expires_at', '<', now).execute();
}
