// The partner platform: companies apply and become partners, brand Parley as their own on their
// hosts, and open and run their customers' sites through the portal and the Partner API. The door
// below is all other modules and the composition root may use.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { EventLog } from '../../platform/events/index.ts';
import { everyInterval, type ParleyModule } from '../../platform/module.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService } from '../chat/index.ts';
import type { SiteEvent, TenancyService } from '../tenancy/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import type { PartnerEvent } from './partners.events.ts';
import { createLogoStore } from './logo.ts';
import { registerPartnerApiRoutes } from './partners.api.routes.ts';
import { type ApplicationsService, createApplicationsService } from './partners.applications.service.ts';
import { type Actor, type AuditEntry, type AuditTables, audit, createAuditLog } from './partners.audit.ts';
import { type BrandService, createBrandService } from './partners.brand.service.ts';
import { registerBrandRoutes } from './partners.brand.routes.ts';
import { createCredentialsService, type CredentialsService } from './partners.credentials.service.ts';
import { createPartnerHosts, type DomainVerifier, type PartnerHostNames, type PartnerHosts } from './partners.hosts.ts';
import { createMailer } from './partners.mail.ts';
import { createPartnerTokens, type PartnerTokens } from './partners.oauth.ts';
import { registerPartnerPlatformRoutes } from './partners.platform.routes.ts';
import { createPlatformSites } from './partners.platform.sites.ts';
import { PORTAL_MOUNTS } from './partners.portal.mounts.ts';
import { registerPortalRoutes } from './partners.portal.routes.ts';
import { createProfileService, type ProfileService } from './partners.profile.service.ts';
import { createPartnerSites, type PartnerSites } from './partners.sites.ts';
import type { PartnersTables } from './partners.tables.ts';
import { createPortalUsersService, type PortalUsersService } from './partners.users.service.ts';

export type { ApplicationInput, ApplicationsService, Approval, Credentials } from './partners.applications.service.ts';
export type { PartnerEvent } from './partners.events.ts';
export { type Actor, type AuditEntry, type AuditTables, actorOf } from './partners.audit.ts';
export type { BrandService, ThemePair } from './partners.brand.service.ts';
export type { CredentialsService } from './partners.credentials.service.ts';
export { type Brand, type DomainVerifier, type DomainView, dnsVerifier, normalizeHost, type PartnerHostNames, type PartnerHosts, shownBrand } from './partners.hosts.ts';
export { allowedFrom, type PartnerTokens } from './partners.oauth.ts';
export { reportsAccess } from './partners.scopes.ts';
export { PORTAL_MOUNTS, type PortalMount } from './partners.portal.mounts.ts';
export type { ApplicationView, OauthClientView, PartnerView, SiteUsage } from './partners.presenter.ts';
export type { ProfileChange, ProfileService } from './partners.profile.service.ts';
export type { CreatedSite, NewSiteInput, PartnerSites, PartnerSiteView } from './partners.sites.ts';
export type { Partner } from './partners.tables.ts';
export type { PortalUsersService } from './partners.users.service.ts';

/** Every partner operation in one object, as the demo and the tests' factories call them. */
export interface PartnersService extends ApplicationsService, ProfileService, BrandService, CredentialsService, PortalUsersService {}

/** The door's partner operations in one object (`services.partners` of a Parley node). */
export function partnerOperations(door: PartnersDoor): PartnersService {
  return { ...door.applications, ...door.profile, ...door.brand, ...door.credentials, ...door.users };
}

/** What other modules and the composition root may ask of the partners module. */
export interface PartnersDoor {
  applications: ApplicationsService;
  profile: ProfileService;
  brand: BrandService;
  credentials: CredentialsService;
  users: PortalUsersService;
  sites: PartnerSites;
  hosts: PartnerHosts;
  /** Partner tokens as the HTTP layer authenticates them. */
  tokens: PartnerTokens;
  /** Whether a partner of this id exists. */
  exists(partnerId: number): Promise<boolean>;
  /** A partner's subdomain, verified custom domains and embed origins; undefined for no such partner. */
  hostsOf(partnerId: number): Promise<PartnerHostNames | undefined>;
  /** The partner whose white-label host this is (a subdomain or verified domain); null for others. */
  partnerOfHost(host: string): Promise<number | null>;
  /** Records an action on a partner in the audit log, in the caller's transaction. */
  audit(db: Kysely<AuditTables> | Transaction<AuditTables>, actor: Actor, entry: AuditEntry): Promise<void>;
}

