// Webhooks of a site: writing deliveries into the outbox (inside the caller's transaction), the
// callback URL and signing secret, and the site admins' view of deliveries with re-sending.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { requirePermission, type SiteContext } from '../../platform/context.ts';
import type { Executor } from '../../platform/db/database.ts';
import { BadRequest, InvalidState, NotFound } from '../../platform/errors.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import { type DeliveryRow, findDelivery, insertDelivery, listDeliveries, reviveDead } from './webhooks.repository.ts';
import type { DeliveryStatus, WebhooksTables } from './webhooks.tables.ts';

/** A site's callback URL and the version of its signing secret (sites' settings keep them). */
export interface CallbackSettings {
  callbackUrl: string | null;
  signingSecretVersion: number;
}

/** Reads a site's callback settings; a site that never set them has none and version 1. */
export async function callbackSettings(tenancy: Pick<TenancyService, 'settings'>, siteId: number, ex?: Executor): Promise<CallbackSettings> {
  const s = await tenancy.settings.read(siteId, ex);
  return { callbackUrl: s?.callbackUrl ?? null, signingSecretVersion: s?.signingSecretVersion ?? 1 };
}

export interface NewDelivery {
  siteId: number;
  /** The customer (visitor) the delivery is about; deliveries of one customer arrive in order. */
  visitorId: number;
  chatId: number | null;
  messageId: number | null;
  /** What happened, e.g. `message.replied`; shown in the delivery list. */
  event: string;
  /** The JSON document POSTed to the callback URL. */
  body: unknown;
  /** Its id; a delivery written twice under one id is stored once (a listener acting again). Random when left out. */
  deliveryId?: string | undefined;
}

export interface WebhookSettingsView {
  callbackUrl: string | null;
  signingSecret: string;
  signingSecretVersion: number;
}

export interface DeliveryView {
  deliveryId: string;
  status: DeliveryStatus;
  event: string;
  customerToken: string | null;
  chatId: number | null;
  messageId: number | null;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  /** When the next attempt is due; null unless pending. */
  nextAttemptAt: string | null;
  /** When retrying stops and a pending delivery becomes dead; null unless pending. */
  giveUpAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
  body: unknown;
}

/** Shapes an outbox row for the API. */
export function presentDelivery(d: DeliveryRow, customerToken: string | null): DeliveryView {
  const pending = d.status === 'pending';
  return {
    deliveryId: d.delivery_id,
    status: d.status,
    event: d.event,
    customerToken,
    chatId: d.chat_id,
    messageId: d.message_id,
    attempts: d.attempts,
    lastStatus: d.last_status,
    lastError: d.last_error,
    nextAttemptAt: pending ? d.next_attempt_at : null,
    giveUpAt: pending ? d.give_up_at : null,
    createdAt: d.created_at,
    deliveredAt: d.delivered_at,
    deadAt: d.dead_at,
    body: JSON.parse(d.body) as unknown,
  };
}

export const MAX_CALLBACK_URL_LENGTH = 2000;

function checkCallbackUrl(raw: string): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRequest('callbackUrl is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequest('callbackUrl must be an http or https URL.');
  if (value.length > MAX_CALLBACK_URL_LENGTH) throw new BadRequest(`callbackUrl may be at most ${MAX_CALLBACK_URL_LENGTH} characters.`);
  return value;
}

export interface WebhooksServiceDeps {
  db: Kysely<WebhooksTables>;
  tenancy: Pick<TenancyService, 'settings'>;
  visitors: Pick<VisitorsService, 'contacts' | 'customers'>;
  retryPeriodSeconds: number;
  signingSecret(siteId: number, version: number): string;
  /** Wakes the delivery worker (after a re-send). */
  kick(): void;
}

/** Writes a delivery into the outbox; returns its id, or null when the site has no callback URL. */
export type Enqueue = (ex: Executor, input: NewDelivery) => Promise<string | null>;

/** Writes deliveries into the outbox; see `Webhooks.enqueue`. */
export function createEnqueue(tenancy: Pick<TenancyService, 'settings'>, retryPeriodSeconds: number): Enqueue {
  return async function enqueue(ex, input) {
    const settings = await callbackSettings(tenancy, input.siteId, ex);
    if (!settings.callbackUrl) return null;
    const now = Date.now();
    const deliveryId = input.deliveryId ?? randomUUID();
    await insertDelivery(ex, {
      deliveryId,
      siteId: input.siteId,
      visitorId: input.visitorId,
      chatId: input.chatId,
      messageId: input.messageId,
      event: input.event,
      body: JSON.stringify(input.body ?? null),
      now: new Date(now).toISOString(),
      giveUpAt: new Date(now + retryPeriodSeconds * 1000).toISOString(),
    });
    return deliveryId;
  };
}

