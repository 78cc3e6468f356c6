// Agents and groups of one site. Every query takes the site id.
import type { Kysely } from 'kysely';
import type { Agent, AgentRole, AgentStatus, DB } from '../../platform/db/schema.ts';

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
