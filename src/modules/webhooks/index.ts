// Durable webhooks: an outbox written by listeners of the event log (or in a caller's
// transaction), a worker per node that delivers it (signed, in order per customer, retried with
// backoff until dead), and the site admins' API.
import type { Kysely } from 'kysely';
import type { Job, ParleyModule } from '../../platform/module.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import { registerWebhookRoutes } from './webhooks.routes.ts';
import { createEnqueue, createWebhooksService, type Enqueue, type WebhooksService } from './webhooks.service.ts';
import type { WebhooksTables } from './webhooks.tables.ts';
import { createWebhookWorker, type WebhookOptions, type WorkerLog } from './webhooks.worker.ts';

export type { DeliveryView, Enqueue, NewDelivery, WebhookSettingsView, WebhooksService } from './webhooks.service.ts';
export { SIGNATURE_TOLERANCE_SECONDS, type SignedRequest, signPayload, verifySignature } from './webhooks.signature.ts';
export type { WebhookOptions } from './webhooks.worker.ts';

export interface WebhooksDeps {
  db: Kysely<WebhooksTables>;
  tenancy: Pick<TenancyService, 'settings'>;
  visitors: Pick<VisitorsService, 'contacts' | 'customers'>;
  options: WebhookOptions;
  /** A site's signing secret of a given version; derived from the server secret, never stored. */
  signingSecret(siteId: number, version: number): string;
  /** The User-Agent of every request, e.g. `Parley-Webhooks/1.2.0`. */
  userAgent: string;
  log: WorkerLog;
}

/** The webhooks module's door. */
export interface Webhooks {
  /**
   * Writes a pending delivery into the outbox through `ex` (a transaction, so that it commits with
   * what it reports) and returns its delivery id; null, writing nothing, when the site has no
   * callback URL: there is nowhere to deliver to, and setting a URL later does not replay earlier
   * events. Call `kick()` after the commit to send without waiting for the next poll.
   */
  enqueue: Enqueue;
  /** Wakes this node's worker to look for due deliveries now. */
  kick(): void;
  /** The site admins' operations. */
  admin: WebhooksService;
}

/** The webhooks module: the outbox, its delivery worker (a job of every node) and the admins' routes. */
export function createWebhooksModule(deps: WebhooksDeps): ParleyModule<Webhooks> {
  const worker = createWebhookWorker(deps);
  const admin = createWebhooksService({ ...deps, retryPeriodSeconds: deps.options.retryPeriodSeconds, kick: worker.kick });
  const delivery: Job = { name: 'webhook delivery', start: () => worker.start(), stop: () => worker.stop() };
  return {
    service: { enqueue: createEnqueue(deps.tenancy, deps.options.retryPeriodSeconds), kick: worker.kick, admin },
    routes: (http) => registerWebhookRoutes(http, admin),
    jobs: [delivery],
  };
}