/** The site admins' webhook operations, each scoped to the caller's site. */
export interface WebhooksService {
  /** The site's callback URL and current signing secret. */
  getSettings(ctx: SiteContext): Promise<WebhookSettingsView>;
  /** Sets (or, with null, clears) the callback URL; pending deliveries go to the new one. */
  setCallbackUrl(ctx: SiteContext, callbackUrl: string | null): Promise<WebhookSettingsView>;
  /** Replaces the signing secret at once: every attempt from now on is signed with the new one. */
  rotateSecret(ctx: SiteContext): Promise<WebhookSettingsView>;
  /** The site's deliveries, newest first; `nextCursor` is the `before` of the next page. */
  list(
    ctx: SiteContext,
    q: { status?: DeliveryStatus | undefined; customerToken?: string | undefined; limit: number; before?: number | undefined },
  ): Promise<{ deliveries: DeliveryView[]; nextCursor: number | null }>;
  /** One delivery of the site. */
  get(ctx: SiteContext, deliveryId: string): Promise<DeliveryView>;
  /** Sends a dead delivery again under the same delivery id. */
  resend(ctx: SiteContext, deliveryId: string): Promise<DeliveryView>;
}

/** The site admins' webhook operations, each scoped to the caller's site. */
export function createWebhooksService({ db, tenancy, visitors, retryPeriodSeconds, signingSecret, kick }: WebhooksServiceDeps): WebhooksService {
  async function settingsView(siteId: number): Promise<WebhookSettingsView> {
    const s = await callbackSettings(tenancy, siteId);
    return { callbackUrl: s.callbackUrl, signingSecret: signingSecret(siteId, s.signingSecretVersion), signingSecretVersion: s.signingSecretVersion };
  }

  /** The deliveries with their customers' tokens. */
  async function present(siteId: number, rows: DeliveryRow[]): Promise<DeliveryView[]> {
    const contacts = await visitors.contacts(siteId, rows.map((r) => r.visitor_id));
    return rows.map((r) => presentDelivery(r, contacts.get(r.visitor_id)?.customerToken ?? null));
  }

  async function requireDelivery(ctx: SiteContext, deliveryId: string): Promise<DeliveryRow> {
    const row = await findDelivery(db, ctx.siteId, deliveryId);
    if (!row) throw new NotFound('delivery', deliveryId);
    return row;
  }

  const one = async (ctx: SiteContext, deliveryId: string) => (await present(ctx.siteId, [await requireDelivery(ctx, deliveryId)]))[0]!;

  return {
    async getSettings(ctx) {
      // The answer holds the signing secret: a read-only partner token must not see it.
      requirePermission(ctx, 'manageSettings', 'see the webhook and its signing secret');
      return settingsView(ctx.siteId);
    },

    async setCallbackUrl(ctx, callbackUrl) {
      requirePermission(ctx, 'manageSettings', 'change the webhook');
      await tenancy.settings.write(ctx.siteId, { callbackUrl: callbackUrl === null ? null : checkCallbackUrl(callbackUrl) });
      return settingsView(ctx.siteId);
    },

    async rotateSecret(ctx) {
      requirePermission(ctx, 'manageSettings', 'change the webhook');
      await tenancy.settings.nextSigningSecretVersion(ctx.siteId);
      return settingsView(ctx.siteId);
    },

    async list(ctx, q) {
      requirePermission(ctx, 'manageSettings', 'see the webhook', true);
      // A customer token names a visitor of the site; an unknown one has no deliveries.
      const visitorId = q.customerToken === undefined ? undefined : await visitors.customers.idOf(ctx.siteId, q.customerToken);
      if (q.customerToken !== undefined && visitorId === undefined) return { deliveries: [], nextCursor: null };
      const rows = await listDeliveries(db, ctx.siteId, { status: q.status, visitorId, limit: q.limit + 1, beforeId: q.before });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return { deliveries: await present(ctx.siteId, page), nextCursor: rows.length > q.limit && last ? last.id : null };
    },

    async get(ctx, deliveryId) {
      requirePermission(ctx, 'manageSettings', 'see the webhook', true);
      return one(ctx, deliveryId);
    },

    /**
     * Sends a dead delivery again under the same delivery id: pending, due now, retried for a new
     * period, its attempts kept. Being its customer's oldest pending delivery, it goes first.
     */
    async resend(ctx, deliveryId) {
      requirePermission(ctx, 'manageSettings', 'change the webhook');
      const before = await requireDelivery(ctx, deliveryId);
      const now = Date.now();
      const revived = await reviveDead(db, ctx.siteId, deliveryId, new Date(now).toISOString(), new Date(now + retryPeriodSeconds * 1000).toISOString());
      if (!revived) throw new InvalidState(`Delivery ${deliveryId} is ${before.status}; only a dead delivery can be re-sent.`);
      kick();
      return one(ctx, deliveryId);
    },
  };
}
