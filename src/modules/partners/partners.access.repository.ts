// What lets someone act for a partner: portal users and their one-time links, OAuth clients, the
// partner's API key, and the tokens issued to all of them. Only hashes of secrets are stored.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { OneTimeLinksTable, PartnerOauthClient, PartnerOauthClientsTable, PartnersTables, PartnerTokensTable } from './partners.tables.ts';

type Db = Kysely<PartnersTables> | Transaction<PartnersTables>;

// ---- portal users and one-time links ---------------------------------------------------------

/** Whether a portal user has this e-mail (on any partner: e-mails are unique across the portal). */
export async function portalEmailTaken(db: Db, email: string): Promise<boolean> {
  return (await db.selectFrom('partner_users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
}

/** Adds a portal user without a password (it is set with a one-time link); returns its id. */
export async function insertPortalUser(db: Db, partnerId: number, user: { email: string; name: string }): Promise<number> {
  return (await db.insertInto('partner_users').values({ partner_id: partnerId, email: user.email, name: user.name }).returning('id').executeTakeFirstOrThrow()).id;
}

/** A portal user of the partner. */
export function findPortalUser(db: Db, partnerId: number, userId: number): Promise<{ email: string; name: string } | undefined> {
  return db.selectFrom('partner_users').select(['email', 'name']).where('id', '=', userId).where('partner_id', '=', partnerId).executeTakeFirst();
}

/** Sets a portal user's password hash; returns the user's e-mail and partner. */
export function setPortalPassword(db: Db, userId: number, passwordHash: string): Promise<{ email: string; partner_id: number }> {
  return db.updateTable('partner_users').set({ password_hash: passwordHash }).where('id', '=', userId).returning(['email', 'partner_id']).executeTakeFirstOrThrow();
}

/** The portal user with this e-mail and whether it and its partner are active, for a login. */
export function portalLoginOf(db: Db, email: string) {
  return db
    .selectFrom('partner_users as u')
    .innerJoin('partners as p', 'p.id', 'u.partner_id')
    .select(['u.id', 'u.partner_id', 'u.password_hash', 'u.is_active', 'p.is_active as partner_active'])
    .where('u.email', '=', email)
    .executeTakeFirst();
}

/** The portal user with this e-mail, with its partner's slug and whether both are active, for a password reset. */
export function portalUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('partner_users as u')
    .innerJoin('partners as p', 'p.id', 'u.partner_id')
    .select(['u.id', 'u.partner_id', 'u.email', 'u.name', 'u.is_active', 'p.is_active as partner_active', 'p.slug'])
    .where('u.email', '=', email)
    .executeTakeFirst();
}

/** Locks a portal user's row to the end of the transaction (PostgreSQL; SQLite has one writer). */
export async function lockPortalUser(db: Db, dialect: Dialect, userId: number): Promise<void> {
  let q = db.selectFrom('partner_users').select('id').where('id', '=', userId);
  if (dialect === 'postgres') q = q.forUpdate();
  await q.executeTakeFirst();
}

/** How many links of this purpose were issued for the subject at or after `since`. */
export async function linksIssuedSince(db: Db, purpose: string, subjectId: number, since: string): Promise<number> {
  const row = await db
    .selectFrom('one_time_links')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('purpose', '=', purpose)
    .where('subject_id', '=', subjectId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Uses up every unused link of this purpose for the subject (a newer one, or a new password, replaces them). */
export async function spendLinksOf(db: Db, purpose: string, subjectId: number): Promise<void> {
  await db.updateTable('one_time_links').set({ used_at: new Date().toISOString() }).where('purpose', '=', purpose).where('subject_id', '=', subjectId).where('used_at', 'is', null).execute();
}

/** Stores a one-time link (by its token's hash). */
export async function insertLink(db: Db, link: Insertable<OneTimeLinksTable>): Promise<void> {
  // The time is this server's, as the times it is compared with (expiry, the reset's interval).
  await db.insertInto('one_time_links').values({ created_at: new Date().toISOString(), ...link }).execute();
}

/** Uses up an unused, unexpired link of this purpose; returns its subject, or undefined. */
export async function spendLink(db: Db, tokenHash: string, purpose: string): Promise<number | undefined> {
  const now = new Date().toISOString();
  const link = await db
    .updateTable('one_time_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('subject_id')
    .executeTakeFirst();
  return link?.subject_id;
}

// ---- OAuth clients and the API key -------------------------------------------------------------

/** Stores a new OAuth client. */
export function insertOauthClient(db: Db, client: Insertable<PartnerOauthClientsTable>): Promise<PartnerOauthClient> {
  return db.insertInto('partner_oauth_clients').values(client).returningAll().executeTakeFirstOrThrow();
}

/** The partner's OAuth clients, revoked ones included, oldest first. */
export function listOauthClients(db: Db, partnerId: number): Promise<PartnerOauthClient[]> {
  return db.selectFrom('partner_oauth_clients').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute();
}

/** How many OAuth clients of the partner are not revoked. */
export async function countActiveOauthClients(db: Db, partnerId: number): Promise<number> {
  const held = await db
    .selectFrom('partner_oauth_clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(held.n);
}

/** Gives an active client of the partner a new secret hash; undefined when there is none. */
export function rotateOauthClientSecret(db: Db, partnerId: number, id: number, secretHash: string): Promise<PartnerOauthClient | undefined> {
  return db
    .updateTable('partner_oauth_clients')
    .set({ secret_hash: secretHash, rotated_at: new Date().toISOString() })
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Revokes a client of the partner (keeping the first revocation's time); undefined when there is none. */
export function revokeOauthClient(db: Db, partnerId: number, id: number): Promise<PartnerOauthClient | undefined> {
  return db
    .updateTable('partner_oauth_clients')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date().toISOString())) }))
    .where('partner_id', '=', partnerId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** An OAuth client by its public id, with what of its partner decides whether it may get a token. */
export function oauthClientForLogin(db: Db, clientId: string) {
  return db
    .selectFrom('partner_oauth_clients as c')
    .innerJoin('partners as p', 'p.id', 'c.partner_id')
    .select(['c.id', 'c.partner_id', 'c.secret_hash', 'c.scopes', 'c.revoked_at', 'p.is_active', 'p.ip_restrictions'])
    .where('c.client_id', '=', clientId)
    .executeTakeFirst();
}

/** A partner's API key hash, with what decides whether it may get a token. */
export function apiKeyOf(db: Db, partnerId: number) {
  return db.selectFrom('partners').select(['id', 'api_key_hash', 'is_active', 'ip_restrictions']).where('id', '=', partnerId).executeTakeFirst();
}

// ---- tokens ----------------------------------------------------------------------------------

/** Stores an issued token (by its hash). */
export async function insertToken(db: Db, token: Insertable<PartnerTokensTable>): Promise<void> {
  await db.insertInto('partner_tokens').values(token).execute();
}

/** Whose tokens to revoke: those of an OAuth client (null: of the API key), or of a portal user. */
export type TokenHolder = { oauthClientId: number | null } | { userId: number };

/** Revokes every live token of one holder of the partner. */
export async function revokeTokens(db: Db, partnerId: number, holder: TokenHolder): Promise<void> {
  let q = db.updateTable('partner_tokens').set({ revoked_at: new Date().toISOString() }).where('partner_id', '=', partnerId).where('revoked_at', 'is', null);
  if ('userId' in holder) q = q.where('user_id', '=', holder.userId);
  else q = holder.oauthClientId === null ? q.where('kind', '=', 'oauth').where('oauth_client_id', 'is', null) : q.where('oauth_client_id', '=', holder.oauthClientId);
  await q.execute();
}

/** Revokes one OAuth token if this client (null: the partner's API key) holds it; others are left alone. */
export async function revokeHeldToken(db: Db, holder: { partnerId: number; oauthClientId: number | null }, tokenHash: string): Promise<void> {
  let q = db.updateTable('partner_tokens').set({ revoked_at: new Date().toISOString() }).where('token_hash', '=', tokenHash).where('partner_id', '=', holder.partnerId).where('kind', '=', 'oauth');
  q = holder.oauthClientId === null ? q.where('oauth_client_id', 'is', null) : q.where('oauth_client_id', '=', holder.oauthClientId);
  await q.where('revoked_at', 'is', null).execute();
}

/** Revokes one token by its id. */
export async function revokeTokenById(db: Db, tokenId: number): Promise<void> {
  await db.updateTable('partner_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute();
}

/** A token by its hash, with what of its partner, user and client decides whether it still works. */
export function tokenByHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('partner_tokens as t')
    .innerJoin('partners as p', 'p.id', 't.partner_id')
    .leftJoin('partner_users as u', 'u.id', 't.user_id')
    .leftJoin('partner_oauth_clients as c', 'c.id', 't.oauth_client_id')
    .select([
      't.id',
      't.partner_id',
      't.kind',
      't.user_id',
      't.oauth_client_id',
      't.scopes',
      't.created_at',
      't.expires_at',
      't.revoked_at',
      'p.is_active',
      'p.ip_restrictions',
      'p.api_key_rotated_at',
      'u.is_active as user_active',
      'c.revoked_at as client_revoked_at',
      'c.rotated_at as client_rotated_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}
