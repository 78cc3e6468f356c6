// The console's part of the chat data: joined and monitoring agents, refusals, wrap-ups and the
// history search. Every query takes the site id.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { Chat, ChatTables } from './chat.tables.ts';

type Q = Kysely<ChatTables> | Transaction<ChatTables>;

/** An agent's part in a chat beyond being its assignee: `joined`, `monitor`, or undefined (none, or left). */
export async function participantRole(db: Q, siteId: number, chatId: number, agentId: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('chat_agents')
    .select('role')
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .where('agent_id', '=', agentId)
    .where('left_at', 'is', null)
    .executeTakeFirst();
  return row?.role;
}

/** Makes an agent a joined or monitoring participant of a chat (again, if it had left). */
export async function setParticipant(db: Q, siteId: number, chatId: number, agentId: number, role: 'joined' | 'monitor'): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('chat_agents')
    .values({ site_id: siteId, chat_id: chatId, agent_id: agentId, role, joined_at: now })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doUpdateSet({ role, joined_at: now, left_at: null }))
    .execute();
}

/** Records that a joined or monitoring agent left the chat. */
export async function leaveParticipant(db: Q, siteId: number, chatId: number, agentId: number): Promise<void> {
  await db
    .updateTable('chat_agents')
    .set({ left_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .where('agent_id', '=', agentId)
    .execute();
}

/** Remembers that an agent refused a chat (routing skips it for that chat). */
export async function recordRefusal(db: Q, siteId: number, chatId: number, agentId: number): Promise<void> {
  await db
    .insertInto('chat_refusals')
    .values({ site_id: siteId, chat_id: chatId, agent_id: agentId })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing())
    .execute();
}

/** The agents who refused each of these chats. */
export async function refusalsOf(db: Q, siteId: number, chatIds: number[]): Promise<Map<number, Set<number>>> {
  const out = new Map<number, Set<number>>();
  if (chatIds.length === 0) return out;
  const rows = await db.selectFrom('chat_refusals').select(['chat_id', 'agent_id']).where('site_id', '=', siteId).where('chat_id', 'in', chatIds).execute();
  for (const r of rows) {
    const set = out.get(r.chat_id) ?? new Set<number>();
    set.add(r.agent_id);
    out.set(r.chat_id, set);
  }
  return out;
}

/** Stores the wrap-up (JSON) of a chat. */
export function setWrapUp(db: Q, siteId: number, chatId: number, wrapUp: string): Promise<Chat | undefined> {
  return db.updateTable('chats').set({ wrap_up: wrapUp }).where('site_id', '=', siteId).where('id', '=', chatId).returningAll().executeTakeFirst();
}

/**
 * Chats of a site with a message whose text (what people wrote, the robot's answers, file names),
 * or whose visitor's name or e-mail, matches a lower-case LIKE pattern (escaped with `\`), newest
 * first, each with the text of its newest matching message.
 */
export async function searchChats(
  db: Q,
  dialect: Dialect,
  siteId: number,
  f: { pattern: string; limit: number; beforeId?: number | undefined; visitorIds: number[] },
): Promise<{ chat: Chat; text: string | null }[]> {
  // The text inside a message's JSON body; SQLite's lower() is made Unicode-aware at open.
  const textOf = (alias: string) =>
    dialect === 'postgres'
      ? sql<string>`coalesce(${sql.ref(`${alias}.body`)}::jsonb->>'content', ${sql.ref(`${alias}.body`)}::jsonb->>'answer', ${sql.ref(`${alias}.body`)}::jsonb->>'name')`
      : sql<string>`coalesce(json_extract(${sql.ref(`${alias}.body`)}, '$.content'), json_extract(${sql.ref(`${alias}.body`)}, '$.answer'), json_extract(${sql.ref(`${alias}.body`)}, '$.name'))`;
  const matches = (value: RawBuilder<unknown>) => sql<boolean>`lower(${value}) like ${f.pattern} escape '\\'`;
  let q = db
    .selectFrom('chats as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('messages as m')
        .select(textOf('m').as('t'))
        .whereRef('m.chat_id', '=', 'c.id')
        .where('m.site_id', '=', siteId)
        .where('m.sender_kind', '<>', 'system')
        .where('m.deleted_at', 'is', null)
        .where(matches(textOf('m')))
        .orderBy('m.seq', 'desc')
        .limit(1)
        .as('hit_text'),
    )
    .where('c.site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('messages as m2')
            .select(sql`1`.as('one'))
            .whereRef('m2.chat_id', '=', 'c.id')
            .where('m2.site_id', '=', siteId)
            .where('m2.sender_kind', '<>', 'system')
            .where('m2.deleted_at', 'is', null)
            .where(matches(textOf('m2'))),
        ),
        ...(f.visitorIds.length > 0 ? [eb('c.visitor_id', 'in', f.visitorIds)] : []),
      ]),
    );
  if (f.beforeId !== undefined) q = q.where('c.id', '<', f.beforeId);
  const rows = await q.orderBy('c.id', 'desc').limit(f.limit).execute();
  return rows.map(({ hit_text, ...chat }) => ({ chat: chat as Chat, text: (hit_text as string | null) ?? null }));
}
