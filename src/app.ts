// The composition root: config → database → event log → modules → HTTP and real-time. Each module
// is built by its factory and handed the doors of the modules it needs; the root registers their
// routes, gives their listeners to the relay and runs their jobs, and does nothing else. Tests
// build the same app on an ephemeral port.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import type { Config } from './config.ts';
import { migrateToLatest } from './migrations/index.ts';
import { createAgentsModule } from './modules/agents/index.ts';
import { createCannedModule } from './modules/canned/index.ts';
import { createChatModule } from './modules/chat/index.ts';
import type { ParleyEvent } from './modules/events.ts';
import { createIdentityModule } from './modules/identity/index.ts';
import { createImModule } from './modules/im/index.ts';
import { createOperatorModule } from './modules/operator/index.ts';
import { createPartnersModule, dnsVerifier, type DomainVerifier, partnerOperations, shownBrand } from './modules/partners/index.ts';
import { createRealtimeModule, signalOf, visitorPresenceOf } from './modules/realtime/index.ts';
import { createRobotModule } from './modules/robot/index.ts';
import { createSsoModule, SESSION_COOKIE } from './modules/sso/index.ts';
import type { DB } from './modules/tables.ts';
import { createTenancyModule } from './modules/tenancy/index.ts';
import { createVisitorsModule } from './modules/visitors/index.ts';
import { createWebModule } from './modules/web/index.ts';
import { createWebhooksModule } from './modules/webhooks/index.ts';
import { createReportsModule } from './modules/reports/index.ts';
import { createWebviewModule } from './modules/webview/index.ts';
import { siteContext } from './platform/context.ts';
import { createWidgetModule } from './modules/widget/index.ts';
import { type Database, openDatabase } from './platform/db/database.ts';
import { createEventLog, createRelay, type EventTables, type Relay, type StoredEvent } from './platform/events/index.ts';
import type { IpGate } from './platform/http/access.ts';
import { registerHealth } from './platform/http/health.ts';
import { registerMetrics } from './platform/http/metrics.ts';
import { createHttpServer, type HttpServer } from './platform/http/server.ts';
import { createLogger } from './platform/log.ts';
import { everyInterval, type Job, type ParleyModule } from './platform/module.ts';
import type { RealtimeGateway } from './platform/realtime/gateway.ts';
import { MemoryBroker } from './platform/realtime/memory-broker.ts';
import { RedisBroker } from './platform/realtime/redis-broker.ts';
import type { Broker } from './platform/realtime/types.ts';
import pkg from '../package.json' with { type: 'json' };

const HOUSEKEEPING_MS = 10 * 60_000;

/** One Parley node. */
export interface Parley {
  config: Config;
  http: HttpServer;
  database: Database<DB>;
  gateway: RealtimeGateway;
  /** The modules' doors, for the CLI and the tests. */
  services: Services;
  /** Starts listening; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting work, closes real-time connections and the database. */
  close(): Promise<void>;
}

/** Stand-ins for third-party services Parley cannot reach in a test, and a test's clock. */
export interface ParleyOverrides {
  /** Proves a partner's custom domain; DNS by default. */
  domainVerifier?: DomainVerifier;
  /**
   * The time the event log stamps events with, and reports count "now" by (milliseconds since the
   * epoch): a test plays a day of chats at the times it chooses. The system clock by default.
   */
  clock?: () => number;
}

type Services = Awaited<ReturnType<typeof buildModules>>['services'];

