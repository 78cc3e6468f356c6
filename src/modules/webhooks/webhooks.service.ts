// Webhooks of a site: writing deliveries into the outbox (inside the caller's transaction), the
// callback URL and signing secret, and the site admins' view of deliveries with re-sending.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { requireSiteAdmin, type SiteContext } from '../../platform/context.ts';
import type { DB, DeliveryStatus } from '../../platform/db/schema.ts';
import { BadRequest, InvalidState, NotFound } from '../../platform/errors.ts';
import {
  bumpSigningSecretVersion, type DeliveryRow, findCallbackSettings, findDelivery, insertDelivery, listDeliveries, reviveDead,
  upsertCallbackUrl,
} from './webhooks.repository.ts';

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
export function presentDelivery(d: DeliveryRow): DeliveryView {
  const pending = d.status === 'pending';
  return {
    deliveryId: d.delivery_id,
    status: d.status,
    event: d.event,
    customerToken: d.customer_token,
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

interface Deps {
  db: Kysely<DB>;
  retryPeriodSeconds: number;
  signingSecret(siteId: number, version: number): string;
  /** Wakes the delivery worker (after a re-send). */
  kick(): void;
}

/** Writes deliveries into the outbox; see `WebhooksService.enqueue`. */
export function createEnqueue(retryPeriodSeconds: number) {
  return async function enqueue(db: Kysely<DB> | Transaction<DB>, input: NewDelivery): Promise<string | null> {
    const settings = await findCallbackSettings(db, input.siteId);
    if (!settings.callbackUrl) return null;
    const now = Date.now();
    const deliveryId = randomUUID();
    await insertDelivery(db, {
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
export function createWebhooksService({ db, retryPeriodSeconds, signingSecret, kick }: Deps) {
  async function settingsView(siteId: number): Promise<WebhookSettingsView> {
    const s = await findCallbackSettings(db, siteId);
    return { callbackUrl: s.callbackUrl, signingSecret: signingSecret(siteId, s.signingSecretVersion), signingSecretVersion: s.signingSecretVersion };
  }

  async function requireDelivery(ctx: SiteContext, deliveryId: string): Promise<DeliveryRow> {
    const row = await findDelivery(db, ctx.siteId, deliveryId);
    if (!row) throw new NotFound('delivery', deliveryId);
    return row;
  }

  return {
    /** The site's callback URL and current signing secret. */
    async getSettings(ctx: SiteContext): Promise<WebhookSettingsView> {
      requireSiteAdmin(ctx);
      return settingsView(ctx.siteId);
    },

    /** Sets (or, with null, clears) the callback URL; pending deliveries go to the new one. */
    async setCallbackUrl(ctx: SiteContext, callbackUrl: string | null): Promise<WebhookSettingsView> {
      requireSiteAdmin(ctx);
      await upsertCallbackUrl(db, ctx.siteId, callbackUrl === null ? null : checkCallbackUrl(callbackUrl));
      return settingsView(ctx.siteId);
    },

    /** Replaces the signing secret at once: every attempt from now on is signed with the new one. */
    async rotateSecret(ctx: SiteContext): Promise<WebhookSettingsView> {
      requireSiteAdmin(ctx);
      await bumpSigningSecretVersion(db, ctx.siteId);
      return settingsView(ctx.siteId);
    },

    /** The site's deliveries, newest first; `nextCursor` is the `before` of the next page. */
    async list(
      ctx: SiteContext,
      q: { status?: DeliveryStatus | undefined; customerToken?: string | undefined; limit: number; before?: number | undefined },
    ): Promise<{ deliveries: DeliveryView[]; nextCursor: number | null }> {
      requireSiteAdmin(ctx);
      const rows = await listDeliveries(db, ctx.siteId, { status: q.status, customerToken: q.customerToken, limit: q.limit + 1, beforeId: q.before });
      const page = rows.slice(0, q.limit);
      const last = page.at(-1);
      return { deliveries: page.map(presentDelivery), nextCursor: rows.length > q.limit && last ? last.id : null };
    },

    /** One delivery of the site. */
    async get(ctx: SiteContext, deliveryId: string): Promise<DeliveryView> {
      requireSiteAdmin(ctx);
      return presentDelivery(await requireDelivery(ctx, deliveryId));
    },

    /**
     * Sends a dead delivery again under the same delivery id: pending, due now, retried for a new
     * period, its attempts kept. Being its customer's oldest pending delivery, it goes first.
     */
    async resend(ctx: SiteContext, deliveryId: string): Promise<DeliveryView> {
      requireSiteAdmin(ctx);
      const before = await requireDelivery(ctx, deliveryId);
      const now = Date.now();
      const revived = await reviveDead(db, ctx.siteId, deliveryId, new Date(now).toISOString(), new Date(now + retryPeriodSeconds * 1000).toISOString());
      if (!revived) throw new InvalidState(`Delivery ${deliveryId} is ${before.status}; only a dead delivery can be re-sent.`);
      kick();
      return presentDelivery(await requireDelivery(ctx, deliveryId));
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
