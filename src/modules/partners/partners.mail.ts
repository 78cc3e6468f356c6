// Outgoing e-mail. Messages are written to an outbox in the transaction that causes them, then
// handed to the transport. Parley has no SMTP transport yet: each message is logged (without its
// body, which may hold a one-time link) and kept for platform admins to read.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

export interface Email {
  to: string;
  subject: string;
  body: string;
}

export interface EmailView extends Email {
  id: number;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

/** Adds a message to the outbox (inside the caller's transaction). */
export async function enqueueEmail(db: Kysely<DB> | Transaction<DB>, e: Email): Promise<void> {
  await db.insertInto('email_outbox').values({ to_address: e.to, subject: e.subject, body: e.body }).execute();
}

/** Hands pending messages to the transport; safe to run on several nodes at once. */
export function createMailer(db: Kysely<DB>, log: FastifyBaseLogger) {
  let running: Promise<void> | undefined;
  async function drain(): Promise<void> {
    const pending = await db.selectFrom('email_outbox').select(['id', 'to_address', 'subject']).where('status', '=', 'pending').orderBy('id').limit(100).execute();
    for (const m of pending) {
      // Claim by moving it on: only one node logs each message.
      const claimed = await db.updateTable('email_outbox').set({ status: 'logged', sent_at: new Date().toISOString() }).where('id', '=', m.id).where('status', '=', 'pending').executeTakeFirst();
      if (Number(claimed.numUpdatedRows) === 1) log.info({ emailId: m.id, to: m.to_address, subject: m.subject }, 'e-mail kept in the outbox (no mail transport is configured)');
    }
  }
  return {
    /** Delivers what is pending now; concurrent calls share one run. */
    kick(): Promise<void> {
      running ??= drain()
        .catch((err: unknown) => log.error({ err }, 'e-mail delivery failed'))
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    async list(q: { to?: string | undefined; limit: number }): Promise<EmailView[]> {
      let query = db.selectFrom('email_outbox').selectAll().orderBy('id', 'desc').limit(q.limit);
      if (q.to !== undefined) query = query.where('to_address', '=', q.to.toLowerCase());
      return (await query.execute()).map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        body: r.body,
        status: r.status,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      }));
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;
