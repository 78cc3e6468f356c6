// Test sign-in: a partner's admin checks its identity provider set-up from the portal without
// signing anyone in. The portal asks for a ticket (one use, two minutes); the ticket's address
// starts the partner's real sign-in flow carrying a marker: for SAML the stored request's return
// address (kept by Parley, never sent out), for JWT a sealed return address the login page hands
// back with the token. When the Response or token comes back with it, the sso service checks it
// exactly as at a sign-in, finds the agent it would sign in without creating or linking anyone, and
// the result is a page saying what was found or why it was refused (docs/sso.md, "Test sign-in").
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { seal, unseal } from '../../platform/crypto/seal.ts';
import { BadRequest, InvalidState, NotFound } from '../../platform/errors.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { JWT_SKEW_SECONDS } from './sso.jwt.ts';
import type { OriginPolicy } from './sso.origins.ts';
import { esc, type PageOptions } from './sso.pages.ts';
import { recordUsedId } from './sso.repository.ts';
import { SAML_REQUEST_TTL_MS } from './sso.saml.messages.ts';
import type { SamlServiceProvider } from './sso.saml.ts';
import type { SsoSettingsStore, SsoType } from './sso.settings.ts';
import type { SsoTables } from './sso.tables.ts';

/** How long the portal's ticket may wait before its window opens it. */
export const TICKET_TTL_MS = 2 * 60_000;
/** Where a JWT test's login page sends the browser back to (with the sealed marker). */
export const TEST_RESULT_PATH = '/sso/test/result';
/**
 * The return address stored with a SAML test's request. Not a URL: a real sign-in's return address
 * is always an absolute http(s) URL (sso.origins.ts), so no real sign-in can carry it.
 */
const SAML_TEST_RETURN = 'sso-test:saml';

/** A ticket or a JWT test's marker, sealed: which partner's set-up, which site, which origin. */
interface Sealed {
  v: 1;
  stage: 'ticket' | 'return';
  partnerId: number;
  type: SsoType;
  siteId: number | null;
  /** JWT marker: the origin the test started on, where the token must come back to. */
  origin: string | null;
  nonce: string;
  /** Expiry, ms since the epoch. */
  exp: number;
}

/** A JWT test's marker, claimed once its login page sent the browser back. */
export interface TestMarker {
  partnerId: number;
  origin: string;
}

/** What a test found: what the IdP said, the agent it means, and why it failed, if it did. */
export interface TestResult {
  type: SsoType;
  /** What the identity provider said about the person, once its message was accepted. */
  identity: { id: string | null; email: string | null; name: string | null } | null;
  siteId: number | null;
  /** The agent a sign-in would be: an existing one (maybe linked now to the IdP's id), or one made at first sign-in. */
  match: { kind: 'agent'; agentId: number; name: string; email: string; linksExternalId: string | null } | { kind: 'create'; email: string; name: string } | null;
  /** The IdP's clock minus Parley's, in seconds, from the message's issue time. */
  clockOffsetSeconds: number | null;
  /** Why it failed, as the check that refused it said; null: it works. */
  failure: string | null;
}

interface Deps {
  db: Kysely<SsoTables>;
  /** Seals tickets and markers (a key derived for this purpose only). */
  sealKey: string;
  settings: SsoSettingsStore;
  saml: SamlServiceProvider;
  tenancy: Pick<TenancyService, 'siteState'>;
  origins: OriginPolicy;
}

