// IM API test helpers: a site with an IM API key and a callback receiver, an IM client that
// speaks the spec's shapes, and the webhook bodies the receiver saw, checked for signature.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { verifySignature } from '../../src/modules/webhooks/index.ts';
import { type ApiResponse, call, client } from './api.ts';
import { createSite, type TestSite } from './factories.ts';
import type { Running } from './parley.ts';
import { receiver } from './receiver.ts';

/** Fast webhook retries for tests (the 10 s default timeout is kept unless a test overrides it). */
export const FAST_WEBHOOKS = {
  PARLEY_WEBHOOK_POLL_MS: '50',
  PARLEY_WEBHOOK_BACKOFF_BASE_MS: '20',
  PARLEY_WEBHOOK_BACKOFF_MAX_MS: '200',
};

/** A client of the IM API with one key. */
export function imClient(baseUrl: string, key: string) {
  return {
    get: (path: string) => call(baseUrl, 'GET', path, { token: key }),
    post: (path: string, body?: unknown) => call(baseUrl, 'POST', path, { token: key, body }),
    put: (path: string, body?: unknown) => call(baseUrl, 'PUT', path, { token: key, body }),
  };
}

export type ImClient = ReturnType<typeof imClient>;

/** Asserts a spec-shaped success (`code` 1000) and returns the body. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field
export function ok(res: ApiResponse): any {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal((res.body as { code: number }).code, 1000, JSON.stringify(res.body));
  return res.body;
}

/** Creates an IM API key for the site through the native API. */
export async function createImKey(app: Running, site: TestSite, name = 'app'): Promise<string> {
  const res = await client(app.url, site.admin.token).post('/api/v1/im/keys', { name });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.key as string;
}

/**
 * A site ready for the IM API: a key, and a callback receiver whose every request is checked for
 * its signature. `replies()` are the parsed bodies the receiver accepted, once per delivery id.
 */
export async function imSite(t: TestContext, app: Running) {
  const site = await createSite(app);
  const key = await createImKey(app, site);
  const hook = await receiver(t);
  const admin = client(app.url, site.admin.token);
  const set = await admin.put('/api/v1/im/webhook', { callbackUrl: hook.url });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const secret = (await admin.get('/api/v1/im/webhook')).body.signingSecret as string;
  const api = imClient(app.url, key);
  return {
    site,
    key,
    hook,
    secret,
    api,
    admin,
    /** The bodies the receiver accepted with 200, each delivery once, in arrival order; all signatures verified. */
    // biome-ignore lint/suspicious/noExplicitAny: tests read webhook bodies field by field
    replies(customerToken?: string): any[] {
      const seen = new Set<string>();
      // biome-ignore lint/suspicious/noExplicitAny: as above
      const out: any[] = [];
      for (const r of hook.seen) {
        assert.ok(verifySignature(secret, r), `delivery ${r.deliveryId} must carry a valid signature`);
        if (r.answered !== 200 || seen.has(r.deliveryId)) continue;
        seen.add(r.deliveryId);
        const body = JSON.parse(r.body);
        if (customerToken === undefined || body.customer_token === customerToken) out.push(body);
      }
      return out;
    },
  };
}

export type ImSite = Awaited<ReturnType<typeof imSite>>;
