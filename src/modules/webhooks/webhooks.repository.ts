// The webhook outbox and the sites' callback settings. Site-facing queries take the site id; the
// worker's queries span every site by design (one worker serves all tenants), and each row it
// takes carries its site id back into the updates.
import type { Kysely, Transaction } from 'kysely';
import type { DeliveryStatus, WebhookDelivery, WebhooksTables } from './webhooks.tables.ts';

type Q = Kysely<WebhooksTables> | Transaction<WebhooksTables>;

/** A delivery as the repository returns it. */
export type DeliveryRow = WebhookDelivery;

export interface NewDeliveryRow {
  deliveryId: string;
  siteId: number;
  visitorId: number;
  chatId: number | null;
  messageId: number | null;
  event: string;
  body: string;
  now: string;
  giveUpAt: string;
}

/** Adds a pending delivery, due at once; one whose delivery id is stored already is left as it is. */
export async function insertDelivery(db: Q, d: NewDeliveryRow): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      delivery_id: d.deliveryId,
      site_id: d.siteId,
      visitor_id: d.visitorId,
      chat_id: d.chatId,
      message_id: d.messageId,
      event: d.event,
      body: d.body,
      status: 'pending',
      next_attempt_at: d.now,
      give_up_at: d.giveUpAt,
      created_at: d.now,
    })
    .onConflict((oc) => oc.column('delivery_id').doNothing())
    .execute();
}

/**
 * Up to `limit` deliveries that may be sent now: each the oldest pending delivery of its customer
 * (site and visitor), due, and not leased by a node. A customer whose oldest pending delivery is
 * waiting for its retry has nothing here: its later deliveries wait behind it.
 */
export function findDueHeads(db: Q, now: string, limit: number): Promise<WebhookDelivery[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .selectAll('d')
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', now)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('webhook_deliveries as e')
            .select('e.id')
            .whereRef('e.site_id', '=', 'd.site_id')
            .whereRef('e.visitor_id', '=', 'd.visitor_id')
            .where('e.status', '=', 'pending')
            .whereRef('e.id', '<', 'd.id'),
        ),
      ),
    )
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}

/** The customer's oldest pending delivery if it is due and not leased. */
export function findDueHeadOfCustomer(db: Q, siteId: number, visitorId: number, now: string): Promise<WebhookDelivery | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('visitor_id', '=', visitorId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst()
    .then((head) => (head && head.next_attempt_at <= now && (head.lease_until === null || head.lease_until <= now) ? head : undefined));
}

/**
 * Takes a delivery for sending until `leaseUntil`, if it is still the due, unleased head of its
 * customer; one conditional UPDATE, so of several nodes trying, one gets it.
 */
export function claimDelivery(db: Q, d: Pick<WebhookDelivery, 'id' | 'site_id'>, now: string, leaseUntil: string): Promise<WebhookDelivery | undefined> {
  return db
    .updateTable('webhook_deliveries')
    .set({ lease_until: leaseUntil })
    .where('site_id', '=', d.site_id)
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('webhook_deliveries as e')
            .select('e.id')
            .whereRef('e.site_id', '=', 'webhook_deliveries.site_id')
            .whereRef('e.visitor_id', '=', 'webhook_deliveries.visitor_id')
            .where('e.status', '=', 'pending')
            .whereRef('e.id', '<', 'webhook_deliveries.id'),
        ),
      ),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Records a successful attempt. */
export async function markDelivered(db: Q, d: Pick<WebhookDelivery, 'id' | 'site_id'>, status: number, now: string): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: 'delivered',
      attempts: eb('attempts', '+', 1),
      last_status: status,
      last_error: null,
      lease_until: null,
      delivered_at: now,
    }))
    .where('site_id', '=', d.site_id)
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .execute();
}

export interface FailedAttempt {
  status: number | null;
  error: string;
  /** The delivery's state after this failure. */
  next: { status: 'pending'; nextAttemptAt: string } | { status: 'dead'; deadAt: string };
}

/**
 * Records a failed attempt, unless the lease it was made under has been taken over meanwhile (the
 * attempt took longer than the lease; the node that took over records its own).
 */
export async function markFailed(db: Q, d: Pick<WebhookDelivery, 'id' | 'site_id'>, leaseUntil: string, f: FailedAttempt): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_status: f.status,
      last_error: f.error,
      lease_until: null,
      ...(f.next.status === 'dead' ? { status: 'dead' as const, dead_at: f.next.deadAt } : { next_attempt_at: f.next.nextAttemptAt }),
    }))
    .where('site_id', '=', d.site_id)
    .where('id', '=', d.id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', leaseUntil)
    .execute();
}

export interface DeliveryFilter {
  status?: DeliveryStatus | undefined;
  /** Only the deliveries about this customer (visitor). */
  visitorId?: number | undefined;
  limit: number;
  beforeId?: number | undefined;
}

/** A site's deliveries, newest first, with keyset pagination by id. */
export function listDeliveries(db: Q, siteId: number, f: DeliveryFilter): Promise<DeliveryRow[]> {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('site_id', '=', siteId);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.visitorId !== undefined) q = q.where('visitor_id', '=', f.visitorId);
  if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
  return q.orderBy('id', 'desc').limit(f.limit).execute();
}

/** One delivery of a site, by its public delivery id. */
export function findDelivery(db: Q, siteId: number, deliveryId: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('site_id', '=', siteId).where('delivery_id', '=', deliveryId).executeTakeFirst();
}

/** Puts a dead delivery back in line, due now and retried until `giveUpAt`; false if it is not dead. */
export async function reviveDead(db: Q, siteId: number, deliveryId: string, now: string, giveUpAt: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, give_up_at: giveUpAt, lease_until: null, dead_at: null })
    .where('site_id', '=', siteId)
    .where('delivery_id', '=', deliveryId)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
