// Signing agents in with their partner's identity provider, and out again: who the agent is (by
// the partner's id for them, else e-mail; created at first sign-in if the partner allows), one use
// per token, sessions started and ended.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { Forbidden, NotFound, Unauthorized } from '../../platform/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AgentsService, SignInAgent } from '../agents/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { JWT_SKEW_SECONDS, unverifiedSiteId, verifySsoJwt } from './sso.jwt.ts';
import type { OriginPolicy } from './sso.origins.ts';
import { forgetExpired, samlPartnersOfIssuer, recordUsedId } from './sso.repository.ts';
import type { SamlServiceProvider } from './sso.saml.ts';
import type { SamlConfig, SsoSettingsStore, SsoType } from './sso.settings.ts';
import type { SsoTables } from './sso.tables.ts';

interface Deps {
  db: Kysely<SsoTables>;
  identity: IdentityService;
  tenancy: Pick<TenancyService, 'siteState'>;
  agents: Pick<AgentsService, 'signIn'>;
  settings: SsoSettingsStore;
  saml: SamlServiceProvider;
  origins: OriginPolicy;
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

const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}$/;

/** The single sign-on flows. */
export function createSsoService({ db, identity, tenancy, agents, settings, saml, origins, onSessionsEnded }: Deps) {
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
   * The agent an identity provider vouched for: the site's agent with that external id, else with
   * that e-mail (unless it is linked to another external id); created if the partner allows.
   */
  async function agentFor(siteId: number, who: { externalId: string | null; email: string | null; name: string | null }, jit: boolean): Promise<SignInAgent> {
    const agent = await findAgent(siteId, who);
    if (agent && !agent.byExternalId && agent.externalId && who.externalId && agent.externalId !== who.externalId) {
      throw new Forbidden('The agent with this e-mail is linked to another identity of the partner.', { reason: 'sso-identity-mismatch' });
    }
    if (agent) {
      if (!agent.isActive) throw new Forbidden('This agent is disabled.', { reason: 'agent-disabled' });
      if (who.externalId && !agent.externalId) await agents.signIn.linkExternalId(agent.id, who.externalId);
      return agent;
    }
    if (!jit) throw new Forbidden('No agent of this site matches the signed-in user, and the partner does not create agents at first sign-in.', { reason: 'no-agent' });
    if (!who.email || !EMAIL.test(who.email)) throw new Forbidden('The identity provider sent no e-mail address to create the agent with.', { reason: 'no-agent' });
    const email = who.email.toLowerCase();
    try {
      return await agents.signIn.create(siteId, { email, name: who.name || email.split('@')[0]!, externalId: who.externalId });
    } catch (err) {
      if (isUniqueViolation(err)) return agentFor(siteId, who, false); // a racing first sign-in made it
      throw err;
    }
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

    /** Completes a SAML sign-in at the ACS; returns the session and where to go. */
    async samlLogin(b64: string, relayState: string | undefined, arrival: Arrival): Promise<StartedSession & { returnTo: string }> {
      const login = await saml.acs(b64, arrival.origin, (partnerId) => settings.saml(partnerId));
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
      return { ...session, returnTo };
    },

    /** Completes a JWT sign-in; returns the session and where to go (default: the console). */
    async jwtLogin(token: string, returnTo: string | undefined, arrival: Arrival): Promise<StartedSession & { returnTo: string }> {
      // The return address is checked before the token is used up.
      const siteId = unverifiedSiteId(token);
      const site = await openSite(siteId, arrival);
      const target = await origins.returnTo(returnTo ?? `/console?siteId=${siteId}`, site.partner_id, arrival.origin);
      const { claims, config } = await jwtClaims(token, site);
      const agent = await agentFor(site.id, { externalId: claims.externalId, email: claims.email, name: claims.name }, config.jitProvisioning);
      const session = await identity.startAgentSession(agent.id, site.id, { method: 'jwt', partnerId: config.partnerId, nameId: claims.externalId ?? claims.email });
      return { ...session, returnTo: target };
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
