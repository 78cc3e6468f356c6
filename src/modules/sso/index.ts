// Agents' single sign-on through their partner's identity provider (SAML 2.0 or a signed JWT), the
// browser session it starts, and the partners' settings for it. The door below is all other
// modules and the composition root may use.
import type { Kysely } from 'kysely';
import { everyInterval, type JobLogger, type ParleyModule } from '../../platform/module.ts';
import type { AgentsService } from '../agents/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { AppPageValues, WebApp } from '../web/index.ts';
import { type AuditTables, PORTAL_MOUNTS, type PartnersDoor, shownBrand } from '../partners/index.ts';
import type { OnLogout } from './sso.cookie.ts';
import { createOriginPolicy } from './sso.origins.ts';
import { registerSsoSettingsRoutes } from './sso.portal.routes.ts';
import { registerSsoRoutes } from './sso.routes.ts';
import { createSamlServiceProvider } from './sso.saml.ts';
import { type Arrival, createSsoService } from './sso.service.ts';
import { registerSessionRoutes } from './sso.session.routes.ts';
import { createSigninTests } from './sso.signin-test.ts';
import { createSsoSettings, type SsoType } from './sso.settings.ts';
import type { SsoTables } from './sso.tables.ts';

export { SESSION_COOKIE } from './sso.cookie.ts';
export type { Arrival } from './sso.service.ts';
export type { SsoType } from './sso.settings.ts';

/** What other modules and the composition root may ask of single sign-on. */
export interface SsoDoor {
  /** Where an agent who is not signed in to a site goes: its partner's primary sign-on, or null. */
  signInUrl(siteId: number, arrival: Arrival, returnTo: string): Promise<{ url: string; type: SsoType } | null>;
  /** Forgets finished sign-in requests and used ids that could no longer be accepted anyway. */
  forgetExpired(): Promise<void>;
}

export interface SsoModuleDeps {
  /** sso's tables, and the partners' audit log that a settings change is recorded in. */
  db: Kysely<SsoTables & AuditTables>;
  log: JobLogger;
  identity: IdentityService;
  /** The partners' door: which partners and hosts there are, and the audit log. */
  partners: Pick<PartnersDoor, 'exists' | 'hostsOf' | 'partnerOfHost' | 'audit' | 'hosts'>;
  publicUrl: string;
  /** Seal JWT secrets and Parley's SAML private key at rest. */
  secretsSealKey: string;
  spSealKey: string;
  /** The site signed in to, and its agents, matched and created at sign-in. */
  tenancy: Pick<TenancyService, 'siteState'>;
  agents: Pick<AgentsService, 'signIn'>;
  /** Sign-in attempts per address and minute. */
  perMinute: number;
  /** Called with the sessions a logout ended (to close their real-time connections). */
  onSessionsEnded: OnLogout;
  /** An app's page (the console, the control panel) with the server's values put in (the web module's). */
  appHtml(app: WebApp, values: AppPageValues): string;
}

const HOUSEKEEPING_MS = 10 * 60_000;

/** The sso module: its door, its sign-in, session and settings routes, and its housekeeping. */
export function createSsoModule(deps: SsoModuleDeps): ParleyModule<SsoDoor> {
  const { db, identity, partners, publicUrl } = deps;
  const settings = createSsoSettings({ db, sealKey: deps.secretsSealKey, partners });
  const origins = createOriginPolicy({ db, publicUrl, hostsOf: partners.hostsOf });
  const saml = createSamlServiceProvider({ db, publicUrl, sealKey: deps.spSealKey, identity });
  const tests = createSigninTests({ db, sealKey: identity.derivedSecret('sso-test-signin:v1'), settings, saml, tenancy: deps.tenancy, origins });
  const sso = createSsoService({ db, identity, tenancy: deps.tenancy, agents: deps.agents, settings, saml, origins, tests, onSessionsEnded: deps.onSessionsEnded });
  const session = { identity, partnerOfHost: partners.partnerOfHost, publicUrl, perMinute: deps.perMinute, onLogout: deps.onSessionsEnded };

  return {
    service: { signInUrl: sso.signInUrl, forgetExpired: sso.forgetExpired },
    routes(http) {
      for (const mount of PORTAL_MOUNTS) registerSsoSettingsRoutes(http, { settings, saml, originOf: origins.signInOrigin, tests, perMinute: deps.perMinute }, mount);
      registerSsoRoutes(http, { ...session, sso, saml, settings, origins, tests, appHtml: deps.appHtml, brandOf: async (partnerId) => shownBrand(await partners.hosts.ofPartner(partnerId)) });
      registerSessionRoutes(http, { ...session, sso });
    },
    jobs: [everyInterval('forgetting expired sign-in requests', HOUSEKEEPING_MS, () => sso.forgetExpired(), deps.log)],
  };
}
