// The IM API's own data: customers (visitors with a customer_token), survey answers, offline
// messages, and the few chat reads it needs. Every query takes the site id.
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import type { DB, Message, Visitor } from '../../platform/db/schema.ts';
import type { CustomerInput } from './im.service.ts';

type Q = Kysely<DB> | Transaction<DB>;

export function findCustomer(db: Q, siteId: number, token: string): Promise<Visitor | undefined> {
  return db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('customer_token', '=', token).executeTakeFirst();
}

function changes(c: CustomerInput) {
  return {
    ...(c.name !== undefined && { name: c.name }),
    ...(c.email !== undefined && { email: c.email }),
    ...(c.phone !== undefined && { phone: c.phone }),
    ...(c.custom_fields !== undefined && { info: JSON.stringify(c.custom_fields) }),
  };
}

/** Changes the given fields of an existing customer. */
export async function updateCustomer(db: Q, siteId: number, c: CustomerInput): Promise<Visitor | undefined> {
  const set = changes(c);
  if (Object.keys(set).length === 0) return findCustomer(db, siteId, c.customer_token);
  return db
    .updateTable('visitors')
    .set({ ...set, last_seen_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('customer_token', '=', c.customer_token)
    .returningAll()
    .executeTakeFirst();
}

/** Creates the customer or changes the given fields of the existing one. */
export async function saveCustomer(db: Q, siteId: number, c: CustomerInput): Promise<{ visitor: Visitor; created: boolean }> {
  const existing = await updateCustomer(db, siteId, c);
  if (existing) return { visitor: existing, created: false };
  try {
    const visitor = await db
      .insertInto('visitors')
      .values({ site_id: siteId, customer_token: c.customer_token, name: c.name ?? null, email: c.email ?? null, phone: c.phone ?? null, info: JSON.stringify(c.custom_fields ?? {}) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { visitor, created: true };
  } catch (err) {
    // A concurrent call created the same customer first.
    if (!isUniqueViolation(err)) throw err;
    const winner = await updateCustomer(db, siteId, c);
    if (!winner) throw err;
    return { visitor: winner, created: false };
  }
}

/** Removes a customer that has no chats (created by a call that was then refused). */
export async function deleteCustomerWithoutChats(db: Q, siteId: number, visitorId: number): Promise<void> {
  await db
    .deleteFrom('visitors')
    .where('site_id', '=', siteId)
    .where('id', '=', visitorId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('chats').select('chats.id').whereRef('chats.visitor_id', '=', 'visitors.id'))))
    .execute();
}

export function findAgent(db: Q, siteId: number, agentId: number) {
  return db.selectFrom('agents').select(['id', 'name', 'avatar_url']).where('site_id', '=', siteId).where('id', '=', agentId).executeTakeFirst();
}

/** The agent who last had a chat, if any did. */
export async function lastAgentOf(db: Q, siteId: number, chatId: number): Promise<number | null> {
  const row = await db
    .selectFrom('chat_agents')
    .select('agent_id')
    .where('site_id', '=', siteId)
    .where('chat_id', '=', chatId)
    // Agents who only joined or watched are not who the visitor rates.
    .where('role', '=', 'owner')
    .orderBy('joined_at', 'desc')
    .executeTakeFirst();
  return row?.agent_id ?? null;
}

/** A robot answer in one of the customer's chats. */
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

/** Records the survey answer of a chat; answering again replaces it. */
export async function saveSurvey(
  db: Q,
  s: { siteId: number; chatId: number; agentId: number; optionId: number; optionText: string; remark: string | null },
): Promise<void> {
  const now = new Date().toISOString();
  const set = { option_id: s.optionId, option_text: s.optionText, remark: s.remark, agent_id: s.agentId, updated_at: now };
  await db
    .insertInto('chat_surveys')
    .values({ chat_id: s.chatId, site_id: s.siteId, ...set })
    .onConflict((oc) => oc.column('chat_id').doUpdateSet(set))
    .execute();
}

/** Survey answers of a site, newest first. */
export function listSurveys(db: Q, siteId: number, limit: number, beforeChatId?: number) {
  let q = db.selectFrom('chat_surveys').selectAll().where('site_id', '=', siteId);
  if (beforeChatId !== undefined) q = q.where('chat_id', '<', beforeChatId);
  return q.orderBy('chat_id', 'desc').limit(limit).execute();
}

export async function insertOfflineMessage(
  db: Q,
  o: { siteId: number; visitorId: number; groupId: number | null; content: string; email: string | null; phone: string | null },
): Promise<number> {
  const row = await db
    .insertInto('offline_messages')
    .values({ site_id: o.siteId, visitor_id: o.visitorId, group_id: o.groupId, content: o.content, email: o.email, phone: o.phone })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Offline messages of a site, newest first, with their customer. */
export function listOfflineMessages(db: Q, siteId: number, f: { status?: 'new' | 'handled' | undefined; limit: number; beforeId?: number | undefined }) {
  let q = db
    .selectFrom('offline_messages as o')
    .innerJoin('visitors as v', 'v.id', 'o.visitor_id')
    .selectAll('o')
    .select(['v.customer_token', 'v.name'])
    .where('o.site_id', '=', siteId);
  if (f.status !== undefined) q = q.where('o.status', '=', f.status);
  if (f.beforeId !== undefined) q = q.where('o.id', '<', f.beforeId);
  return q.orderBy('o.id', 'desc').limit(f.limit).execute();
}

/** Marks an offline message handled (by an agent) or new again. */
export function setOfflineMessageStatus(db: Q, siteId: number, id: number, status: 'new' | 'handled', agentId: number) {
  return db
    .updateTable('offline_messages')
    .set(status === 'handled' ? { status, handled_at: new Date().toISOString(), handled_by: agentId } : { status, handled_at: null, handled_by: null })
    .where('site_id', '=', siteId)
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
}
