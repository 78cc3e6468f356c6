// Chats and messages of one site. Every query takes the site id.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Chat, ChatStatus, ChatTables, Message, MessageRevision, SenderKind } from './chat.tables.ts';
import type { Dialect } from '../../platform/db/database.ts';

type Q = Kysely<ChatTables> | Transaction<ChatTables>;

/** Every status but ended: the chat is going on, with the robot or with people. */
export const OPEN: ChatStatus[] = ['bot', 'queued', 'assigned', 'active'];
/** The statuses in which a chat is with people (waiting for, offered to, or talking to an agent). */
export const WITH_AGENTS: ChatStatus[] = ['queued', 'assigned', 'active'];

// Advisory-lock namespace of routing decisions (the first key of pg_advisory_xact_lock(int, int)).
const ROUTING_LOCK = 0x70617200;

/**
 * Serialises routing decisions for one site. PostgreSQL takes a transaction-scoped advisory lock:
 * a row lock on the site would also block every insert that references the site (FOR KEY SHARE)
 * and deadlock with message writes. SQLite already runs one write transaction at a time.
 */
export async function lockSiteForRouting(trx: Transaction<ChatTables>, dialect: Dialect, siteId: number): Promise<void> {
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
  statuses?: ChatStatus[] | undefined;
  visitorId?: number | undefined;
  agentId?: number | undefined;
  groupId?: number | undefined;
  /** Requested at or after / before these ISO timestamps. */
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  beforeId?: number | undefined;
}