/** Test sign-in: tickets for the portal, starting a test, and the JWT test's marker. */
export function createSigninTests({ db, sealKey, settings, saml, tenancy, origins }: Deps) {
  const expired = () => new BadRequest('This test sign-in is not valid or has expired: start a new one from the partner portal.', { reason: 'sso-test' });

  function open(text: string, stage: Sealed['stage']): Sealed {
    let value: Sealed;
    try {
      value = JSON.parse(unseal(sealKey, text)) as Sealed;
    } catch {
      throw expired();
    }
    if (value.v !== 1 || value.stage !== stage || value.exp <= Date.now()) throw expired();
    return value;
  }

  /** Uses up a ticket or marker; a second use is refused. */
  async function spend(s: Sealed): Promise<void> {
    const fresh = await recordUsedId(db, { partner_id: s.partnerId, kind: s.type === 'SAML' ? 'saml' : 'jwt', value: `test-${s.stage}:${s.nonce}`, expires_at: new Date(s.exp + 60_000).toISOString() });
    if (!fresh) throw new BadRequest('This test sign-in was used already: start a new one from the partner portal.', { reason: 'sso-test' });
  }

  /** Refuses a test opened on another partner's host. */
  function sameHost(s: Sealed, arrival: { hostPartnerId: number | null }): void {
    if (arrival.hostPartnerId !== null && arrival.hostPartnerId !== s.partnerId) throw expired();
  }

  const sealed = (s: Omit<Sealed, 'v' | 'nonce'>) => seal(sealKey, JSON.stringify({ v: 1, nonce: randomBytes(12).toString('base64url'), ...s }));

  return {
    /**
     * A ticket for the partner's portal user: the address that starts a test of `type` (SAML
     * needs the site whose agents the person is looked up in; a JWT names its site itself).
     */
    async issue(partnerId: number, type: SsoType, siteId: number | undefined): Promise<{ url: string; expiresAt: string }> {
      const set = type === 'SAML' ? await settings.saml(partnerId) : await settings.jwt(partnerId);
      if (!set) throw new InvalidState(`${type} sign-on is not set up; save its settings first.`);
      if (type === 'SAML') {
        if (siteId === undefined) throw new BadRequest('Choose the site whose agents the test looks the person up in (siteId).', { errors: [{ path: '/siteId', message: 'required for SAML' }] });
        const site = await tenancy.siteState(siteId);
        if (!site || site.partnerId !== partnerId) throw new NotFound('site', siteId);
      }
      const origin = await origins.signInOrigin(partnerId);
      const exp = Date.now() + TICKET_TTL_MS;
      const ticket = sealed({ stage: 'ticket', partnerId, type, siteId: type === 'SAML' ? (siteId ?? null) : null, origin: null, exp });
      return { url: `${origin}/sso/test?ticket=${encodeURIComponent(ticket)}`, expiresAt: new Date(exp).toISOString() };
    },

    /** Starts a test from its ticket (once): the address of the partner's IdP to send the browser to. */
    async start(ticket: string, arrival: { origin: string; hostPartnerId: number | null }): Promise<string> {
      const s = open(ticket, 'ticket');
      sameHost(s, arrival);
      await spend(s);
      // As at a sign-in, the ACS and return addresses are on the host the browser came to.
      if (s.type === 'SAML') {
        const config = await settings.saml(s.partnerId);
        if (!config) throw new BadRequest('SAML sign-on is no longer set up.', { reason: 'sso-test' });
        return saml.loginUrl(config, s.siteId!, arrival.origin, SAML_TEST_RETURN);
      }
      const config = await settings.jwt(s.partnerId);
      if (!config) throw new BadRequest('JWT sign-on is no longer set up.', { reason: 'sso-test' });
      const marker = sealed({ stage: 'return', partnerId: s.partnerId, type: 'JWT', siteId: null, origin: arrival.origin, exp: Date.now() + SAML_REQUEST_TTL_MS });
      const url = new URL(config.loginUrl);
      url.searchParams.set('return_to', `${arrival.origin}${TEST_RESULT_PATH}?marker=${encodeURIComponent(marker)}`);
      return url.toString();
    },

    /** Whether a stored SAML request was made by a test. */
    isSamlTest: (storedReturnTo: string) => storedReturnTo === SAML_TEST_RETURN,

    /**
     * The marker of a JWT test when `returnTo` is a test's return address (null: a real sign-in),
     * used up now; a forged, expired or used one is refused before the token is read.
     */
    async claimReturn(returnTo: string | undefined, arrival: { hostPartnerId: number | null }): Promise<TestMarker | null> {
      const marker = markerIn(returnTo);
      if (marker === null) return null;
      const s = open(marker, 'return');
      sameHost(s, arrival);
      await spend(s);
      return { partnerId: s.partnerId, origin: s.origin! };
    },

    /** Checks the marker of a return address reached without a token (not used up). */
    peekReturn(marker: string, arrival: { hostPartnerId: number | null }): TestMarker {
      const s = open(marker, 'return');
      sameHost(s, arrival);
      return { partnerId: s.partnerId, origin: s.origin! };
    },
  };
}

