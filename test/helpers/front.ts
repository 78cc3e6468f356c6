// The setting of the browser tests of a partner's own pages: Parley behind the test HTTPS front
// (its hosts under parley.test), a partner "Acme" whose custom domain customer.test is verified (the
// DNS look-up is faked: the verifier reads the records the test "published"), and Chromium.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { type Front, launchChromium, startFront } from './browser.ts';
import { type Running, startParley } from './parley.ts';
import { type ApprovedPartner, approvedPartner } from './partners.ts';

export interface PartnerFront {
  front: Front;
  app: Running;
  browser: Browser;
  acme: ApprovedPartner;
  /** Acme's Parley host, `https://{slug}.parley.test:{port}`. */
  parleyOrigin: string;
  /** Acme's own verified domain. */
  customerOrigin: string;
}

/** Starts the front, Parley (with `env` besides the front's settings) and Chromium, and makes Acme with customer.test verified. */
export async function partnerBehindFront(t: TestContext, env: Record<string, string> = {}): Promise<PartnerFront> {
  const front = await startFront(t, { baseDomain: 'parley.test' });
  const published = new Map<string, string>();
  const app = await startParley(
    t,
    { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: front.origin('parley.test'), PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_LOGIN_RATE_LIMIT: '1000', ...env },
    { domainVerifier: async (host, token) => published.get(host) === token },
  );
  front.proxyTo(app);
  const browser = await launchChromium(t, front);
  const acme = await approvedPartner(app, 'Acme');
  const added = await acme.portal.post('/api/v1/partner/domains', { host: 'customer.test' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  published.set('customer.test', added.body.verification.value.slice('parley-verification='.length));
  const verified = await acme.portal.post(`/api/v1/partner/domains/${added.body.id}/verify`);
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return { front, app, browser, acme, parleyOrigin: front.origin(`${acme.slug}.parley.test`), customerOrigin: front.origin('customer.test') };
}