/** Lists a site's chats, newest first, with keyset pagination by id. */
export function listChats(db: Q, siteId: number, f: ChatFilter): Promise<Chat[]> {
  let q = db.selectFrom('chats').selectAll().where('site_id', '=', siteId);
  if (f.statuses && f.statuses.length > 0) q = q.where('status', 'in', f.statuses);
  if (f.visitorId !== undefined) q = q.where('visitor_id', '=', f.visitorId);
  if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
  if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
  if (f.from !== undefined) q = q.where('requested_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('requested_at', '<', f.to);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

export interface NewChat {
  status: 'bot' | 'queued';
  groupId?: number | null | undefined;
  requestedAgentId?: number | null | undefined;
  channel?: string | null | undefined;
  /** The skill a WebView chat came with; urgent ones go ahead in the queue. */
  skill?: string | null | undefined;
  urgent?: boolean | undefined;
}

/** Inserts a new chat, with the robot (`bot`) or waiting for an agent (`queued`). */
export function insertChat(db: Q, siteId: number, visitorId: number, c: NewChat): Promise<Chat> {
  const now = new Date().toISOString();
  return db
    .insertInto('chats')
    .values({
      site_id: siteId,
      visitor_id: visitorId,
      status: c.status,
      group_id: c.groupId ?? null,
      requested_agent_id: c.requestedAgentId ?? null,
      channel: c.channel ?? null,
      skill: c.skill ?? null,
      urgent: c.urgent ?? false,
      requested_at: now,
      queued_at: c.status === 'queued' ? now : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Removes a chat that was never shown to anyone (refused by a full queue in its own transaction). */
export async function deleteUnannouncedChat(db: Q, siteId: number, chatId: number): Promise<void> {
  await db.deleteFrom('chats').where('site_id', '=', siteId).where('id', '=', chatId).where('last_seq', '=', 0).execute();
}

/**
 * Updates a chat only if it is still in `from` status (and, when `heldBy` is given, still with that
 * agent, or with none for null); returns undefined if it was not.
 */
export function transitionChat(
  db: Q,
  siteId: number,
  chatId: number,
  from: ChatStatus[],
  set: Partial<
    Pick<
      Chat,
      'status' | 'agent_id' | 'group_id' | 'name' | 'assigned_at' | 'accepted_at' | 'ended_at' | 'ended_by' | 'queued_at' | 'requested_agent_id' | 'robot_misses' | 'skill'
    >
  > & { urgent?: boolean },
  heldBy?: number | null,
): Promise<Chat | undefined> {
  let q = db
    .updateTable('chats')
    .set({ ...set, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', chatId)
    .where('status', 'in', from);
  if (heldBy !== undefined) q = heldBy === null ? q.where('agent_id', 'is', null) : q.where('agent_id', '=', heldBy);
  return q.returningAll().executeTakeFirst();
}

/** Queued chats that waited for one agent by name wait for anyone instead; returns how many. */
export async function stopWaitingFor(db: Q, siteId: number, agentId: number): Promise<number> {
  const r = await db
    .updateTable('chats')
    .set({ requested_agent_id: null, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('status', '=', 'queued')
    .where('requested_agent_id', '=', agentId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Records an agent's part in a chat (idempotent). */
export async function addChatAgent(db: Q, siteId: number, chatId: number, agentId: number): Promise<void> {
  await db
    .insertInto('chat_agents')
    .values({ site_id: siteId, chat_id: chatId, agent_id: agentId, joined_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['chat_id', 'agent_id']).doNothing())
    .execute();
}

/** Raises one side's read position of a chat (never lowers it, never past the last message). */
export async function markRead(db: Q, siteId: number, chatId: number, by: 'visitor' | 'agent', seq: number): Promise<Chat | undefined> {
  const column = by === 'visitor' ? 'visitor_read_seq' : 'agent_read_seq';
  return db
    .updateTable('chats')
    .set({ [column]: seq })
    .where('site_id', '=', siteId)
    .where('id', '=', chatId)
    .where(column, '<', seq)
    .where('last_seq', '>=', seq)
    .returningAll()
    .executeTakeFirst();
}

/** Counts the robot's miss in a row, or (answered) starts the count again. */
export async function countRobotMiss(db: Q, siteId: number, chatId: number, missed: boolean): Promise<void> {
  await db
    .updateTable('chats')
    .set((eb) => ({ robot_misses: missed ? eb('robot_misses', '+', 1) : 0 }))
    .where('site_id', '=', siteId)
    .where('id', '=', chatId)
    .execute();
}

/** The load of each of these agents: its open chats (assigned or active) and when it was last given one. */
export async function agentLoads(db: Q, siteId: number, agentIds: number[]): Promise<Map<number, { load: number; lastAssigned: string }>> {
  if (agentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('chats')
    .select((eb) => [
      'agent_id',
      eb.fn.sum<number>(eb.case().when('status', 'in', ['assigned', 'active']).then(1).else(0).end()).as('load'),
      eb.fn.max('assigned_at').as('last_assigned'),
    ])
    .where('site_id', '=', siteId)
    .where('agent_id', 'in', agentIds)
    .groupBy('agent_id')
    .execute();
  return new Map(rows.map((r) => [r.agent_id!, { load: Number(r.load ?? 0), lastAssigned: (r.last_assigned as string | null) ?? '' }]));
}

/** Queued chats of a site in queue order: urgent ones first, then by when they joined (the first `limit` of them when given). */
export function queuedChats(db: Q, siteId: number, limit?: number): Promise<Chat[]> {
  const q = db.selectFrom('chats').selectAll().where('site_id', '=', siteId).where('status', '=', 'queued').orderBy('urgent', 'desc').orderBy('queued_at').orderBy('id');
  return (limit === undefined ? q : q.limit(limit)).execute();
}

/** How many chats wait in a site's queues. */
export async function countQueued(db: Q, siteId: number): Promise<number> {
  const row = await db
    .selectFrom('chats')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** 1-based position of a queued chat in its own queue (named agent's, group's or the site's); urgent chats go first. */
export async function queuePosition(db: Q, siteId: number, chat: Chat): Promise<number> {
  const queuedAt = chat.queued_at ?? chat.requested_at;
  const urgent = chat.urgent === true || chat.urgent === 1;
  let q = db
    .selectFrom('chats')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .where('status', '=', 'queued')
    .where((eb) => {
      const earlier = eb.and([eb('urgent', '=', urgent), eb.or([eb('queued_at', '<', queuedAt), eb.and([eb('queued_at', '=', queuedAt), eb('id', '<=', chat.id)])])]);
      // An urgent chat waits behind earlier urgent ones only; any other behind every urgent one too.
      return urgent ? earlier : eb.or([eb('urgent', '=', true), earlier]);
    });
  if (chat.requested_agent_id !== null) q = q.where('requested_agent_id', '=', chat.requested_agent_id);
  else {
    q = q.where('requested_agent_id', 'is', null);
    q = chat.group_id === null ? q.where('group_id', 'is', null) : q.where('group_id', '=', chat.group_id);
  }
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * Queued chats of a site that have waited since before `before` (ISO), oldest first. A chat an
 * agent gave back keeps its place in the queue, but its wait counts from the hand-back.
 */
export function queuedBefore(db: Q, siteId: number, before: string, limit: number): Promise<Chat[]> {
  return db
    .selectFrom('chats')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('status', '=', 'queued')
    .where('queued_at', '<', before)
    .where((eb) => eb.or([eb('assigned_at', 'is', null), eb('assigned_at', '<', before)]))
    .orderBy('queued_at')
    .limit(limit)
    .execute();
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

/** One message of a chat. */
export function findMessage(db: Q, siteId: number, chatId: number, messageId: number): Promise<Message | undefined> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/**
 * Changes or deletes a message, keeping what it said before as a revision; undefined if it was
 * deleted meanwhile. Runs in the caller's transaction.
 */
export async function reviseMessage(
  trx: Transaction<ChatTables>,
  siteId: number,
  message: Message,
  agentId: number,
  change: { action: 'edit'; body: string } | { action: 'delete' },
): Promise<Message | undefined> {
  const now = new Date().toISOString();
  const updated = await trx
    .updateTable('messages')
    .set(change.action === 'edit' ? { body: change.body, edited_at: now } : { deleted_at: now })
    .where('site_id', '=', siteId)
    .where('id', '=', message.id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return undefined;
  await trx
    .insertInto('message_revisions')
    .values({ site_id: siteId, message_id: message.id, action: change.action, previous_body: message.body, agent_id: agentId, created_at: now })
    .execute();
  return updated;
}

/** The revisions of some messages, oldest first. */
export function listRevisions(db: Q, siteId: number, messageIds: number[]): Promise<MessageRevision[]> {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('message_revisions')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('message_id', 'in', messageIds)
    .orderBy('id')
    .execute();
}

/** A visitor's messages across all its chats of the site, oldest first, after a message id. */
export function listMessagesOfVisitor(db: Q, siteId: number, visitorId: number, afterId: number, limit: number): Promise<Message[]> {
  return db
    .selectFrom('messages')
    .selectAll('messages')
    .innerJoin('chats', 'chats.id', 'messages.chat_id')
    .where('chats.site_id', '=', siteId)
    .where('chats.visitor_id', '=', visitorId)
    .where('messages.site_id', '=', siteId)
    .where('messages.id', '>', afterId)
    .orderBy('messages.id')
    .limit(limit)
    .execute();
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

/** The open chat of each of these visitors. */
export async function openChatsOf(db: Q, siteId: number, visitorIds: number[]): Promise<Map<number, { id: number; status: ChatStatus; agentId: number | null }>> {
  if (visitorIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('chats')
    .select(['id', 'visitor_id', 'status', 'agent_id'])
    .where('site_id', '=', siteId)
    .where('visitor_id', 'in', visitorIds)
    .where('status', '<>', 'ended')
    .execute();
  return new Map(rows.map((r) => [r.visitor_id, { id: r.id, status: r.status, agentId: r.agent_id }]));
}

/** Whether a visitor has any chat, ended or not. */
export async function hasChats(db: Q, siteId: number, visitorId: number): Promise<boolean> {
  return (await db.selectFrom('chats').select('id').where('site_id', '=', siteId).where('visitor_id', '=', visitorId).limit(1).executeTakeFirst()) !== undefined;
}

/** The agent who last owned a chat (not one who only joined or watched), if any did. */
export async function lastOwnerOf(db: Q, siteId: number, chatId: number): Promise<number | null> {
  const row = await db
    .selectFrom('chat_agents')
    .select('agent_id')
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    .where('role', '=', 'owner')
    .orderBy('joined_at', 'desc')
    .executeTakeFirst();
  return row?.agent_id ?? null;
}

/** A robot answer in one of the visitor's chats. */
export function findRobotMessage(db: Q, siteId: number, visitorId: number, messageId: number): Promise<Message | undefined> {
  return db
    .selectFrom('messages as m')
    .innerJoin('chats as c', 'c.id', 'm.chat_id')
    .selectAll('m')
    .where('m.site_id', '=', siteId)
    .where('c.site_id', '=', siteId)
    .where('c.visitor_id', '=', visitorId)
    .where('m.id', '=', messageId)
    .where('m.sender_kind', '=', 'bot')
    .executeTakeFirst();
}

/** A site's chats (all, requested since `since`, not ended) and messages. */
export async function siteUsage(db: Q, siteId: number, since: string): Promise<ChatUsage> {
  const chats = await db
    .selectFrom('chats')
    .select((eb) => [
      eb.fn.countAll<number>().as('total'),
      eb.fn.sum<number>(eb.case().when('requested_at', '>=', since).then(1).else(0).end()).as('recent'),
      eb.fn.sum<number>(eb.case().when('status', '<>', 'ended').then(1).else(0).end()).as('open'),
    ])
    .where('site_id', '=', siteId)
    .executeTakeFirstOrThrow();
  const messages = await db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow();
  return { total: Number(chats.total), recent: Number(chats.recent ?? 0), open: Number(chats.open ?? 0), messages: Number(messages.n) };
}

/** How much a site chats. */
export interface ChatUsage {
  total: number;
  /** Requested since the day asked about. */
  recent: number;
  open: number;
  messages: number;
}
