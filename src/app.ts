// The composition root: config → database → event log → modules → HTTP and real-time. Tests build
// the same app on an ephemeral port.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { FastifyRequest } from 'fastify';
import pino from 'pino';
import type { Config } from './config.ts';
import type { Principal } from './platform/http/access.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import type { DB } from './platform/db/schema.ts';
import { createEventLog, createRelay, type EventTables, type Relay } from './platform/events/index.ts';
import { registerHealth } from './platform/http/health.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { createHttpServer, type HttpServer } from './platform/http/server.ts';
import { Disconnects } from './platform/realtime/protocol.ts';
import { createRealtimeGateway, type RealtimeGateway } from './platform/realtime/gateway.ts';
import { MemoryBroker } from './platform/realtime/memory-broker.ts';
import { RedisBroker } from './platform/realtime/redis-broker.ts';
import type { Broker } from './platform/realtime/types.ts';
import { migrateToLatest } from './migrations/index.ts';
import { type AgentsService, createAgentsListener, createAgentsService, registerAgentRoutes } from './modules/agents/index.ts';
import {
  type ChatService,
  createChatListener,
  createChatService,
  registerChatConsoleRoutes,
  registerChatFileRoutes,
  registerChatRoutes,
} from './modules/chat/index.ts';
import type { ParleyEvent } from './modules/events.ts';
import { createIdentityService, type IdentityService, registerIdentityRoutes } from './modules/identity/index.ts';
import { createOperatorService, registerOperatorRoutes, registerOperatorSessionRoutes } from './modules/operator/index.ts';
import { channels, createRealtimeAuthorizer, createRealtimeListener, publishEvent, trackVisitorPresence } from './modules/realtime/index.ts';
import { createTenancyService, type TenancyService } from './modules/tenancy/index.ts';
import { createVisitorsService, registerVisitorRoutes, type VisitorsService } from './modules/visitors/index.ts';
import { createWebhooks, registerWebhookRoutes, type Webhooks } from './modules/webhooks/index.ts';
import {
  createImKeys,
  createImListener,
  createImOutbox,
  createImService,
  getSettings,
  type ImKeys,
  type ImService,
  registerImAdminRoutes,
  registerImRoutes,
} from './modules/im/index.ts';
import { createRobotService, registerRobotRoutes, type RobotService } from './modules/robot/index.ts';
import {
  createOriginPolicy,
  createSamlServiceProvider,
  createSsoService,
  createSsoSettings,
  registerSessionRoutes,
  registerSsoRoutes,
  registerSsoSettingsRoutes,
  SESSION_COOKIE,
} from './modules/sso/index.ts';
import { createWebAssets, registerWebRoutes } from './modules/web/index.ts';
import { createCannedService, registerCannedRoutes } from './modules/canned/index.ts';
import { createWidgetService, registerWidgetRoutes } from './modules/widget/index.ts';
import {
  createLogoStore,
  createMailer,
  createPartnerHosts,
  createPartnerSites,
  createPartnersService,
  createPartnerTokens,
  dnsVerifier,
  type DomainVerifier,
  type PartnerHosts,
  type PartnerSites,
  type PartnersService,
  type PartnerTokens,
  registerBrandRoutes,
  registerPartnerApiRoutes,
  registerPartnerPlatformRoutes,
  registerPortalRoutes,
} from './modules/partners/index.ts';
import pkg from '../package.json' with { type: 'json' };

const HOUSEKEEPING_MS = 10 * 60_000;

export interface Parley {
  config: Config;
  http: HttpServer;
  database: Database;
  gateway: RealtimeGateway;
  services: {
    identity: IdentityService;
    tenancy: TenancyService;
    agents: AgentsService;
    visitors: VisitorsService;
    chats: ChatService;
    webhooks: Webhooks;
    robot: RobotService;
    im: ImService;
    imKeys: ImKeys;
    partners: PartnersService;
    partnerSites: PartnerSites;
    partnerHosts: PartnerHosts;
    partnerTokens: PartnerTokens;
  };
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting work, closes real-time connections and the database. */
  close(): Promise<void>;
}

/** Stand-ins for third-party services Parley cannot reach in a test. */
export interface ParleyOverrides {
  /** Proves a partner's custom domain; DNS by default. */
  domainVerifier?: DomainVerifier;
}