export type SigninTests = ReturnType<typeof createSigninTests>;

/** The sealed marker in a test's return address, or null for any other address. */
function markerIn(returnTo: string | undefined): string | null {
  if (!returnTo) return null;
  let url: URL;
  try {
    url = new URL(returnTo, 'https://return.invalid');
  } catch {
    return null;
  }
  if (url.pathname !== TEST_RESULT_PATH) return null;
  // A test's address without its marker is a test gone wrong, not a return address.
  return url.searchParams.get('marker') ?? '';
}

/** A test that has not got far yet. */
export const startedResult = (type: SsoType, siteId: number | null): TestResult => ({ type, identity: null, siteId, match: null, clockOffsetSeconds: null, failure: null });

const AFTER = '<p class="muted">This was a test: nobody was signed in and nothing was changed. You can close this window.</p>';

/** The page of a test's result: what the IdP said, the agent that means, or exactly why it failed. */
export function testResultPage(r: TestResult): PageOptions {
  const ok = r.failure === null;
  const title = ok ? `${r.type} sign-in works` : `${r.type} sign-in failed`;
  const parts = [`<h1>${esc(title)}</h1>`];
  if (!ok) parts.push(`<p class="error" role="alert" data-testid="sso-test-failure">${esc(r.failure!)}</p>`);
  if (r.identity) {
    const who = r.identity.email ?? r.identity.id ?? '';
    const id = r.identity.id && r.identity.id !== r.identity.email ? ` (its id for the person: <code>${esc(r.identity.id)}</code>)` : '';
    parts.push(`<p data-testid="sso-test-identity">Your identity provider says: <strong>${esc(who)}</strong>${r.identity.name ? `, ${esc(r.identity.name)}` : ''}${id}.</p>`);
  }
  const site = r.siteId === null ? 'the site' : `site ${esc(r.siteId)}`;
  if (r.match?.kind === 'agent') {
    const link = r.match.linksExternalId ? ` A first real sign-in links this agent to the identity provider's id <code>${esc(r.match.linksExternalId)}</code>.` : '';
    parts.push(`<p data-testid="sso-test-agent">That is agent <strong>${esc(r.match.name)}</strong> (${esc(r.match.email)}, agent ${esc(r.match.agentId)}) of ${site}.${link}</p>`);
  } else if (r.match?.kind === 'create') {
    parts.push(`<p data-testid="sso-test-agent">${site[0]!.toUpperCase()}${site.slice(1)} has no agent for this person yet: the first sign-in creates agent <strong>${esc(r.match.name)}</strong> (${esc(r.match.email)}), as agents are created at first sign-in.</p>`);
  }
  if (r.clockOffsetSeconds !== null) {
    const s = r.clockOffsetSeconds;
    const clock = s === 0 ? 'agrees with Parley’s' : `is ${Math.abs(s)} s ${s > 0 ? 'ahead of' : 'behind'} Parley’s`;
    parts.push(`<p class="muted">The identity provider’s clock ${clock} (at most ${JWT_SKEW_SECONDS} s either way are accepted).</p>`);
  }
  parts.push(AFTER);
  return { title, body: `<div data-testid="sso-test-result" data-outcome="${ok ? 'works' : 'failed'}">${parts.join('\n')}</div>` };
}

/** The page when a JWT test's login page sent the browser straight back, without a token. */
export function noTokenPage(origin: string): PageOptions {
  const title = 'JWT sign-in failed';
  return {
    title,
    body: `<div data-testid="sso-test-result" data-outcome="failed"><h1>${esc(title)}</h1>
<p class="error" role="alert" data-testid="sso-test-failure">Your login page sent the browser back to the return address without a token. It must send it to <code>${esc(origin)}/sso/jwt</code> with <code>jwt</code> (the signed token) and <code>return_to</code> (the return address it was given, unchanged).</p>
${AFTER}</div>`,
  };
}
