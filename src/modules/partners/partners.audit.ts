// The platform's audit log: every action on a partner or its sites, by whom, with the object
// before and after. Written in the transaction of the change it records.
import type { Kysely, Transaction } from 'kysely';
import type { Principal } from '../../platform/http/access.ts';
import { type AuditTables, insertAuditEntry, listAuditEntries } from './partners.audit.repository.ts';

export type { AuditTables } from './partners.audit.repository.ts';

export interface Actor {
  kind: 'platform' | 'partner' | 'partner-api' | 'public' | 'system';
  id: number | null;
  requestId?: string | undefined;
}

/** The actor of a request's principal. */
export function actorOf(principal: Principal | null, requestId?: string): Actor {
  switch (principal?.kind) {
    case 'platform':
      return { kind: 'platform', id: principal.userId, requestId };
    case 'partner':
      return { kind: 'partner', id: principal.userId, requestId };
    case 'partner-api':
      return { kind: 'partner-api', id: principal.oauthClientId, requestId };
    default:
      return { kind: 'public', id: null, requestId };
  }
}

export interface AuditEntry {
  action: string;
  partnerId: number | null;
  /** What was acted on, e.g. `site:12`, `partner:3`, `application:7`. */
  target: string;
  before?: unknown;
  after?: unknown;
}

// Never in the log: secrets and their hashes.
const SECRET_FIELD = /hash|secret|password|apiKey|token/i;
const scrub = (v: unknown) => (v === undefined ? null : JSON.stringify(v, (k, x) => (SECRET_FIELD.test(k) ? undefined : x)));

/** Records one action, in the transaction of the change (a handle with the audit log's table will do). */
export async function audit(db: Kysely<AuditTables> | Transaction<AuditTables>, actor: Actor, e: AuditEntry): Promise<void> {
  await insertAuditEntry(db, {
    actor_kind: actor.kind,
    actor_id: actor.id,
    action: e.action,
    partner_id: e.partnerId,
    target: e.target,
    before: scrub(e.before),
    after: scrub(e.after),
    request_id: actor.requestId ?? null,
  });
}

export interface AuditView {
  id: number;
  actor: { kind: string; id: number | null };
  action: string;
  partnerId: number | null;
  target: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  at: string;
}

/** Reading the audit log. */
export interface AuditLog {
  /** The newest entries first, optionally of one partner. */
  list(q: { partnerId?: number | undefined; before?: number | undefined; limit: number }): Promise<AuditView[]>;
}

/** The audit log over the database. */
export function createAuditLog(db: Kysely<AuditTables>): AuditLog {
  return {
    async list(q) {
      return (await listAuditEntries(db, q)).map((r) => ({
        id: r.id,
        actor: { kind: r.actor_kind, id: r.actor_id },
        action: r.action,
        partnerId: r.partner_id,
        target: r.target,
        before: r.before === null ? null : JSON.parse(r.before),
        after: r.after === null ? null : JSON.parse(r.after),
        requestId: r.request_id,
        at: r.created_at,
      }));
    },
  };
}
