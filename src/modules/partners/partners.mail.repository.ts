// The e-mail outbox: messages written in the transaction that causes them, then claimed by one
// node and handed to the transport.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { EmailOutboxTable, PartnersTables } from './partners.tables.ts';

type Db = Kysely<PartnersTables> | Transaction<PartnersTables>;

export interface Email {
  to: string;
  subject: string;
  body: string;
}

/** Adds a message to the outbox (inside the caller's transaction). */
export async function enqueueEmail(db: Db, e: Email): Promise<void> {
  await db.insertInto('email_outbox').values({ to_address: e.to, subject: e.subject, body: e.body }).execute();
}

/** The oldest pending messages, at most `limit`. */
export function pendingEmails(db: Db, limit: number): Promise<{ id: number; to_address: string; subject: string }[]> {
  return db.selectFrom('email_outbox').select(['id', 'to_address', 'subject']).where('status', '=', 'pending').orderBy('id').limit(limit).execute();
}

/** Claims a pending message by moving it on; false when another node claimed it first. */
export async function claimEmail(db: Db, id: number): Promise<boolean> {
  const claimed = await db.updateTable('email_outbox').set({ status: 'logged', sent_at: new Date().toISOString() }).where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1;
}

/** The newest messages first, optionally to one address. */
export function listEmails(db: Db, q: { to?: string | undefined; limit: number }): Promise<Selectable<EmailOutboxTable>[]> {
  let query = db.selectFrom('email_outbox').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.to !== undefined) query = query.where('to_address', '=', q.to.toLowerCase());
  return query.execute();
}