/** Builds a whole Parley node from its configuration (migrating the database first). */
export async function createParley(config: Config, overrides: ParleyOverrides = {}): Promise<Parley> {
  const log = createLogger(config.logLevel);
  const database = openDatabase<DB>(config.databaseUrl, (err) => log.warn({ err }, 'database connection lost'));
  let broker: Broker;
  try {
    await migrateToLatest(database.db, database.dialect);
    // One node keeps streams in memory; with Redis, every node shares them (and clients may move).
    broker = await openBroker(config, log);
  } catch (err) {
    await database.close();
    throw err;
  }
  const built = await buildModules(config, overrides, database, broker, log);
  const { modules, relay, services } = built;

  const http = await createHttpServer({
    logger: log,
    bodyLimitBytes: config.bodyLimitBytes,
    publicUrl: config.publicUrl,
    version: pkg.version,
    // Each issuer recognises its own tokens: IM API keys, partner tokens; the rest are identity's.
    authenticate: (token) => ([services.imKeys, services.partnerTokens].find((issuer) => issuer.owns(token)) ?? services.identity).authenticate(token),
    siteClient: services.partnerTokens.siteClient,
    sessions: { cookie: SESSION_COOKIE, csrfMatches: services.identity.csrfMatches },
    permissions: services.agents.admin.permissionsOf,
    ipGate: built.ipGate,
    trustedProxies: config.trustedProxies,
  });
  await http.register(rateLimit, { global: false });
  await http.register(websocket, { options: { maxPayload: config.wsMaxMessageBytes } });
  registerHealth(http, { database: database.ping, broker: () => broker.ready() });
  registerMetrics(http, { connections: built.gateway.connectionCount, chatsByStatus: services.chats.countByStatus });
  for (const m of modules) await m.routes?.(http);
  await http.ready();

  // Each node runs every module's jobs; the event log's own housekeeping is one more.
  const pruneEvents = everyInterval('pruning the event log', HOUSEKEEPING_MS, () => relay.prune(new Date(Date.now() - config.eventRetentionHours * 3600_000).toISOString()), log);
  const jobs: Job[] = [...modules.flatMap((m) => m.jobs ?? []), pruneEvents];

  let closing: Promise<void> | undefined;
  return {
    config,
    http,
    database,
    gateway: built.gateway,
    services,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      await relay.start(); // events: relay what committed, including what a crashed node left
      for (const job of jobs) job.start();
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      return `http://${host}:${port}`;
    },
    /** Stops the node; calling it again waits for the same stop. */
    close() {
      closing ??= (async () => {
        // Jobs first (the webhook worker lets attempts under way record their outcome), then the
        // relay hands its leases to the other nodes.
        for (const job of jobs) await job.stop();
        await services.partners.resetsSettled();
        await relay.stop();
        await built.gateway.close();
        await http.close();
        await broker.close();
        await database.close();
      })();
      return closing;
    },
  };
}

/** The broker of real-time publications: Redis when configured (several nodes), else in memory. */
async function openBroker(config: Config, log: ReturnType<typeof createLogger>): Promise<Broker> {
  const history = { size: config.historySize, ttlSeconds: config.historyTtlSeconds, metaTtlSeconds: config.historyMetaTtlSeconds };
  const onListenerError = (err: unknown) => log.error({ err }, 'real-time delivery failed');
  return config.redisUrl
    ? RedisBroker.connect({ url: config.redisUrl, prefix: config.redisPrefix, history, logger: log.child({ component: 'redis' }), onListenerError })
    : new MemoryBroker({ history, onListenerError });
}

/**
 * Every module, built in the order of their doors: each gets the doors of those before it. A few
 * deps are functions that reach a module built later (the visitor list's open chats, a logout's
 * real-time connections, a host's partner); they are called only once requests come.
 */
