// Signing agents in with their partner's identity provider, and out again: who the agent is (by
// the partner's id for them, else e-mail; created at first sign-in if the partner allows), one use
// per token, sessions started and ended.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { BadRequest, DomainError, Forbidden, NotFound, Unauthorized } from '../../platform/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AgentsService, SignInAgent } from '../agents/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { JWT_SKEW_SECONDS, unverifiedSiteId, verifySsoJwt } from './sso.jwt.ts';
import type { OriginPolicy } from './sso.origins.ts';
import { forgetExpired, samlPartnersOfIssuer, recordUsedId } from './sso.repository.ts';
import type { AnsweredResponse, SamlServiceProvider } from './sso.saml.ts';
import type { SamlConfig, SsoSettingsStore, SsoType } from './sso.settings.ts';
import { type SigninTests, startedResult, type TestMarker, type TestResult } from './sso.signin-test.ts';
import type { SsoTables } from './sso.tables.ts';

interface Deps {
  db: Kysely<SsoTables>;
  identity: IdentityService;
  tenancy: Pick<TenancyService, 'siteState'>;
  agents: Pick<AgentsService, 'signIn'>;
  settings: SsoSettingsStore;
  saml: SamlServiceProvider;
  origins: OriginPolicy;
  /** Test sign-ins: their markers (sso.signin-test.ts). */
  tests: SigninTests;
  /** Called with the sessions a logout ended (to close their real-time connections). */
  onSessionsEnded: (ended: { agentId: number; sessionId: number }[]) => Promise<void>;
}

/** Where a request came to: its origin and the partner whose host it is (null: Parley's own). */
export interface Arrival {
  origin: string;
  hostPartnerId: number | null;
}

export interface StartedSession {
  token: string;
  expiresAt: string;
  agentId: number;
  siteId: number;
  sessionId: number;
}

/**
 * What a sign-in's answer led to: a session and where to go, or (a test sign-in) the result page's
 * findings, with nobody signed in.
 */
export type SignInOutcome = { kind: 'session'; session: StartedSession; returnTo: string } | { kind: 'test'; result: TestResult };

/** Who an identity provider vouched for. */
interface Who {
  externalId: string | null;
  email: string | null;
  name: string | null;
}

/** The agent a sign-in means: one the site has (to link to the IdP's id, maybe), or one to create. */
type AgentMatch = { kind: 'agent'; agent: SignInAgent; linkExternalId: string | null } | { kind: 'create'; email: string; name: string };

const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}$/;

