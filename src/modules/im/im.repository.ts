// The IM module's own data: survey answers, offline messages and API keys. Every query takes the
// site id, except a key's lookup by its hash (the hash is the credential).
import type { Kysely } from 'kysely';
import type { ImApiKey, ImTables } from './im.tables.ts';

type Q = Kysely<ImTables>;

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

/** Offline messages of a site, newest first. */
export function listOfflineMessages(db: Q, siteId: number, f: { status?: 'new' | 'handled' | undefined; limit: number; beforeId?: number | undefined }) {
  let q = db.selectFrom('offline_messages').selectAll().where('site_id', '=', siteId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
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

/** How many keys (active and revoked) a site holds. */
export async function countKeys(db: Q, siteId: number): Promise<number> {
  const held = await db.selectFrom('im_api_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow();
  return Number(held.n);
}

/** Stores a new key by its hash. */
export function insertKey(db: Q, siteId: number, k: { name: string; hash: string; prefix: string }): Promise<ImApiKey> {
  return db.insertInto('im_api_keys').values({ site_id: siteId, name: k.name, key_hash: k.hash, key_prefix: k.prefix }).returningAll().executeTakeFirstOrThrow();
}

/** A site's keys, oldest first. */
export function listKeys(db: Q, siteId: number): Promise<ImApiKey[]> {
  return db.selectFrom('im_api_keys').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
}

/** Revokes a key (a revoked one keeps its first revocation time). */
export function revokeKey(db: Q, siteId: number, keyId: number): Promise<ImApiKey | undefined> {
  return db
    .updateTable('im_api_keys')
    .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date().toISOString())) }))
    .where('site_id', '=', siteId)
    .where('id', '=', keyId)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a revoked key; false when there is no such revoked key. */
export async function deleteRevokedKey(db: Q, siteId: number, keyId: number): Promise<boolean> {
  const r = await db.deleteFrom('im_api_keys').where('site_id', '=', siteId).where('id', '=', keyId).where('revoked_at', 'is not', null).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** A key by its hash. */
export function findKeyByHash(db: Q, hash: string): Promise<ImApiKey | undefined> {
  return db.selectFrom('im_api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
}

/** Records when a key was last used. */
export async function touchKey(db: Q, keyId: number, at: string): Promise<void> {
  await db.updateTable('im_api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
}
