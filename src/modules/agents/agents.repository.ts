// Agents and groups of one site. Every query takes the site id.
import type { Kysely } from 'kysely';
import type { Agent, AgentRole, AgentStatus, DB, Group } from '../../platform/db/schema.ts';

export interface NewAgentRow {
  email: string;
  name: string;
  passwordHash: string;
  role: AgentRole;
  maxConcurrentChats: number;
  avatarUrl?: string | undefined;
}

/** Inserts an agent into a site. */
export function insertAgent(db: Kysely<DB>, siteId: number, a: NewAgentRow): Promise<Agent> {
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

/** Finds an agent of a site. */
export function findAgent(db: Kysely<DB>, siteId: number, agentId: number): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
}

/** Finds an agent of a site by e-mail. */
export function findAgentByEmail(db: Kysely<DB>, siteId: number, email: string): Promise<Agent | undefined> {
  return db.selectFrom('agents').selectAll().where('site_id', '=', siteId).where('email', '=', email).executeTakeFirst();
}

/** Lists a site's agents. */
export function listAgents(db: Kysely<DB>, siteId: number): Promise<Agent[]> {
  return db.selectFrom('agents').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
}

/** Sets an agent's status; returns the updated row. */
export function updateAgentStatus(db: Kysely<DB>, siteId: number, agentId: number, status: AgentStatus) {
  return db
    .updateTable('agents')
    .set({ status, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .returningAll()
    .executeTakeFirst();
}

/** Blocks or unblocks an agent; returns the updated row. */
export function updateAgentActive(db: Kysely<DB>, siteId: number, agentId: number, isActive: boolean) {
  return db
    .updateTable('agents')
    .set({ is_active: isActive, updated_at: new Date().toISOString(), ...(isActive ? {} : { status: 'offline' as const }) })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .returningAll()
    .executeTakeFirst();
}

/** Changes an agent's capacity and routing tier. */
export function updateAgentRouting(db: Kysely<DB>, siteId: number, agentId: number, change: { maxConcurrentChats?: number | undefined; priority?: number | undefined }) {
  return db
    .updateTable('agents')
    .set({
      ...(change.maxConcurrentChats !== undefined && { max_concurrent_chats: change.maxConcurrentChats }),
      ...(change.priority !== undefined && { priority: change.priority }),
      updated_at: new Date().toISOString(),
    })
    .where('site_id', '=', siteId)
    .where('id', '=', agentId)
    .returningAll()
    .executeTakeFirst();
}

/** Inserts a group into a site. */
export function insertGroup(db: Kysely<DB>, siteId: number, name: string): Promise<Group> {
  return db.insertInto('groups').values({ site_id: siteId, name }).returningAll().executeTakeFirstOrThrow();
}

/** A site's groups with their members' ids, by name. */
export async function listGroups(db: Kysely<DB>, siteId: number): Promise<{ group: Group; agentIds: number[] }[]> {
  const groups = await db.selectFrom('groups').selectAll().where('site_id', '=', siteId).orderBy('name').execute();
  const members = await db.selectFrom('group_members').select(['group_id', 'agent_id']).where('site_id', '=', siteId).orderBy('agent_id').execute();
  return groups.map((group) => ({ group, agentIds: members.filter((m) => m.group_id === group.id).map((m) => m.agent_id) }));
}

/** Replaces a group's members (all of them agents of the site, checked by the caller). */
export async function replaceGroupMembers(db: Kysely<DB>, siteId: number, groupId: number, agentIds: number[]): Promise<void> {
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
export function findGroup(db: Kysely<DB>, siteId: number, groupId: number): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('site_id', '=', siteId).where('id', '=', groupId).executeTakeFirst();
}

/** What others (visitors, the console) may see of an agent of the site: name and picture. */
export function agentCard(db: Kysely<DB>, siteId: number, agentId: number): Promise<{ id: number; name: string; avatarUrl: string | null } | undefined> {
  return db.selectFrom('agents').select(['id', 'name', 'avatar_url as avatarUrl']).where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
}