/** The single sign-on flows. */
export function createSsoService({ db, identity, tenancy, agents, settings, saml, origins, tests, onSessionsEnded }: Deps) {
  /** A site that can be signed in to, with its partner; refuses others. */
  async function openSite(siteId: number, arrival: Arrival) {
    const site = await tenancy.siteState(siteId);
    if (!site || (arrival.hostPartnerId !== null && site.partnerId !== arrival.hostPartnerId)) throw new NotFound('site', siteId);
    if (!site.open) throw new Forbidden('This site is not available.', { reason: 'site-closed' });
    return { id: site.id, partner_id: site.partnerId };
  }

  /** The site's agent with that external id, else with that e-mail. */
  async function findAgent(siteId: number, who: { externalId: string | null; email: string | null }): Promise<(SignInAgent & { byExternalId: boolean }) | undefined> {
    const byId = who.externalId ? await agents.signIn.byExternalId(siteId, who.externalId) : undefined;
    if (byId) return { ...byId, byExternalId: true };
    const byEmail = who.email ? await agents.signIn.byEmail(siteId, who.email.toLowerCase()) : undefined;
    return byEmail && { ...byEmail, byExternalId: false };
  }

  /**
   * The agent an identity provider vouched for, decided without changing anything: the site's agent
   * with that external id, else with that e-mail (unless it is linked to another external id), or
   * one to create if the partner allows. Refusals are thrown.
   */
  async function matchAgent(siteId: number, who: Who, jit: boolean): Promise<AgentMatch> {
    const agent = await findAgent(siteId, who);
    if (agent && !agent.byExternalId && agent.externalId && who.externalId && agent.externalId !== who.externalId) {
      throw new Forbidden('The agent with this e-mail is linked to another identity of the partner.', { reason: 'sso-identity-mismatch' });
    }
    if (agent) {
      if (!agent.isActive) throw new Forbidden('This agent is disabled.', { reason: 'agent-disabled' });
      return { kind: 'agent', agent, linkExternalId: who.externalId && !agent.externalId ? who.externalId : null };
    }
    if (!jit) throw new Forbidden('No agent of this site matches the signed-in user, and the partner does not create agents at first sign-in.', { reason: 'no-agent' });
    if (!who.email || !EMAIL.test(who.email)) throw new Forbidden('The identity provider sent no e-mail address to create the agent with.', { reason: 'no-agent' });
    const email = who.email.toLowerCase();
    return { kind: 'create', email, name: who.name || email.split('@')[0]! };
  }

  /** The agent an identity provider vouched for, linked to its external id or created as matchAgent decides. */
  async function agentFor(siteId: number, who: Who, jit: boolean): Promise<SignInAgent> {
    const match = await matchAgent(siteId, who, jit);
    if (match.kind === 'agent') {
      if (match.linkExternalId) await agents.signIn.linkExternalId(match.agent.id, match.linkExternalId);
      return match.agent;
    }
    try {
      return await agents.signIn.create(siteId, { email: match.email, name: match.name, externalId: who.externalId });
    } catch (err) {
      if (isUniqueViolation(err)) return agentFor(siteId, who, false); // a racing first sign-in made it
      throw err;
    }
  }

  /**
   * A test sign-in's findings: `steps` fills in the result as it goes (what the IdP said, the
   * site); the agent is matched without creating or linking anyone. A refusal on the way is the
   * result's failure, in the words of the check that refused it.
   */
  async function testResult(base: TestResult, steps: (r: TestResult) => Promise<{ siteId: number; who: Who; jit: boolean }>): Promise<TestResult> {
    const r = { ...base };
    try {
      const { siteId, who, jit } = await steps(r);
      const match = await matchAgent(siteId, who, jit);
      r.match =
        match.kind === 'agent'
          ? { kind: 'agent', agentId: match.agent.id, name: match.agent.name, email: match.agent.email, linksExternalId: match.linkExternalId }
          : { kind: 'create', email: match.email, name: match.name };
    } catch (err) {
      if (!(err instanceof DomainError) || err.status >= 500) throw err;
      r.failure = err.message;
    }
    return r;
  }

  /** A SAML test's Response, checked as at a sign-in (the request is used up). */
  function samlTest(answer: AnsweredResponse, arrival: Arrival): Promise<TestResult> {
    return testResult(startedResult('SAML', answer.req.site_id), async (r) => {
      // Unverified, but told even when the Response is refused: skewed clocks are a common cause.
      const issued = Date.parse(answer.root.getAttribute('IssueInstant') ?? '');
      if (Number.isFinite(issued)) r.clockOffsetSeconds = Math.round((issued - Date.now()) / 1000);
      const login = await saml.acs(answer, arrival.origin, (partnerId) => settings.saml(partnerId));
      const nameIsEmail = EMAIL.test(login.nameId);
      const who = { externalId: nameIsEmail ? null : login.nameId, email: login.email ?? (nameIsEmail ? login.nameId : null), name: login.name };
      r.identity = { id: login.nameId, email: who.email, name: who.name };
      if (login.issuedAt !== null) r.clockOffsetSeconds = Math.round((login.issuedAt - Date.now()) / 1000);
      const site = await openSite(login.siteId, arrival);
      return { siteId: site.id, who, jit: (await settings.saml(login.partnerId))?.jitProvisioning ?? false };
    });
  }

  /** A JWT test's token, checked as at a sign-in (its jti is used up), for the marker's partner only. */
  function jwtTest(token: string, marker: TestMarker, arrival: Arrival): Promise<TestResult> {
    return testResult(startedResult('JWT', null), async (r) => {
      if (arrival.origin !== marker.origin) {
        throw new BadRequest(`The token came to ${arrival.origin}, but the sign-in started at ${marker.origin}: your login page must send the browser to ${marker.origin}/sso/jwt, where the session is kept.`);
      }
      const siteId = unverifiedSiteId(token);
      r.siteId = siteId;
      const state = await tenancy.siteState(siteId);
      if (!state || state.partnerId !== marker.partnerId) throw new BadRequest(`Site ${siteId}, which the token's site_id claim names, is not one of your sites.`);
      const site = await openSite(siteId, arrival);
      const { claims, config } = await jwtClaims(token, site);
      r.identity = { id: claims.externalId, email: claims.email, name: claims.name };
      r.clockOffsetSeconds = claims.iat - Math.round(Date.now() / 1000);
      return { siteId: site.id, who: { externalId: claims.externalId, email: claims.email, name: claims.name }, jit: config.jitProvisioning };
    });
  }

  /** The verified claims of a token for `site` (the one it names), with its partner's settings; uses up its jti. */
  async function jwtClaims(token: string, site: { partner_id: number }) {
    const config = await settings.jwt(site.partner_id);
    if (!config) throw new Unauthorized('The site’s partner does not use JWT sign-on.', { reason: 'jwt' });
    const claims = await verifySsoJwt(token, config.key);
    const fresh = await recordUsedId(db, { partner_id: config.partnerId, kind: 'jwt', value: claims.jti, expires_at: new Date((claims.iat + 2 * JWT_SKEW_SECONDS + 60) * 1000).toISOString() });
    if (!fresh) throw new Unauthorized('The sign-in token was refused: it was already used (jti).', { reason: 'jwt' });
    return { claims, config };
  }

  async function end(ended: { agentId: number; sessionId: number }[]) {
    if (ended.length > 0) await onSessionsEnded(ended);
  }

  return {
    /** Where an agent who is not signed in to a site goes: the partner's primary sign-on, or null. */
    async signInUrl(siteId: number, arrival: Arrival, returnTo: string): Promise<{ url: string; type: SsoType } | null> {
      const site = await openSite(siteId, arrival);
      const target = await origins.returnTo(returnTo, site.partner_id, arrival.origin);
      const type = await settings.primary(site.partner_id);
      if (type === 'SAML') {
        const config = (await settings.saml(site.partner_id))!;
        return { type, url: await saml.loginUrl(config, site.id, arrival.origin, target) };
      }
      if (type === 'JWT') {
        const config = (await settings.jwt(site.partner_id))!;
        const url = new URL(config.loginUrl);
        url.searchParams.set('return_to', target);
        return { type, url: url.toString() };
      }
      return null;
    },

    /** Completes a SAML sign-in at the ACS: the session and where to go, or a test's findings. */
    async samlLogin(b64: string, relayState: string | undefined, arrival: Arrival): Promise<SignInOutcome> {
      const answer = await saml.answered(b64);
      if (tests.isSamlTest(answer.req.return_to)) return { kind: 'test', result: await samlTest(answer, arrival) };
      const login = await saml.acs(answer, arrival.origin, (partnerId) => settings.saml(partnerId));
      // RelayState normally echoes the request's id (the return address stays with Parley); an
      // address the IdP put there instead must still be one of the allowed ones.
      const returnTo = relayState && relayState !== login.requestId && relayState !== login.returnTo ? await origins.returnTo(relayState, login.partnerId, arrival.origin) : login.returnTo;
      const site = await openSite(login.siteId, arrival);
      const config = await settings.saml(login.partnerId);
      // An e-mail NameID is matched as an e-mail (case does not matter); any other is the IdP's id.
      const nameIsEmail = EMAIL.test(login.nameId);
      const email = login.email ?? (nameIsEmail ? login.nameId : null);
      const agent = await agentFor(site.id, { externalId: nameIsEmail ? null : login.nameId, email, name: login.name }, config?.jitProvisioning ?? false);
      const session = await identity.startAgentSession(agent.id, site.id, {
        method: 'saml',
        partnerId: login.partnerId,
        nameId: login.nameId,
        sessionIndex: login.sessionIndex ?? undefined,
        notOnOrAfter: login.sessionNotOnOrAfter ?? undefined,
      });
      return { kind: 'session', session, returnTo };
    },

    /** Completes a JWT sign-in: the session and where to go (default: the console), or a test's findings. */
    async jwtLogin(token: string, returnTo: string | undefined, arrival: Arrival): Promise<SignInOutcome> {
      const marker = await tests.claimReturn(returnTo, arrival);
      if (marker) return { kind: 'test', result: await jwtTest(token, marker, arrival) };
      // The return address is checked before the token is used up.
      const siteId = unverifiedSiteId(token);
      const site = await openSite(siteId, arrival);
      const target = await origins.returnTo(returnTo ?? `/console?siteId=${siteId}`, site.partner_id, arrival.origin);
      const { claims, config } = await jwtClaims(token, site);
      const agent = await agentFor(site.id, { externalId: claims.externalId, email: claims.email, name: claims.name }, config.jitProvisioning);
      const session = await identity.startAgentSession(agent.id, site.id, { method: 'jwt', partnerId: config.partnerId, nameId: claims.externalId ?? claims.email });
      return { kind: 'session', session, returnTo: target };
    },

    /** A partner logs an agent out with a JWT naming them: all the agent's sessions end. */
    async jwtLogout(token: string, returnTo: string | undefined, arrival: Arrival): Promise<{ returnTo: string | null; ended: number }> {
      const site = await openSite(unverifiedSiteId(token), arrival);
      const target = returnTo ? await origins.returnTo(returnTo, site.partner_id, arrival.origin) : null;
      const { claims } = await jwtClaims(token, site);
      const agent = await findAgent(site.id, claims);
      const ended = agent ? await identity.endAgentSessions(agent.id) : [];
      await end(ended);
      return { returnTo: target, ended: ended.length };
    },

    /** An IdP's logout request: ends the sessions it started for the NameID; returns the answer URL. */
    async samlLogout(
      message: Parameters<SamlServiceProvider['logoutRequest']>[0],
      relayState: string,
      arrival: Arrival,
    ): Promise<{ redirect: string | null; ended: number }> {
      const candidates = async (issuer: string): Promise<SamlConfig[]> => {
        const ids =
          arrival.hostPartnerId !== null
            ? [arrival.hostPartnerId]
            : await samlPartnersOfIssuer(db, issuer);
        const configs = await Promise.all(ids.map((id) => settings.saml(id)));
        return configs.filter((c): c is SamlConfig => c !== null);
      };
      const { partners, profile } = await saml.logoutRequest(message, arrival.origin, candidates);
      const ended: { agentId: number; sessionId: number }[] = [];
      for (const p of partners) ended.push(...(await identity.endAgentSessions(null, { partnerId: p.partnerId, nameId: profile.nameID, sessionIndex: profile.sessionIndex })));
      await end(ended);
      return { redirect: await saml.logoutResponseUrl(partners[0]!, arrival.origin, profile, relayState), ended: ended.length };
    },

    /**
     * Logs the agent of a browser session out of Parley: every session of the agent ends; with
     * single sign-on, the browser then goes to the partner's logout (a signed LogoutRequest for
     * SAML), so the partner's session ends too.
     */
    async logout(sessionToken: string, arrival: Arrival): Promise<{ redirect: string | null }> {
      const principal = await identity.authenticate(sessionToken).catch(() => null);
      if (principal?.kind !== 'agent') return { redirect: null };
      const origin = await identity.sessionOrigin(principal);
      await end(await identity.endAgentSessions(principal.agentId));
      if (!origin?.sso_partner_id) return { redirect: null };
      if (origin.login_method === 'saml') {
        const config = await settings.saml(origin.sso_partner_id);
        if (!config) return { redirect: null };
        return { redirect: await saml.logoutUrl(config, arrival.origin, { nameId: origin.sso_name_id!, sessionIndex: origin.sso_session_index }, `${arrival.origin}/login?signed_out=1`) };
      }
      const config = await settings.jwt(origin.sso_partner_id);
      return { redirect: config?.logoutUrl ?? null };
    },

    /** The mobile deep link's exchange: a partner's sign-in JWT for an API and real-time token. */
    async exchange(token: string, arrival: Arrival): Promise<StartedSession> {
      const site = await openSite(unverifiedSiteId(token), arrival);
      const { claims, config } = await jwtClaims(token, site);
      const agent = await agentFor(site.id, { externalId: claims.externalId, email: claims.email, name: claims.name }, config.jitProvisioning);
      return identity.startAgentSession(agent.id, site.id, { method: 'jwt', partnerId: config.partnerId, nameId: claims.externalId ?? claims.email });
    },

    /** Forgets finished sign-in requests and used ids that could no longer be accepted anyway. */
    async forgetExpired(): Promise<void> {
      await forgetExpired(db, new Date().toISOString());
    },

    /** Checks a site exists and is open on this host (for pages that need one). */
    async site(siteId: number, arrival: Arrival) {
      return openSite(siteId, arrival);
    },

    /** Refuses a return address that is not Parley's or the partner's. */
    checkReturnTo(raw: string, partnerId: number, arrival: Arrival): Promise<string> {
      return origins.returnTo(raw, partnerId, arrival.origin);
    },
  };
}

export type SsoService = ReturnType<typeof createSsoService>;