// Query parameters that carry secrets (the spec puts some in URLs); their values never reach a log.
const SECRET_PARAMS = /([?&](?:client_secret|access_token|token|jwt|code|password|SAMLRequest|SAMLResponse)=)[^&#]*/gi;

/** Builds a whole Parley node from its configuration (migrating the database first). */
export async function createParley(config: Config, overrides: ParleyOverrides = {}): Promise<Parley> {
  const log = pino({
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; host?: string; ip?: string }) => ({
        method: req.method,
        url: req.url?.replace(SECRET_PARAMS, '$1[redacted]'),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
  });
  const database = openDatabase(config.databaseUrl, (err) => log.warn({ err }, 'database connection lost'));
  const { db, dialect } = database;
  try {
    await migrateToLatest(db, dialect);
  } catch (err) {
    await database.close();
    throw err;
  }

  // The event log: modules append in their own transactions; after each commit this node's relay
  // hands the new events to the listeners it holds the lease of (set up below, once they exist).
  let relay: Relay | undefined;
  const events = createEventLog<DB, ParleyEvent>({
    db,
    dialect,
    partnerOf: (trx, siteId) => tenancy.partnerOf(siteId, trx),
    async committed(lastId, appended) {
      // Test-only: die between the commit and the relay, as a crash would (docs/events.md).
      const marker = config.faultKillAfterCommit;
      if (marker !== null && appended.some((e) => JSON.stringify(e).includes(marker))) process.kill(process.pid, 'SIGKILL');
      await relay?.settle(lastId);
    },
  });
  const identity = await createIdentityService(db, config, log);
  await identity.ensureBootstrapAdmin();
  // Webhooks: the outbox others write into (`webhooks.enqueue(trx, …)`) and this node's delivery
  // worker, started in listen() and stopped first in close().
  const webhooks = createWebhooks({
    db,
    options: {
      timeoutMs: config.webhookTimeoutMs,
      retryPeriodSeconds: config.webhookRetryPeriodSeconds,
      backoffBaseMs: config.webhookBackoffBaseMs,
      backoffMaxMs: config.webhookBackoffMaxMs,
      pollMs: config.webhookPollMs,
      concurrency: config.webhookConcurrency,
    },
    signingSecret: (siteId, version) => identity.derivedSecret(`webhook:${siteId}:${version}`),
    userAgent: `Parley-Webhooks/${pkg.version}`,
    log: log.child({ component: 'webhooks' }),
  });
  const tenancy = createTenancyService(db);
  const agents = createAgentsService({ db, events, defaultMaxConcurrentChats: config.defaultMaxConcurrentChats });
  // The visitor list reads who is on a site from the broker (set below, before anything connects).
  let onlineVisitorIds: (siteId: number) => Promise<number[]> = async () => [];
  let visitorIsOnline: (visitorId: number) => Promise<boolean> = async () => false;
  const visitors = createVisitorsService({
    db,
    identity,
    tenancy,
    events,
    onlineIds: (siteId) => onlineVisitorIds(siteId),
    isOnline: (visitorId) => visitorIsOnline(visitorId),
  });
  // The IM API's pieces: per-site settings, the robot, and the outbox hooks the chat module runs in
  // its own transactions so that every reply to an IM customer is delivered.
  const settings = (siteId: number) => getSettings(db, siteId);
  const robot = createRobotService({ db, settings });
  const chats = createChatService({
    db,
    dialect,
    events,
    // Typing is not kept: it is published at once (the broker is set below, before anything connects).
    signal: (event) => publishEvent(broker, event),
    settings: async (siteId) => (await settings(siteId)).routing,
    hooks: createImOutbox({ enqueue: webhooks.enqueue, settings: getSettings }),
    robot,
    publicUrl: config.publicUrl,
  });
  const imKeys = createImKeys(db);
  // The partner platform: partners, their sites, white-label hosts, tokens, e-mail.
  const mailer = createMailer(db, log.child({ component: 'mail' }));
  const logos = createLogoStore(path.join(config.dataDir, 'uploads', 'logos'));
  const partnerHosts = createPartnerHosts({ db, baseDomain: config.baseDomain, publicUrl: config.publicUrl, platformName: 'Parley', verify: overrides.domainVerifier ?? dnsVerifier });
  const partners = createPartnersService({
    db,
    mailer,
    logos,
    publicUrl: config.publicUrl,
    baseDomain: config.baseDomain,
    logoMaxBytes: config.logoMaxBytes,
    onBrandChanged: () => partnerHosts.forget(),
  });
  const partnerTokens = createPartnerTokens(db, { accessTokenTtlSeconds: config.partnerTokenTtlSeconds, portalTokenTtlSeconds: config.agentTokenTtlSeconds });
  // A site that stops serving ends its agents' and recent visitors' real-time connections.
  const closeSiteConnections = async (siteId: number) => {
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const agentIds = await db.selectFrom('agents').select('id').where('site_id', '=', siteId).execute();
    const visitorIds = await db.selectFrom('visitors').select('id').where('site_id', '=', siteId).where('last_seen_at', '>=', since).execute();
    const users = [...agentIds.map((a) => `agent:${a.id}`), ...visitorIds.map((v) => `visitor:${v.id}`)];
    for (const user of users) await gateway.disconnect({ user, ...Disconnects.permissionDenied, reason: 'site closed' });
  };
  const partnerSites = createPartnerSites({
    db,
    publicUrl: config.publicUrl,
    graceDays: config.siteDeleteGraceDays,
    sealKey: identity.derivedSecret('idempotency:v1'),
    onClosed: async (siteId) => {
      // Its agents' sessions end for good: enabling the site again does not bring them back.
      for (const a of await db.selectFrom('agents').select('id').where('site_id', '=', siteId).execute()) await identity.endAgentSessions(a.id);
      await closeSiteConnections(siteId);
    },
  });
  const im = createImService({ db, chats, robot, settings, kick: webhooks.kick });
  // Agents' single sign-on through their partner's identity provider.
  const ssoSettings = createSsoSettings(db, identity.derivedSecret('sso-secrets:v1'));
  const origins = createOriginPolicy({ db, publicUrl: config.publicUrl, baseDomain: config.baseDomain });
  const samlSp = createSamlServiceProvider({ db, publicUrl: config.publicUrl, sealKey: identity.derivedSecret('saml-sp:v1') });
  // Sessions a logout ended lose their real-time connections too, on every node.
  const endAgentSessions = async (ended: { agentId: number; sessionId: number }[]) => {
    for (const e of ended) await gateway.disconnect({ user: `agent:${e.agentId}`, session: `session:${e.sessionId}`, code: 3500, reason: 'logged out' });
  };
  const sso = createSsoService({
    db,
    identity,
    settings: ssoSettings,
    saml: samlSp,
    origins,
    defaultMaxConcurrentChats: config.defaultMaxConcurrentChats,
    onSessionsEnded: endAgentSessions,
  });

  const history = { size: config.historySize, ttlSeconds: config.historyTtlSeconds, metaTtlSeconds: config.historyMetaTtlSeconds };
  const onListenerError = (err: unknown) => log.error({ err }, 'real-time delivery failed');
  // One node keeps streams in memory; with Redis, every node shares them (and clients may move).
  let broker: Broker;
  try {
    broker = config.redisUrl
      ? await RedisBroker.connect({ url: config.redisUrl, prefix: config.redisPrefix, history, logger: log.child({ component: 'redis' }), onListenerError })
      : new MemoryBroker({ history, onListenerError });
  } catch (err) {
    await database.close();
    throw err;
  }
  visitorIsOnline = async (visitorId) => (await broker.presence(channels.visitor(visitorId))).length > 0;
  onlineVisitorIds = async (siteId) =>
    [...new Set((await broker.presence(channels.siteVisitors(siteId))).map((p) => Number(p.user.slice('visitor:'.length))))].filter(Number.isSafeInteger);
  const operator = createOperatorService({ identity, agents, events });

  const realtimeLog = log.child({ component: 'realtime' });
  const gateway = createRealtimeGateway({
    authorizer: createRealtimeAuthorizer(identity, chats),
    broker,
    pingIntervalSeconds: config.wsPingIntervalSeconds,
    maxMessageBytes: config.wsMaxMessageBytes,
    maxBufferedBytes: config.wsMaxBufferedBytes,
    maxPendingCommands: config.wsMaxPendingCommands,
    maxSubscriptions: config.wsMaxSubscriptions,
    historySize: config.historySize,
    logger: realtimeLog,
    sessions: trackVisitorPresence(broker, realtimeLog, visitors.presenceChanged),
  });

  // The event log's listeners, each with its own cursor, in the order one batch visits them.
  relay = createRelay<ParleyEvent>({
    db: db.withTables<EventTables>(),
    nodeId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    listeners: [
      createRealtimeListener({ broker, disconnect: (order) => gateway.disconnect(order) }),
      createAgentsListener({ endAgentSessions: (agentId) => identity.endAgentSessions(agentId) }),
      createChatListener(chats),
      createImListener({ kick: () => webhooks.kick() }),
    ],
    log: log.child({ component: 'events' }),
    options: { pollMs: config.eventPollMs, leaseMs: config.eventLeaseSeconds * 1000 },
    notifications: database.notifications,
  });
  // Chats that waited longer than their site allows end with the offline message.
  let queueSweep: NodeJS.Timeout | undefined;
  let housekeeping: NodeJS.Timeout | undefined;
  const sweepQueues = () =>
    chats.endOverdueQueuedChats().catch((err: unknown) => log.error({ err }, 'ending overdue queued chats failed'));

  // A session that ends (logout) also ends the real-time connections opened with it, on every node.
  const endSession = async (revoked: Principal) => {
    // Only agents and platform users hold real-time sessions.
    if (revoked.kind !== 'agent' && revoked.kind !== 'platform') return;
    const user = revoked.kind === 'agent' ? `agent:${revoked.agentId}` : undefined;
    await gateway.disconnect({ ...(user ? { user } : {}), session: `session:${revoked.sessionId}`, code: 3500, reason: 'token revoked' });
  };

  const http = await createHttpServer({
    logger: log,
    bodyLimitBytes: config.bodyLimitBytes,
    publicUrl: config.publicUrl,
    version: pkg.version,
    // IM API keys are the site's, partner tokens the partners', everything else is identity's.
    authenticate: (token) =>
      token.startsWith('pim_') ? imKeys.authenticate(token) : partnerTokens.owns(token) ? partnerTokens.authenticate(token) : identity.authenticate(token),
    siteClient: partnerTokens.siteClient,
    sessions: { cookie: SESSION_COOKIE, csrfMatches: identity.csrfMatches },
    trustedProxies: config.trustedProxies,
  });
  await http.register(rateLimit, { global: false });
  await http.register(websocket, { options: { maxPayload: config.wsMaxMessageBytes } });
  await gateway.register(http);
  registerHealth(http, { database: database.ping, broker: () => broker.ready() });
  registerMetrics(http, { connections: gateway.connectionCount, chatsByStatus: chats.countByStatus });
  // The native logout ends one of possibly several sessions; the operator API's also goes offline.
  // On a partner's host, agents and portal users log in to that partner only.
  const partnerOfHost = async (host: string) => (await partnerHosts.resolve(host)).partnerId;
  registerIdentityRoutes(http, identity, config.loginRateLimitPerMinute, endSession, partnerOfHost);
  registerAgentRoutes(http, agents);
  registerVisitorRoutes(http, visitors, { geoCountryHeader: config.geoCountryHeader, trustedProxies: config.trustedProxies });
  registerChatRoutes(http, chats);
  registerChatConsoleRoutes(http, chats, { searchPerMinute: config.searchRateLimitPerMinute });
  registerCannedRoutes(http, createCannedService(db));
  registerChatFileRoutes(http, chats, { maxBytes: config.fileMaxBytes, perMinute: config.fileRateLimitPerMinute });
  registerWidgetRoutes(http, createWidgetService({ db, tenancy, hosts: partnerHosts, im, imSettings: settings, greeting: robot.greeting }));
  registerOperatorRoutes(http, {
    operator,
    identity,
    agents,
    chats,
    visitors,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    onLogout: endSession,
  });
  registerOperatorSessionRoutes(http, chats);
  registerWebhookRoutes(http, webhooks.service);
  registerRobotRoutes(http, robot);
  registerImAdminRoutes(http, { db, keys: imKeys });
  await registerImRoutes(http, im, { rateLimitPerMinute: config.imRateLimitPerMinute });
  registerPartnerPlatformRoutes(http, {
    db,
    partners,
    tokens: partnerTokens,
    mailer,
    signupPerHour: config.partnerSignupRateLimitPerHour,
    loginPerMinute: config.loginRateLimitPerMinute,
    partnerOfHost,
  });
  const portalDeps = { db, partners, sites: partnerSites, hosts: partnerHosts, logoMaxBytes: config.logoMaxBytes };
  const partnerOfPortal = (r: FastifyRequest) => (r.principal?.kind === 'partner' ? r.principal.partnerId : -1);
  const partnerOfPath = (r: FastifyRequest) => (r.params as { partnerId: number }).partnerId;
  registerPortalRoutes(http, portalDeps, { prefix: '/api/v1/partner', access: ['partner'], tag: 'partner portal', partnerOf: partnerOfPortal });
  registerPortalRoutes(http, portalDeps, { prefix: '/api/v1/platform/partners/:partnerId', access: ['platform'], tag: 'platform', partnerOf: partnerOfPath });
  registerPartnerApiRoutes(http, {
    tokens: partnerTokens,
    sites: partnerSites,
    ratePerMinute: config.partnerRateLimitPerMinute,
    tokenRatePerMinute: config.partnerTokenRateLimitPerMinute,
  });
  registerBrandRoutes(http, { partners, hosts: partnerHosts, logos });
  // Agents of a partner sign in on its own subdomain (a custom domain works as well).
  const publicOrigin = new URL(config.publicUrl);
  const partnerOrigin = async (partnerId: number) => {
    const p = await db.selectFrom('partners').select('slug').where('id', '=', partnerId).executeTakeFirst();
    if (!p || net.isIP(publicOrigin.hostname) !== 0 || publicOrigin.hostname === 'localhost') return publicOrigin.origin;
    return `${publicOrigin.protocol}//${p.slug}.${config.baseDomain}${publicOrigin.port ? `:${publicOrigin.port}` : ''}`;
  };
  const ssoSettingsDeps = { settings: ssoSettings, saml: samlSp, originOf: partnerOrigin };
  registerSsoSettingsRoutes(http, ssoSettingsDeps, { prefix: '/api/v1/partner', access: ['partner'], tag: 'partner portal', partnerOf: partnerOfPortal });
  registerSsoSettingsRoutes(http, ssoSettingsDeps, { prefix: '/api/v1/platform/partners/:partnerId', access: ['platform'], tag: 'platform', partnerOf: partnerOfPath });
  const web = createWebAssets();
  registerSsoRoutes(http, {
    sso,
    saml: samlSp,
    settings: ssoSettings,
    identity,
    hosts: partnerHosts,
    origins,
    publicUrl: config.publicUrl,
    perMinute: config.ssoRateLimitPerMinute,
    onLogout: endAgentSessions,
    consoleHtml: web.consolePage,
  });
  registerSessionRoutes(http, { sso, identity, hosts: partnerHosts, publicUrl: config.publicUrl, perMinute: config.ssoRateLimitPerMinute, onLogout: endAgentSessions });
  registerWebRoutes(http, web, { publicUrl: config.publicUrl });
  await http.ready();

  let closing: Promise<void> | undefined;
  return {
    config,
    http,
    database,
    gateway,
    services: { identity, tenancy, agents, visitors, chats, webhooks, robot, im, imKeys, partners, partnerSites, partnerHosts, partnerTokens },
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      await relay!.start(); // events: relay what committed, including what a crashed node left
      webhooks.worker.start(); // webhooks: deliver the outbox from now on
      queueSweep = setInterval(sweepQueues, config.queueSweepSeconds * 1000);
      queueSweep.unref();
      // Deleted sites past their grace period go for good; e-mails left pending go out.
      housekeeping = setInterval(() => {
        partnerSites.purgeExpired().catch((err: unknown) => log.error({ err }, 'purging deleted sites failed'));
        sso.forgetExpired().catch((err: unknown) => log.error({ err }, 'forgetting expired sign-in requests failed'));
        void mailer.kick();
        const before = new Date(Date.now() - config.eventRetentionHours * 3600_000).toISOString();
        relay!.prune(before).catch((err: unknown) => log.error({ err }, 'pruning the event log failed'));
      }, HOUSEKEEPING_MS);
      housekeeping.unref();
      void mailer.kick();
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      return `http://${host}:${port}`;
    },
    /** Stops the node; calling it again waits for the same stop. */
    close() {
      closing ??= (async () => {
        clearInterval(queueSweep);
        clearInterval(housekeeping);
        await webhooks.worker.stop(); // webhooks: first, so attempts under way still record their outcome
        await relay!.stop(); // events: hand the leases to the other nodes
        await gateway.close();
        await http.close();
        await broker.close();
        await database.close();
      })();
      return closing;
    },
  };
}
