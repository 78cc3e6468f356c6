// Agents and groups of one site. Every query takes the site id.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Agent, AgentRole, AgentStatus, AgentsTables, Group } from './agents.tables.ts';

type Db = Kysely<AgentsTables>;

export interface NewAgentRow {
  email: string;
  name: string;
  passwordHash: string;
  role: AgentRole;
  maxConcurrentChats: number;
  avatarUrl?: string | undefined;
}

/** Inserts an agent into a site. */
export function insertAgent(db: Db, siteId: number, a: NewAgentRow): Promise<Agent> {
  return db
    .insertInto('agents')
    .values({
      site_id: siteId,
      email: a.email,
      name: a.name,
      password_hash: a.passwordHash,
      role: a.role,
      max_concurrent_chats: a.maxConcurrentChats,
      avatar_url: a.avatarUrl ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Finds an agent of a site (not a deleted one). */
export function findAgent(db: Db, siteId: number, agentId: number): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('site_id', '=', siteId).where('id', '=', agentId).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Finds an agent of a site by e-mail. */
export function findAgentByEmail(db: Db, siteId: number, email: string): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('site_id', '=', siteId).where('email', '=', email).executeTakeFirst();
}

/** Lists a site's agents (not the deleted ones). */
export function listAgents(db: Db, siteId: number): Promise<Agent[]> {
  return db.selectFrom('agents').selectAll().where('site_id', '=', siteId).where('deleted_at', 'is', null).orderBy('id').execute();
}

/** Changes an agent's profile; returns the updated row. */
export function updateAgentProfile(
  db: Db,
  siteId: number,
  agentId: number,
  change: { name?: string | undefined; email?: string | undefined; avatarUrl?: string | null | undefined; role?: AgentRole | undefined },
) {
  return db
    .updateTable('agents')
    .set({
      ...(change.name !== undefined && { name: change.name }),
      ...(change.email !== undefined && { email: change.email }),
      ...(change.avatarUrl !== undefined && { avatar_url: change.avatarUrl }),
      ...(change.role !== undefined && { role: change.role }),
      updated_at: new Date().toISOString(),
    })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Sets an agent's password hash. */
export async function updateAgentPassword(db: Db, siteId: number, agentId: number, passwordHash: string): Promise<void> {
  await db.updateTable('agents').set({ password_hash: passwordHash, updated_at: new Date().toISOString() }).where('site_id', '=', siteId).where('id', '=', agentId).execute();
}

/**
 * Deletes an agent but keeps its row for the chats it took (their history shows its name): it
 * leaves the lists, its groups and its e-mail (free for a new agent), and cannot sign in.
 */
export async function markAgentDeleted(db: Db, siteId: number, agentId: number): Promise<void> {
  const at = new Date().toISOString();
  await db
    .updateTable('agents')
    .set({ deleted_at: at, updated_at: at, is_active: false, status: 'offline', password_hash: null, external_id: null, email: `deleted-${agentId}-${randomBytes(8).toString('hex')}@agents.invalid` })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .execute();
  await db.deleteFrom('group_members').where('site_id', '=', siteId).where('agent_id', '=', agentId).execute();
}

/** The permissions granted to an agent itself and to each of its groups, as stored (JSON arrays). */
export async function grantedPermissions(db: Db, siteId: number, agentId: number): Promise<string[]> {
  const own = await db.selectFrom('agents').select('permissions').where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
  const groups = await db
    .selectFrom('group_members')
    .innerJoin('groups', 'groups.id', 'group_members.group_id')
    .select('groups.permissions')
    .where('group_members.site_id', '=', siteId)
    .where('group_members.agent_id', '=', agentId)
    .execute();
  return [...(own ? [own.permissions] : []), ...groups.map((g) => g.permissions)];
}

/** Sets the permissions granted to an agent itself (a JSON array); false when the site has no such agent. */
export async function updateAgentPermissions(db: Db, siteId: number, agentId: number, permissions: string): Promise<boolean> {
  const r = await db.updateTable('agents').set({ permissions, updated_at: new Date().toISOString() }).where('site_id', '=', siteId).where('id', '=', agentId).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Sets the permissions a group grants its members (a JSON array); false when the site has no such group. */
export async function updateGroupPermissions(db: Db, siteId: number, groupId: number, permissions: string): Promise<boolean> {
  const r = await db.updateTable('groups').set({ permissions, updated_at: new Date().toISOString() }).where('site_id', '=', siteId).where('id', '=', groupId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Renames a group; returns the updated row. */
export function renameGroup(db: Db, siteId: number, groupId: number, name: string): Promise<Group | undefined> {
  return db.updateTable('groups').set({ name, updated_at: new Date().toISOString() }).where('site_id', '=', siteId).where('id', '=', groupId).returningAll().executeTakeFirst();
}

/** Deletes a group and its memberships; false when the site has no such group. */
export async function deleteGroup(db: Db, siteId: number, groupId: number): Promise<boolean> {
  await db.deleteFrom('group_members').where('site_id', '=', siteId).where('group_id', '=', groupId).execute();
  const r = await db.deleteFrom('groups').where('site_id', '=', siteId).where('id', '=', groupId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Sets an agent's status; returns the updated row. */
export function updateAgentStatus(db: Db, siteId: number, agentId: number, status: AgentStatus) {
  return db
    .updateTable('agents')
    .set({ status, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .returningAll()
    .executeTakeFirst();
}

/** Blocks or unblocks an agent; returns the updated row. */
export function updateAgentActive(db: Db, siteId: number, agentId: number, isActive: boolean) {
  return db
    .updateTable('agents')
    .set({ is_active: isActive, updated_at: new Date().toISOString(), ...(isActive ? {} : { status: 'offline' as const }) })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .returningAll()
    .executeTakeFirst();
}

/** Changes an agent's capacity and routing tier (not a deleted agent's). */
export function updateAgentRouting(db: Db, siteId: number, agentId: number, change: { maxConcurrentChats?: number | undefined; priority?: number | undefined }) {
  return db
    .updateTable('agents')
    .set({
      ...(change.maxConcurrentChats !== undefined && { max_concurrent_chats: change.maxConcurrentChats }),
      ...(change.priority !== undefined && { priority: change.priority }),
      updated_at: new Date().toISOString(),
    })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Inserts a group into a site. */
export function insertGroup(db: Db, siteId: number, name: string): Promise<Group> {
  return db.insertInto('groups').values({ site_id: siteId, name }).returningAll().executeTakeFirstOrThrow();
}

/** A site's groups with their members' ids, by name. */
export async function listGroups(db: Db, siteId: number): Promise<{ group: Group; agentIds: number[] }[]> {
  const groups = await db.selectFrom('groups').selectAll().where('site_id', '=', siteId).orderBy('name').execute();
  const members = await db.selectFrom('group_members').select(['group_id', 'agent_id']).where('site_id', '=', siteId).orderBy('agent_id').execute();
  return groups.map((group) => ({ group, agentIds: members.filter((m) => m.group_id === group.id).map((m) => m.agent_id) }));
}

/** Replaces a group's members (all of them agents of the site, checked by the caller). */
export async function replaceGroupMembers(db: Db, siteId: number, groupId: number, agentIds: number[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('group_members').where('site_id', '=', siteId).where('group_id', '=', groupId).execute();
    if (agentIds.length === 0) return;
    await trx
      .insertInto('group_members')
      .values(agentIds.map((agentId) => ({ site_id: siteId, group_id: groupId, agent_id: agentId })))
      .execute();
  });
}

/** Finds a group of a site. */
export function findGroup(db: Db, siteId: number, groupId: number): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('site_id', '=', siteId).where('id', '=', groupId).executeTakeFirst();
}

/** What others (visitors, the console) may see of an agent of the site: name and picture. */
export function agentCard(db: Db, siteId: number, agentId: number): Promise<{ id: number; name: string; avatarUrl: string | null } | undefined> {
  return db.selectFrom('agents').select(['id', 'name', 'avatar_url as avatarUrl']).where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
}

/** What signing in needs of an agent: its password hash, role, whether it may work, its operator session. */
export type AgentAccountRow = Pick<Agent, 'id' | 'site_id' | 'password_hash' | 'role' | 'is_active' | 'operator_session_id'>;
const accountColumns = ['id', 'site_id', 'password_hash', 'role', 'is_active', 'operator_session_id'] as const;

/** Agents with this e-mail on any site (an agent may work for several). */
export function findAccountsByEmail(db: Db, email: string): Promise<AgentAccountRow[]> {
  return db.selectFrom('agents').select(accountColumns).where('email', '=', email).execute();
}

/** One agent's account on a site. */
export function findAccount(db: Db, siteId: number, agentId: number): Promise<AgentAccountRow | undefined> {
  return db.selectFrom('agents').select(accountColumns).where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
}

/** An agent's name and e-mail, whatever its site. */
export function findProfile(db: Db, agentId: number): Promise<{ name: string; email: string } | undefined> {
  return db.selectFrom('agents').select(['name', 'email']).where('id', '=', agentId).executeTakeFirst();
}

/** Records the agent's latest operator-panel session (an earlier one never replaces a later one). */
export async function updateOperatorSession(db: Db, agentId: number, sessionId: number): Promise<void> {
  await db.updateTable('agents').set({ operator_session_id: sessionId }).where('id', '=', agentId).where('operator_session_id', '<', sessionId).execute();
}

/** An active agent of the site, if there is one with this id. */
export function findActiveAgent(db: Db, siteId: number, agentId: number): Promise<Pick<Agent, 'id' | 'name' | 'status'> | undefined> {
  return db
    .selectFrom('agents')
    .select(['id', 'name', 'status'])
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

/** A site's agents that are online and not blocked, with their capacity and routing tier. */
export function findOnlineAgents(db: Db, siteId: number): Promise<Pick<Agent, 'id' | 'max_concurrent_chats' | 'priority'>[]> {
  return db
    .selectFrom('agents')
    .select(['id', 'max_concurrent_chats', 'priority'])
    .where('site_id', '=', siteId)
    .where('status', '=', 'online')
    .where('is_active', '=', true)
    .execute();
}

/** The groups of a site with their members' ids. */
export async function groupMembers(db: Db, siteId: number): Promise<Map<number, Set<number>>> {
  const rows = await db.selectFrom('group_members').select(['group_id', 'agent_id']).where('site_id', '=', siteId).execute();
  const out = new Map<number, Set<number>>();
  for (const r of rows) {
    const set = out.get(r.group_id) ?? new Set<number>();
    set.add(r.agent_id);
    out.set(r.group_id, set);
  }
  return out;
}

/** Inserts a site's first administrator (its site is being opened in the same transaction); returns its id. */
export async function insertSiteAdmin(db: Db, siteId: number, a: { email: string; name: string; passwordHash: string }): Promise<number> {
  const row = await db.insertInto('agents').values({ site_id: siteId, email: a.email, name: a.name, role: 'admin', password_hash: a.passwordHash }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** How many agents a site has. */
export async function countAgents(db: Db, siteId: number): Promise<number> {
  return Number((await db.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);
}

/** What a single sign-on needs of an agent. */
export type SignInAgentRow = Pick<Agent, 'id' | 'email' | 'name' | 'is_active' | 'external_id'>;
const signInColumns = ['id', 'email', 'name', 'is_active', 'external_id'] as const;

/** The site's agent with this external id (the partner's id for them). */
export function findAgentByExternalId(db: Db, siteId: number, externalId: string): Promise<SignInAgentRow | undefined> {
  return db.selectFrom('agents').select(signInColumns).where('site_id', '=', siteId).where('external_id', '=', externalId).executeTakeFirst();
}

/** The site's agent with this e-mail (lower-case), as a sign-in needs it. */
export function findSignInAgentByEmail(db: Db, siteId: number, email: string): Promise<SignInAgentRow | undefined> {
  return db.selectFrom('agents').select(signInColumns).where('site_id', '=', siteId).where('email', '=', email).executeTakeFirst();
}

/** Links an agent to the partner's id for them. */
export async function setExternalId(db: Db, agentId: number, externalId: string): Promise<void> {
  await db.updateTable('agents').set({ external_id: externalId }).where('id', '=', agentId).execute();
}

/** Creates an agent at its first sign-in (no password); a racing first sign-in makes this violate uniqueness. */
export function insertSignedInAgent(db: Db, a: { siteId: number; email: string; name: string; externalId: string | null; maxConcurrentChats: number }): Promise<SignInAgentRow> {
  return db
    .insertInto('agents')
    .values({ site_id: a.siteId, email: a.email, name: a.name, external_id: a.externalId, max_concurrent_chats: a.maxConcurrentChats })
    .returning(signInColumns)
    .executeTakeFirstOrThrow();
}