export interface PartnersModuleDeps {
  db: Kysely<PartnersTables>;
  dialect: Dialect;
  log: FastifyBaseLogger;
  publicUrl: string;
  /** Partners answer at `{slug}.{baseDomain}`. */
  baseDomain: string;
  /** The name of the platform's own brand, shown on hosts of no partner. */
  platformName: string;
  /** Where uploaded logos are kept. */
  logoDir: string;
  logoMaxBytes: number;
  /** How long a deleted site can be restored before it is purged. */
  siteDeleteGraceDays: number;
  /** Lifetimes of Partner API access tokens and of portal sessions. */
  accessTokenTtlSeconds: number;
  portalTokenTtlSeconds: number;
  /** Sign-ups per address and hour; portal logins, Partner API calls and token requests per minute. */
  limits: { signupPerHour: number; loginPerMinute: number; apiPerMinute: number; tokenPerMinute: number };
  /** Seals the stored first answers of idempotent site creations. */
  idempotencySealKey: string;
  /** Proves a custom domain (DNS by default; tests fake it). */
  verifyDomain: DomainVerifier;
  /** Where partners' and their sites' changes commit with their events. */
  events: EventLog<PartnersTables, PartnerEvent | SiteEvent>;
  /** The sites partners provision, and what the usage figures count. */
  tenancy: Pick<TenancyService, 'lifecycle'>;
  agents: Pick<AgentsService, 'createSiteAdmin' | 'countOfSite'>;
  visitors: Pick<VisitorsService, 'countOfSite'>;
  chats: Pick<ChatService, 'usage'>;
}

const HOUSEKEEPING_MS = 10 * 60_000;

/** The partners module: its door, its routes, and the housekeeping of sites and e-mail. */
export function createPartnersModule(deps: PartnersModuleDeps): ParleyModule<PartnersDoor> {
  const { db, log } = deps;
  const urls = { publicUrl: deps.publicUrl, baseDomain: deps.baseDomain };
  const mailer = createMailer(db, log.child({ component: 'mail' }));
  const logos = createLogoStore(deps.logoDir);
  const hosts = createPartnerHosts({ db, baseDomain: deps.baseDomain, publicUrl: deps.publicUrl, platformName: deps.platformName, verify: deps.verifyDomain });
  // White-label hosts cache brands: a change to one shows at once on this node.
  const onBrandChanged = () => hosts.forget();
  const { events } = deps;
  const applications = createApplicationsService({ db, events, urls, mailer });
  const profile = createProfileService({ db, events, urls, onBrandChanged });
  const brand = createBrandService({ db, urls, logos, logoMaxBytes: deps.logoMaxBytes, onBrandChanged });
  const credentials = createCredentialsService({ db, urls, sites: deps.tenancy.lifecycle });
  const users = createPortalUsersService({ db, dialect: deps.dialect, mailer, publicUrl: deps.publicUrl });
  const sites = createPartnerSites({ ...deps, graceDays: deps.siteDeleteGraceDays, sealKey: deps.idempotencySealKey });
  const platformSites = createPlatformSites({ db, tenancy: deps.tenancy });
  const tokens = createPartnerTokens(db, deps.tenancy.lifecycle, { accessTokenTtlSeconds: deps.accessTokenTtlSeconds, portalTokenTtlSeconds: deps.portalTokenTtlSeconds });
  const auditLog = createAuditLog(db);
  const partnerOfHost = async (host: string) => (await hosts.resolve(host)).partnerId;

  // Deleted sites past their grace period go for good; e-mail left pending goes out (at start too).
  const purge = everyInterval('purging deleted sites', HOUSEKEEPING_MS, () => sites.purgeExpired(), log);
  const mail = everyInterval('delivering e-mail', HOUSEKEEPING_MS, () => mailer.kick(), log);

  return {
    service: {
      applications,
      profile,
      brand,
      credentials,
      users,
      sites,
      hosts,
      tokens,
      exists: profile.exists,
      hostsOf: hosts.hostsOf,
      partnerOfHost,
      audit,
    },
    routes(http) {
      registerPartnerPlatformRoutes(http, {
        applications,
        profile,
        users,
        sites: platformSites,
        tokens,
        auditLog,
        mailer,
        signupPerHour: deps.limits.signupPerHour,
        loginPerMinute: deps.limits.loginPerMinute,
        partnerOfHost,
      });
      const portal = { profile, brand, credentials, sites, hosts, auditLog, logoMaxBytes: deps.logoMaxBytes };
      for (const mount of PORTAL_MOUNTS) registerPortalRoutes(http, portal, mount);
      registerPartnerApiRoutes(http, { tokens, sites, ratePerMinute: deps.limits.apiPerMinute, tokenRatePerMinute: deps.limits.tokenPerMinute });
      registerBrandRoutes(http, { brand, hosts, logos });
    },
    jobs: [
      purge,
      {
        name: mail.name,
        start() {
          void mailer.kick();
          mail.start();
        },
        stop: () => mail.stop(),
      },
    ],
  };
}
