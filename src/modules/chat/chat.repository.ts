// Chats and messages of one site. Every query takes the site id.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Chat, ChatStatus, DB, Message, SenderKind } from '../../platform/db/schema.ts';
import type { Dialect } from '../../platform/db/database.ts';

type Q = Kysely<DB> | Transaction<DB>;

const OPEN: ChatStatus[] = ['queued', 'assigned', 'active'];

// Advisory-lock namespace of routing decisions (the first key of pg_advisory_xact_lock(int, int)).
const ROUTING_LOCK = 0x70617200;

/**
 * Serialises routing decisions for one site. PostgreSQL takes a transaction-scoped advisory lock:
 * a row lock on the site would also block every insert that references the site (FOR KEY SHARE)
 * and deadlock with message writes. SQLite already runs one write transaction at a time.
 */
export async function lockSiteForRouting(trx: Transaction<DB>, dialect: Dialect, siteId: number): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${ROUTING_LOCK}, ${siteId % 2147483647}::int)`.execute(trx);
  }
}

/** Finds a chat of a site. */
export function findChat(db: Q, siteId: number, chatId: number): Promise<Chat | undefined> {
  return db.selectFrom('chats').selectAll().where('site_id', '=', siteId).where('id', '=', chatId).executeTakeFirst();
}

/** The visitor's open chat on a site, if any. */
export function findOpenChatOfVisitor(db: Q, siteId: number, visitorId: number): Promise<Chat | undefined> {
  return db
    .selectFrom('chats')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('visitor_id', '=', visitorId)
    .where('status', 'in', OPEN)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export interface ChatFilter {
  status?: ChatStatus | undefined;
  visitorId?: number | undefined;
  agentId?: number | undefined;
  limit: number;
  beforeId?: number | undefined;
}

/** Lists a site's chats, newest first, with keyset pagination by id. */
export function listChats(db: Q, siteId: number, f: ChatFilter): Promise<Chat[]> {
  let q = db.selectFrom('chats').selectAll().where('site_id', '=', siteId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.visitorId !== undefined) q = q.where('visitor_id', '=', f.visitorId);
  if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

/** Inserts a new chat. */
export function insertChat(db: Q, siteId: number, visitorId: number, groupId: number | null): Promise<Chat> {
  return db
    .insertInto('chats')
    .values({ site_id: siteId, visitor_id: visitorId, group_id: groupId, status: 'queued', requested_at: new Date().toISOString() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates a chat only if it is still in `from` status; returns undefined if it was not. */
export function transitionChat(
  db: Q,
  siteId: number,
  chatId: number,
  from: ChatStatus[],
  set: Partial<Pick<Chat, 'status' | 'agent_id' | 'assigned_at' | 'accepted_at' | 'ended_at' | 'ended_by'>>,
): Promise<Chat | undefined> {
  return db
    .updateTable('chats')
    .set({ ...set, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', chatId)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
}

/** Records an agent's part in a chat (idempotent). */
export async function addChatAgent(db: Q, siteId: number, chatId: number, agentId: number): Promise<void> {
  await db
    .insertInto('chat_agents')
    .values({ site_id: siteId, chat_id: chatId, agent_id: agentId, joined_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing())
    .execute();
}

/** Online agents of a site with their current load, least busy and least recently assigned first. */
export async function availableAgents(db: Q, siteId: number) {
  const rows = await db
    .selectFrom('agents as a')
    .select((eb) => [
      'a.id',
      'a.max_concurrent_chats',
      eb
        .selectFrom('chats as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('c.agent_id', '=', 'a.id')
        .where('c.status', 'in', ['assigned', 'active'])
        .as('load'),
      eb.selectFrom('chats as c').select((e) => e.fn.max('c.assigned_at').as('m')).whereRef('c.agent_id', '=', 'a.id').as('last_assigned'),
    ])
    .where('a.site_id', '=', siteId)
    .where('a.status', '=', 'online')
    .where('a.is_active', '=', true)
    .execute();
  return rows
    .map((r) => ({ id: r.id, load: Number(r.load ?? 0), max: r.max_concurrent_chats, last: (r.last_assigned as string | null) ?? '' }))
    .filter((r) => r.load < r.max)
    .sort((x, y) => x.load - y.load || x.last.localeCompare(y.last) || x.id - y.id);
}

/** Queued chats of a site in arrival order (the first `limit` of them when given). */
export function queuedChats(db: Q, siteId: number, limit?: number): Promise<Chat[]> {
  const q = db.selectFrom('chats').selectAll().where('site_id', '=', siteId).where('status', '=', 'queued').orderBy('id');
  return (limit === undefined ? q : q.limit(limit)).execute();
}

/** 1-based queue position of a queued chat. */
export async function queuePosition(db: Q, siteId: number, chatId: number): Promise<number> {
  const row = await db
    .selectFrom('chats')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .where('status', '=', 'queued')
    .where('id', '<=', chatId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewMessage {
  senderKind: SenderKind;
  senderId: number | null;
  type: string;
  data: Record<string, unknown>;
  clientMessageId: string | null;
}

/** Finds a sender's earlier message with the same client message id. */
export function findByClientId(db: Q, siteId: number, chatId: number, m: NewMessage): Promise<Message | undefined> {
  if (m.clientMessageId === null) return Promise.resolve(undefined);
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .where('sender_kind', '=', m.senderKind)
    .where('client_msg_id', '=', m.clientMessageId);
  q = m.senderId === null ? q.where('sender_id', 'is', null) : q.where('sender_id', '=', m.senderId);
  return q.executeTakeFirst();
}

/** Appends a message with the chat's next sequence number (the chat row update serialises writers). */
export async function appendMessage(db: Q, siteId: number, chatId: number, m: NewMessage): Promise<Message> {
  const { last_seq } = await db
    .updateTable('chats')
    .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
    .where('site_id', '=', siteId)
    .where('id', '=', chatId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return db
    .insertInto('messages')
    .values({
      site_id: siteId,
      chat_id: chatId,
      seq: last_seq,
      sender_kind: m.senderKind,
      sender_id: m.senderId,
      type: m.type,
      body: JSON.stringify(m.data),
      client_msg_id: m.clientMessageId,
      created_at: new Date().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A chat's messages in order, after a sequence number. */
export function listMessages(db: Q, siteId: number, chatId: number, afterSeq: number, limit: number): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Chats by status across all sites (for metrics). */
export async function countChatsByStatus(db: Q): Promise<Record<string, number>> {
  const rows = await db.selectFrom('chats').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
