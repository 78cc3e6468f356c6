// The webhook outbox and the sites' callback settings. Site-facing queries take the site id; the
// worker's queries span every site by design (one worker serves all tenants), and each row it
// takes carries its site id back into the updates.
import type { Kysely, Transaction } from 'kysely';
import type { DB, DeliveryStatus, WebhookDelivery } from '../../platform/db/schema.ts';

type Q = Kysely<DB> | Transaction<DB>;

export interface CallbackSettings {
  callbackUrl: string | null;
  signingSecretVersion: number;
}

/** A delivery with its customer's token, as the native API shows it. */
export type DeliveryRow = WebhookDelivery & { customer_token: string | null };

/** A site's callback URL and secret version; a site without a settings row has the defaults. */
export async function findCallbackSettings(db: Q, siteId: number): Promise<CallbackSettings> {
  const row = await db
    .selectFrom('site_settings')
    .select(['callback_url', 'signing_secret_version'])
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return { callbackUrl: row?.callback_url ?? null, signingSecretVersion: row?.signing_secret_version ?? 1 };
}

/** Sets a site's callback URL, creating its settings row if needed (other columns untouched). */
export async function upsertCallbackUrl(db: Q, siteId: number, callbackUrl: string | null): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('site_settings')
    .values({ site_id: siteId, callback_url: callbackUrl, updated_at: now })
    .onConflict((oc) => oc.column('site_id').doUpdateSet({ callback_url: callbackUrl, updated_at: now }))
    .execute();
}

/** Moves a site to its next signing secret version (the first rotation of a default site gives 2). */
export async function bumpSigningSecretVersion(db: Q, siteId: number): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('site_settings')
    .values({ site_id: siteId, signing_secret_version: 2, updated_at: now })
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({ signing_secret_version: eb('site_settings.signing_secret_version', '+', 1), updated_at: now })),
    )
    .execute();
}

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

/** Adds a pending delivery, due at once. */
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
  customerToken?: string | undefined;
  limit: number;
  beforeId?: number | undefined;
}

function deliveriesOfSite(db: Q, siteId: number) {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('visitors as v', (j) => j.onRef('v.id', '=', 'd.visitor_id').onRef('v.site_id', '=', 'd.site_id'))
    .selectAll('d')
    .select('v.customer_token')
    .where('d.site_id', '=', siteId);
}

/** A site's deliveries, newest first, with keyset pagination by id. */
export function listDeliveries(db: Q, siteId: number, f: DeliveryFilter): Promise<DeliveryRow[]> {
  let q = deliveriesOfSite(db, siteId);
  if (f.status !== undefined) q = q.where('d.status', '=', f.status);
  if (f.customerToken !== undefined) q = q.where('v.customer_token', '=', f.customerToken);
  if (f.beforeId !== undefined) q = q.where('d.id', '<', f.beforeId);
  return q.orderBy('d.id', 'desc').limit(f.limit).execute();
}

/** One delivery of a site, by its public delivery id. */
export function findDelivery(db: Q, siteId: number, deliveryId: string): Promise<DeliveryRow | undefined> {
  return deliveriesOfSite(db, siteId).where('d.delivery_id', '=', deliveryId).executeTakeFirst();
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
