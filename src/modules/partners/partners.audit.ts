// The platform's audit log: every action on a partner or its sites, by whom, with the object
// before and after. Written in the transaction of the change it records.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { Principal } from '../../platform/http/access.ts';

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

/** Records one action. */
export async function audit(db: Kysely<DB> | Transaction<DB>, actor: Actor, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor_kind: actor.kind,
      actor_id: actor.id,
      action: e.action,
      partner_id: e.partnerId,
      target: e.target,
      before: scrub(e.before),
      after: scrub(e.after),
      request_id: actor.requestId ?? null,
    })
    .execute();
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

/** The newest entries first, optionally of one partner. */
export async function listAudit(db: Kysely<DB>, q: { partnerId?: number | undefined; before?: number | undefined; limit: number }): Promise<AuditView[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(q.limit);
  if (q.partnerId !== undefined) query = query.where('partner_id', '=', q.partnerId);
  if (q.before !== undefined) query = query.where('id', '<', q.before);
  return (await query.execute()).map((r) => ({
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
}
