// The job that delivers the outbox: one per node, several nodes may share one database. It sends
// each customer's deliveries one at a time in order (only a customer's oldest pending delivery is
// ever sent), up to `concurrency` customers at once, and leases each delivery while sending so
// that no two nodes send it together. A node that dies mid-send leaves a lease that runs out; the
// delivery is then sent again under the same delivery id.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import type { TenancyService } from '../tenancy/index.ts';
import { callbackSettings } from './webhooks.service.ts';
import type { WebhookDelivery, WebhooksTables } from './webhooks.tables.ts';
import {
  claimDelivery, type FailedAttempt, findDueHeadOfCustomer, findDueHeads, markDelivered, markFailed,
} from './webhooks.repository.ts';
import { afterFailure, type RetryPolicy } from './webhooks.retry.ts';
import { signedHeaders } from './webhooks.signature.ts';

export interface WebhookOptions extends RetryPolicy {
  /** Success is HTTP 200 within this time. */
  timeoutMs: number;
  /** Retries stop this long after a delivery was written (or re-sent), and it is dead. */
  retryPeriodSeconds: number;
  pollMs: number;
  /** Customers sent to in parallel by one node. */
  concurrency: number;
}

/** The few logger methods the worker uses (pino's logger fits). */
export interface WorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WorkerDeps {
  db: Kysely<WebhooksTables>;
  tenancy: Pick<TenancyService, 'settings'>;
  options: WebhookOptions;
  /** The site's signing secret of a version (derived, never stored). */
  signingSecret(siteId: number, version: number): string;
  userAgent: string;
  log: WorkerLog;
}

// At most this much of a response body is read (and thrown away); receivers should send none.
const MAX_RESPONSE_BYTES = 4096;
const MAX_ERROR_LENGTH = 200;

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function discardBody(res: Response): Promise<void> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let seen = 0;
  try {
    while (seen < MAX_RESPONSE_BYTES) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The status has arrived; a body cut short does not change the outcome.
  }
}

// Short and free of secrets: no URL (it may carry credentials), no headers.
function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (e?.name === 'TimeoutError') return `no response within ${timeoutMs} ms`;
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const detail = code ?? (typeof e?.cause?.message === 'string' ? e.cause.message : String(e?.message ?? err));
  return `request failed: ${detail}`.slice(0, MAX_ERROR_LENGTH);
}

/** Creates the delivery worker of this node; `start()` it once the node is up. */
export function createWebhookWorker({ db, tenancy, options, signingSecret, userAgent, log }: WorkerDeps) {
  // A lease outlives the longest attempt (the timeout) by a wide margin for slow database writes.
  const leaseMs = options.timeoutMs + 30_000;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let pollAgain = false;
  // A poll found more due customers than free lanes: a lane that ends polls again at once.
  let backlog = false;
  const lanes = new Map<string, Promise<void>>();

  function wake(delayMs: number): void {
    if (!running) return;
    if (polling) {
      if (delayMs === 0) pollAgain = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(runPoll, delayMs);
    timer.unref();
  }

  function runPoll(): void {
    timer = undefined;
    polling = poll()
      .catch((err: unknown) => log.error({ err }, 'webhook poll failed'))
      .finally(() => {
        polling = undefined;
        const again = pollAgain;
        pollAgain = false;
        wake(again ? 0 : options.pollMs);
      });
  }

  async function poll(): Promise<void> {
    const free = options.concurrency - lanes.size;
    if (free <= 0) {
      backlog = true;
      return;
    }
    // Our own lanes' next deliveries may show up too; ask for enough to fill every free lane.
    const limit = free + lanes.size;
    const heads = await findDueHeads(db, new Date().toISOString(), limit);
    backlog = heads.length >= limit;
    for (const head of heads) {
      if (!running || lanes.size >= options.concurrency) break;
      const key = `${head.site_id}:${head.visitor_id}`;
      if (lanes.has(key)) continue;
      lanes.set(
        key,
        lane(head)
          .catch((err: unknown) => log.error({ err, deliveryId: head.delivery_id }, 'webhook delivery failed unexpectedly'))
          .finally(() => {
            lanes.delete(key);
            if (backlog) wake(0);
          }),
      );
    }
  }

  // One customer's deliveries, in order, for as long as they go through (or die) one after another.
  async function lane(first: WebhookDelivery): Promise<void> {
    let next: WebhookDelivery | undefined = first;
    while (next && running) {
      const now = Date.now();
      const leaseUntil = new Date(now + leaseMs).toISOString();
      const claimed = await claimDelivery(db, next, new Date(now).toISOString(), leaseUntil);
      if (!claimed) return; // another node has it, or it is no longer the head
      if (!(await attempt(claimed, leaseUntil))) return; // it waits for its retry, and the customer with it
      next = await findDueHeadOfCustomer(db, first.site_id, first.visitor_id, new Date().toISOString());
    }
  }

  /** Sends one claimed delivery and records the outcome; true when the customer's line moves on. */
  async function attempt(d: WebhookDelivery, leaseUntil: string): Promise<boolean> {
    // Read at send time, so a corrected URL (or rotated secret) helps deliveries already waiting.
    const settings = await callbackSettings(tenancy, d.site_id);
    const outcome: Outcome = settings.callbackUrl
      ? await post(settings.callbackUrl, d, signingSecret(d.site_id, settings.signingSecretVersion))
      : { ok: false, status: null, error: 'the site has no callback URL' };
    const now = new Date();
    if (outcome.ok) {
      await markDelivered(db, d, outcome.status, now.toISOString());
      return true;
    }
    const failure: FailedAttempt = { status: outcome.status, error: outcome.error, next: afterFailure(d.attempts + 1, d.give_up_at, now, options) };
    await markFailed(db, d, leaseUntil, failure);
    if (failure.next.status === 'dead') {
      log.warn({ deliveryId: d.delivery_id, siteId: d.site_id, attempts: d.attempts + 1, lastError: outcome.error }, 'webhook delivery is dead');
      return true;
    }
    return false;
  }

  async function post(url: string, d: WebhookDelivery, secret: string): Promise<Outcome> {
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: signedHeaders({ secret, deliveryId: d.delivery_id, timestamp, body: d.body, userAgent }),
        body: d.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await discardBody(res);
      if (res.status === 200) return { ok: true, status: 200 };
      return { ok: false, status: res.status, error: `HTTP ${res.status}, not 200` };
    } catch (err) {
      return { ok: false, status: null, error: describeError(err, options.timeoutMs) };
    }
  }

  return {
    /** Starts polling (idempotent). */
    start(): void {
      if (running) return;
      running = true;
      wake(0);
    },

    /** Looks for due deliveries now rather than at the next poll (e.g. after a commit that wrote some). */
    kick(): void {
      wake(0);
    },

    /** Stops polling and waits for the attempts under way, at most a little longer than the timeout. */
    async stop(): Promise<void> {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      const inFlight = [...lanes.values(), ...(polling ? [polling] : [])];
      if (inFlight.length === 0) return;
      const bound = new AbortController();
      await Promise.race([
        Promise.allSettled(inFlight),
        sleep(options.timeoutMs + 2000, undefined, { signal: bound.signal, ref: false }).catch(() => {}),
      ]);
      bound.abort();
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;
