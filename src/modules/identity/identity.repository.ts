// Accounts that can log in, their bearer tokens, and the server-wide signing secret.
import type { Insertable, Kysely } from 'kysely';
import type { AuthTokensTable, DB } from '../../platform/db/schema.ts';

// What decides whether a site is open (see siteIsOpen).
const siteState = ['sites.status', 'sites.if_active', 'sites.if_close'] as const;

/** Agents with this e-mail on any site (an agent may work for several), with their site's state. */
export function findLoginAgentsByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('agents')
    .innerJoin('sites', 'sites.id', 'agents.site_id')
    .select(['agents.id', 'agents.site_id', 'agents.password_hash', 'agents.role', 'agents.is_active', 'sites.partner_id', ...siteState])
    .where('agents.email', '=', email)
    .execute();
}

/** Finds a platform user by e-mail. */
export function findPlatformUserByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('platform_users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Counts platform users (to know whether this is a first start). */
export async function countPlatformUsers(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('platform_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Creates a platform user. */
export function insertPlatformUser(db: Kysely<DB>, email: string, name: string, passwordHash: string) {
  return db
    .insertInto('platform_users')
    .values({ email, name, password_hash: passwordHash })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
}

/** Stores a token's hash; returns its row id. */
export async function insertToken(
  db: Kysely<DB>,
  t: Pick<Insertable<AuthTokensTable>, 'token_hash' | 'subject_kind' | 'subject_id' | 'site_id' | 'expires_at' | 'session_id' | 'login_method' | 'sso_partner_id' | 'sso_name_id' | 'sso_session_index'>,
): Promise<number> {
  const row = await db.insertInto('auth_tokens').values(t).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Finds a token by hash. */
export function findToken(db: Kysely<DB>, hash: string) {
  return db.selectFrom('auth_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** Loads the agent and site state a token's principal depends on. */
export function findAgentForToken(db: Kysely<DB>, agentId: number, siteId: number) {
  return db
    .selectFrom('agents')
    .innerJoin('sites', 'sites.id', 'agents.site_id')
    .select(['agents.id', 'agents.role', 'agents.is_active', 'agents.operator_session_id', ...siteState])
    .where('agents.id', '=', agentId)
    .where('agents.site_id', '=', siteId)
    .executeTakeFirst();
}

/** Loads what a visitor token's principal depends on. */
export function findVisitorForToken(db: Kysely<DB>, visitorId: number, siteId: number) {
  return db
    .selectFrom('visitors')
    .innerJoin('sites', 'sites.id', 'visitors.site_id')
    .select(['visitors.id', 'visitors.is_banned', ...siteState])
    .where('visitors.id', '=', visitorId)
    .where('visitors.site_id', '=', siteId)
    .executeTakeFirst();
}

/** Reads a server setting, creating it with `initial` if no node has yet (race-safe). */
export async function getOrCreateSetting(db: Kysely<DB>, key: string, initial: string): Promise<string> {
  await db
    .insertInto('server_settings')
    .values({ key, value: initial })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db.selectFrom('server_settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

/** A token's session: its own id unless it was issued by a refresh within another session. */
export function sessionOf(row: { id: number; session_id: number | null }): number {
  return row.session_id ?? row.id;
}

/** Revokes every live token of one login session; returns how many. */
export async function revokeSession(db: Kysely<DB>, subjectKind: 'agent' | 'platform', subjectId: number, sessionId: number): Promise<number> {
  const rows = await db
    .updateTable('auth_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('subject_kind', '=', subjectKind)
    .where('subject_id', '=', subjectId)
    .where((eb) => eb.or([eb('id', '=', sessionId), eb('session_id', '=', sessionId)]))
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Makes `sessionId` the agent's operator-panel session: tokens of earlier sessions stop working
 * (checked on every use) and are revoked. Only earlier ones: two logins racing leave the later one
 * working. Returns the sessions revoked.
 */
export async function supersedeAgentSessions(db: Kysely<DB>, agentId: number, sessionId: number): Promise<number[]> {
  await db.updateTable('agents').set({ operator_session_id: sessionId }).where('id', '=', agentId).where('operator_session_id', '<', sessionId).execute();
  const rows = await db
    .updateTable('auth_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('subject_kind', '=', 'agent')
    .where('subject_id', '=', agentId)
    .where((eb) => eb.fn.coalesce('session_id', 'id'), '<', sessionId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'session_id'])
    .execute();
  return [...new Set(rows.map(sessionOf))];
}

/** How the session (its first token) began; null once it has ended. */
export async function findSessionOrigin(db: Kysely<DB>, sessionId: number) {
  const row = await db
    .selectFrom('auth_tokens')
    .select(['id', 'subject_id', 'site_id', 'login_method', 'sso_partner_id', 'sso_name_id', 'sso_session_index', 'expires_at'])
    .where('id', '=', sessionId)
    .where('subject_kind', '=', 'agent')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Revokes the live tokens of an agent's sessions (with `sso`, of the sessions that partner's
 * identity provider started for that NameID, and SessionIndex if given; any agent when agentId
 * is null); returns the agents and sessions ended.
 */
export async function revokeAgentSessions(
  db: Kysely<DB>,
  agentId: number | null,
  sso?: { partnerId: number; nameId: string; sessionIndex?: string | undefined },
): Promise<{ agentId: number; sessionId: number }[]> {
  let starts = db.selectFrom('auth_tokens').select('id').where('subject_kind', '=', 'agent').where('session_id', 'is', null);
  if (agentId !== null) starts = starts.where('subject_id', '=', agentId);
  if (sso) {
    starts = starts.where('sso_partner_id', '=', sso.partnerId).where('sso_name_id', '=', sso.nameId);
    if (sso.sessionIndex !== undefined) starts = starts.where('sso_session_index', '=', sso.sessionIndex);
  }
  const rows = await db
    .updateTable('auth_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('subject_kind', '=', 'agent')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('id', 'in', starts), eb('session_id', 'in', starts)]))
    .returning(['id', 'session_id', 'subject_id'])
    .execute();
  const seen = new Map<number, number>();
  for (const r of rows) seen.set(sessionOf(r), r.subject_id);
  return [...seen].map(([sessionId, agent]) => ({ agentId: agent, sessionId }));
}