async function buildModules(config: Config, overrides: ParleyOverrides, database: Database<DB>, broker: Broker, log: ReturnType<typeof createLogger>) {
  const { db, dialect } = database;
  // The event log: modules append in their own transactions; after each commit this node's relay
  // hands the new events to the listeners it holds the lease of.
  let relay: Relay<ParleyEvent> | undefined;
  const clock = overrides.clock ?? Date.now;
  const events = createEventLog<DB, ParleyEvent>({
    db,
    dialect,
    now: clock,
    partnerOf: (trx, siteId) => tenancy.service.partnerOf(siteId, trx),
    async committed(stored) {
      // Test-only: die between the commit and the relay, as a crash would (docs/events.md).
      const marker = config.faultKillAfterCommit;
      if (marker !== null && stored.some((e) => JSON.stringify(e.event).includes(marker))) process.kill(process.pid, 'SIGKILL');
      // The log's events are ParleyEvents: this log only ever appends them.
      relay?.offer(stored as StoredEvent<ParleyEvent>[]);
      await relay?.settle(stored.at(-1)!.id);
    },
  });

  const tenancy = createTenancyModule({ db, events });
  // Sites' IP restrictions, asked by the HTTP access hook and by the real-time gateway at connect.
  const ipGate: IpGate = (who, siteId, ip) => (who === 'agent' ? tenancy.service.profiles.agentRefused(siteId, ip) : tenancy.service.profiles.visitorRefused(siteId, ip));
  const agents = createAgentsModule({ db, events, tenancy: tenancy.service, defaultMaxConcurrentChats: config.defaultMaxConcurrentChats });
  const identity = await createIdentityModule({
    db,
    config,
    log,
    agents: agents.service.accounts,
    agentAddressRefused: (siteId, ip) => tenancy.service.profiles.agentRefused(siteId, ip),
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    onLogout: (principal) => realtime.service.endSession(principal),
    partnerOfHost: (host) => partners.service.partnerOfHost(host),
  });
  const visitors = createVisitorsModule({
    db,
    dialect,
    events,
    identity: identity.service,
    tenancy: tenancy.service,
    agents: agents.service,
    openChats: (siteId, visitorIds, ex) => chat.service.openChatsOf(siteId, visitorIds, ex),
    ...visitorPresenceOf(broker),
    geoCountryHeader: config.geoCountryHeader,
    trustedProxies: config.trustedProxies,
  });
  const robot = createRobotModule({ db, events, tenancy: tenancy.service });
  const chat = createChatModule({
    db,
    dialect,
    events,
    signal: signalOf(broker),
    agents: agents.service,
    visitors: visitors.service,
    tenancy: tenancy.service,
    robot: robot.service,
    publicUrl: config.publicUrl,
    log,
    queueSweepSeconds: config.queueSweepSeconds,
    searchRateLimitPerMinute: config.searchRateLimitPerMinute,
    fileMaxBytes: config.fileMaxBytes,
    fileRateLimitPerMinute: config.fileRateLimitPerMinute,
  });
  const webhooks = createWebhooksModule({
    db,
    tenancy: tenancy.service,
    visitors: visitors.service,
    options: {
      timeoutMs: config.webhookTimeoutMs,
      retryPeriodSeconds: config.webhookRetryPeriodSeconds,
      backoffBaseMs: config.webhookBackoffBaseMs,
      backoffMaxMs: config.webhookBackoffMaxMs,
      pollMs: config.webhookPollMs,
      concurrency: config.webhookConcurrency,
    },
    signingSecret: (siteId, version) => identity.service.derivedSecret(`webhook:${siteId}:${version}`),
    userAgent: `Parley-Webhooks/${pkg.version}`,
    log: log.child({ component: 'webhooks' }),
  });
  const im = createImModule({
    db,
    events,
    tenancy: tenancy.service,
    visitors: visitors.service,
    agents: agents.service,
    chats: chat.service,
    robot: robot.service,
    webhooks: webhooks.service,
    deliveryIdKey: identity.service.derivedSecret('webhook-delivery-ids:v1'),
    rateLimitPerMinute: config.imRateLimitPerMinute,
  });
  const canned = createCannedModule({ db });
  const operator = createOperatorModule({
    identity: identity.service,
    agents: agents.service,
    chats: chat.service,
    visitors: visitors.service,
    events,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    onLogout: (principal) => realtime.service.endSession(principal),
  });
  const partners = createPartnersModule({
    db,
    dialect,
    log,
    publicUrl: config.publicUrl,
    baseDomain: config.baseDomain,
    platformName: 'Parley',
    logoDir: path.join(config.dataDir, 'uploads', 'logos'),
    logoMaxBytes: config.logoMaxBytes,
    siteDeleteGraceDays: config.siteDeleteGraceDays,
    accessTokenTtlSeconds: config.partnerTokenTtlSeconds,
    portalTokenTtlSeconds: config.agentTokenTtlSeconds,
    limits: {
      signupPerHour: config.partnerSignupRateLimitPerHour,
      loginPerMinute: config.loginRateLimitPerMinute,
      apiPerMinute: config.partnerRateLimitPerMinute,
      tokenPerMinute: config.partnerTokenRateLimitPerMinute,
    },
    idempotencySealKey: identity.service.derivedSecret('idempotency:v1'),
    verifyDomain: overrides.domainVerifier ?? dnsVerifier,
    events,
    tenancy: tenancy.service,
    agents: agents.service,
    visitors: visitors.service,
    chats: chat.service,
  });
  const widget = createWidgetModule({
    db,
    tenancy: tenancy.service,
    brandOf: async (partnerId) => shownBrand(await partners.service.hosts.ofPartner(partnerId)),
    im: im.service.service,
    imSettings: im.service.settings,
    agents: agents.service,
    greeting: (siteId) => robot.service.greeting(siteId),
    inviteOnBehalf: (ctx, agentId, message) => visitors.service.presence.inviteOnBehalf(ctx, agentId, message),
    fileSettings: (siteId) => chat.service.fileSettings.get(siteId),
  });
  const web = createWebModule({ publicUrl: config.publicUrl });
  const webview = createWebviewModule({
    db,
    chats: chat.service,
    visitors: visitors.service,
    sealKey: identity.service.derivedSecret('webview-secrets:v1'),
    ticketSecret: identity.service.derivedSecret('webview-tickets:v1'),
    groupExists: (siteId, groupId) => agents.service.groupExists(siteId, groupId),
    openSite: async (siteId) => {
      const site = await tenancy.service.siteState(siteId);
      return site?.open ? { partnerId: site.partnerId } : undefined;
    },
    themeOf: async (partnerId) => (await partners.service.hosts.ofPartner(partnerId)).themeCssUrl,
    page: web.service.webviewPage,
  });
  const sso = createSsoModule({
    db,
    log,
    identity: identity.service,
    partners: partners.service,
    publicUrl: config.publicUrl,
    secretsSealKey: identity.service.derivedSecret('sso-secrets:v1'),
    spSealKey: identity.service.derivedSecret('saml-sp:v1'),
    tenancy: tenancy.service,
    agents: agents.service,
    perMinute: config.ssoRateLimitPerMinute,
    onSessionsEnded: async (ended) => {
      for (const e of ended) await realtime.service.disconnect({ user: `agent:${e.agentId}`, session: `session:${e.sessionId}`, code: 3500, reason: 'logged out' });
    },
    appHtml: web.service.appPage,
  });
  const reports = createReportsModule({
    db,
    dialect,
    now: clock,
    perMinute: config.reportsRateLimitPerMinute,
    partnerOf: (siteId) => tenancy.service.partnerOf(siteId),
    async namesOf(request, by) {
      const ctx = siteContext(request.principal);
      const list = by === 'agent' ? await agents.service.list(ctx) : await agents.service.listGroups(ctx);
      return new Map(list.map((x) => [x.id, x.name]));
    },
  });
  const realtime = createRealtimeModule({
    broker,
    identity: identity.service,
    chats: chat.service,
    visitors: visitors.service,
    agents: agents.service,
    log: log.child({ component: 'realtime' }),
    ipGate,
    gateway: {
      pingIntervalSeconds: config.wsPingIntervalSeconds,
      maxMessageBytes: config.wsMaxMessageBytes,
      maxBufferedBytes: config.wsMaxBufferedBytes,
      maxPendingCommands: config.wsMaxPendingCommands,
      maxSubscriptions: config.wsMaxSubscriptions,
      historySize: config.historySize,
    },
  });

  // In the order their routes are registered, and their listeners visit each batch of events
  // (live clients first, then what follows from the change).
  const modules: ParleyModule<unknown, ParleyEvent>[] = [realtime, identity, tenancy, agents, visitors, chat, canned, widget, operator, webhooks, robot, im, partners, sso, webview, reports, web];
  relay = createRelay<ParleyEvent>({
    db: db.withTables<EventTables>(),
    nodeId: `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    listeners: modules.flatMap((m) => m.listeners ?? []),
    log: log.child({ component: 'events' }),
    options: { pollMs: config.eventPollMs, leaseMs: config.eventLeaseSeconds * 1000 },
    notifications: database.notifications,
  });
  return {
    modules,
    relay,
    ipGate,
    gateway: realtime.service.gateway,
    services: {
      identity: identity.service,
      tenancy: tenancy.service,
      agents: agents.service,
      visitors: visitors.service,
      chats: chat.service,
      webhooks: webhooks.service,
      robot: robot.service,
      im: im.service.service,
      imKeys: im.service.keys,
      partners: partnerOperations(partners.service),
      partnerSites: partners.service.sites,
      partnerHosts: partners.service.hosts,
      partnerTokens: partners.service.tokens,
      reports: reports.service,
    },
  };
}
