// Durable webhooks: an outbox written in the caller's transaction, a worker per node that delivers
// it (signed, in order per customer, retried with backoff until dead), and the site admins' API.
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { createEnqueue, createWebhooksService } from './webhooks.service.ts';
import { createWebhookWorker, type WebhookOptions, type WorkerLog } from './webhooks.worker.ts';

export interface WebhooksDeps {
  db: Kysely<DB>;
  options: WebhookOptions;
  /** A site's signing secret of a given version; derived from the server secret, never stored. */
  signingSecret(siteId: number, version: number): string;
  /** The User-Agent of every request, e.g. `Parley-Webhooks/1.2.0`. */
  userAgent: string;
  log: WorkerLog;
}

/** Builds the webhooks module of a node: the enqueue function, the worker and the service. */
export function createWebhooks(deps: WebhooksDeps) {
  const worker = createWebhookWorker(deps);
  const service = createWebhooksService({ db: deps.db, retryPeriodSeconds: deps.options.retryPeriodSeconds, signingSecret: deps.signingSecret, kick: worker.kick });
  return {
    /**
     * Writes a pending delivery into the outbox and returns its delivery id; call it inside the
     * transaction that writes what it reports, so both commit or neither. Returns null, writing
     * nothing, when the site has no callback URL: there is nowhere to deliver to, and setting a URL
     * later does not replay earlier events. Call `kick()` after the commit to send without waiting
     * for the next poll.
     */
    enqueue: createEnqueue(deps.options.retryPeriodSeconds),
    /** Wakes this node's worker to look for due deliveries now. */
    kick: worker.kick,
    worker,
    service,
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;
export { registerWebhookRoutes } from './webhooks.routes.ts';
export type { DeliveryView, NewDelivery, WebhookSettingsView, WebhooksService } from './webhooks.service.ts';
export { SIGNATURE_TOLERANCE_SECONDS, type SignedRequest, signPayload, verifySignature } from './webhooks.signature.ts';
export type { WebhookOptions, WebhookWorker } from './webhooks.worker.ts';
