// Outgoing e-mail. Messages are written to an outbox in the transaction that causes them, then
// handed to the transport. Parley has no SMTP transport yet: each message is logged (without its
// body, which may hold a one-time link) and kept for platform admins to read.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { claimEmail, type Email, listEmails, pendingEmails } from './partners.mail.repository.ts';
import type { PartnersTables } from './partners.tables.ts';

export { type Email, enqueueEmail } from './partners.mail.repository.ts';

export interface EmailView extends Email {
  id: number;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

/** The outbox's delivery and the platform admins' view of it. */
export interface Mailer {
  /** Delivers what is pending now; concurrent calls share one run. */
  kick(): Promise<void>;
  /** The newest messages first, optionally to one address. */
  list(q: { to?: string | undefined; limit: number }): Promise<EmailView[]>;
}

/** Hands pending messages to the transport; safe to run on several nodes at once. */
export function createMailer(db: Kysely<PartnersTables>, log: FastifyBaseLogger): Mailer {
  let running: Promise<void> | undefined;
  async function drain(): Promise<void> {
    for (const m of await pendingEmails(db, 100)) {
      // Claimed by moving it on: only one node logs each message.
      if (await claimEmail(db, m.id)) log.info({ emailId: m.id, to: m.to_address, subject: m.subject }, 'e-mail kept in the outbox (no mail transport is configured)');
    }
  }
  return {
    kick(): Promise<void> {
      running ??= drain()
        .catch((err: unknown) => log.error({ err }, 'e-mail delivery failed'))
        .finally(() => {
          running = undefined;
        });
      return running;
    },
    async list(q) {
      return (await listEmails(db, q)).map((r) => ({
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
