// Accounts that can log in, their bearer tokens, and the server-wide signing secret.
import type { Insertable, Kysely } from 'kysely';
import type { AuthTokensTable, IdentityTables, LoginMethod } from './identity.tables.ts';

type Db = Kysely<IdentityTables>;

/** Finds a platform user by e-mail. */
export function findPlatformUserByEmail(db: Db, email: string) {
  return db.selectFrom('platform_users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** Counts platform users (to know whether this is a first start). */
export async function countPlatformUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('platform_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Creates a platform user. */
export function insertPlatformUser(db: Db, email: string, name: string, passwordHash: string) {
  return db
    .insertInto('platform_users')
    .values({ email, name, password_hash: passwordHash })
    .returning(['id', 'email'])
    .executeTakeFirstOrThrow();
}

/** Stores a token's hash; returns its row id. */
export async function insertToken(
  db: Db,
  t: Pick<Insertable<AuthTokensTable>, 'token_hash' | 'subject_kind' | 'subject_id' | 'site_id' | 'expires_at' | 'session_id' | 'login_method' | 'sso_partner_id' | 'sso_name_id' | 'sso_session_index'>,
): Promise<number> {
  const row = await db.insertInto('auth_tokens').values(t).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Finds a token by hash. */
export function findToken(db: Db, hash: string) {
  return db.selectFrom('auth_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

/** A server setting, if it is set. */
export async function findSetting(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('server_settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

/** Reads a server setting, creating it with `initial` if no node has yet (race-safe). */
export async function getOrCreateSetting(db: Db, key: string, initial: string): Promise<string> {
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
export async function revokeSession(db: Db, subjectKind: 'agent' | 'platform', subjectId: number, sessionId: number): Promise<number> {
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
 * Revokes the agent's tokens of sessions before `sessionId` (a new operator-panel login); only
 * earlier ones, so two logins racing leave the later one working. Returns the sessions revoked.
 */
export async function revokeEarlierAgentSessions(db: Db, agentId: number, sessionId: number): Promise<number[]> {
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
/** A live agent session's first token: how and for whom it began. */
export interface SessionStart {
  id: number;
  subject_id: number;
  site_id: number | null;
  login_method: LoginMethod | null;
  sso_partner_id: number | null;
  sso_name_id: string | null;
  sso_session_index: string | null;
  expires_at: string;
}

export async function findSessionOrigin(db: Db, sessionId: number): Promise<SessionStart | null> {
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
  db: Db,
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

/** Revokes the live tokens of every agent session on a site (it stopped serving); returns the sessions ended. */
export async function revokeSiteSessions(db: Db, siteId: number): Promise<{ agentId: number; sessionId: number }[]> {
  const rows = await db
    .updateTable('auth_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('subject_kind', '=', 'agent')
    .where('site_id', '=', siteId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'session_id', 'subject_id'])
    .execute();
  const seen = new Map<number, number>();
  for (const r of rows) seen.set(sessionOf(r), r.subject_id);
  return [...seen].map(([sessionId, agentId]) => ({ agentId, sessionId }));
}
