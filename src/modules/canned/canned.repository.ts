// Canned messages of one site: an agent's own (agent_id set) and the shared set (agent_id null).
import type { Kysely } from 'kysely';
import type { CannedMessage, CannedTables } from './canned.tables.ts';

type Db = Kysely<CannedTables>;

/** One canned message of a site. */
export function findCanned(db: Db, siteId: number, id: number): Promise<CannedMessage | undefined> {
  return db.selectFrom('canned_messages').selectAll().where('site_id', '=', siteId).where('id', '=', id).executeTakeFirst();
}

/** An agent's own canned messages and the site's shared ones, by shortcut. */
export function listCanned(db: Db, siteId: number, agentId: number): Promise<CannedMessage[]> {
  return db
    .selectFrom('canned_messages')
    .selectAll()
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb('agent_id', '=', agentId), eb('agent_id', 'is', null)]))
    .orderBy('shortcut')
    .orderBy('id')
    .execute();
}

/** How many canned messages one owner (an agent, or null for the shared set) keeps. */
export async function countCanned(db: Db, siteId: number, owner: number | null): Promise<number> {
  const row = await db
    .selectFrom('canned_messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .where((eb) => (owner === null ? eb('agent_id', 'is', null) : eb('agent_id', '=', owner)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stores a new canned message. */
export function insertCanned(db: Db, siteId: number, owner: number | null, c: { shortcut: string; title: string; content: string }): Promise<CannedMessage> {
  return db
    .insertInto('canned_messages')
    .values({ site_id: siteId, agent_id: owner, shortcut: c.shortcut, title: c.title, content: c.content })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes the given fields of a canned message. */
export function updateCanned(db: Db, siteId: number, id: number, change: { shortcut?: string; title?: string; content?: string }): Promise<CannedMessage> {
  return db
    .updateTable('canned_messages')
    .set({ ...change, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Deletes a canned message. */
export async function deleteCanned(db: Db, siteId: number, id: number): Promise<void> {
  await db.deleteFrom('canned_messages').where('site_id', '=', siteId).where('id', '=', id).execute();
}
