// The one place that reads process.env. Everything else receives a typed Config.
import path from 'node:path';
import { parseAllowListEntry } from './platform/net/allow-list.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  /** `sqlite:<file>` or `postgres://…`; defaults to a SQLite file in the data dir. */
  databaseUrl: string;
  redisUrl: string | undefined;
  logLevel: LogLevel;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** HMAC secret for visitor tokens; when unset one is generated once and kept in the database. */
  secret: string | undefined;
  agentTokenTtlSeconds: number;
  visitorTokenTtlSeconds: number;
  bodyLimitBytes: number;
  wsPingIntervalSeconds: number;
  wsMaxMessageBytes: number;
  /** Outgoing bytes a WebSocket client may leave unread before it is disconnected as slow. */
  wsMaxBufferedBytes: number;
  /** Commands a client may have waiting for their turn or answer. */
  wsMaxPendingCommands: number;
  /** Channels one connection may hold. */
  wsMaxSubscriptions: number;
  /** Publications kept per real-time channel for recovery after a reconnect. */
  historySize: number;
  historyTtlSeconds: number;
  historyMetaTtlSeconds: number;
  /** Prefix of every Redis key and channel, so several Parley clusters can share one Redis. */
  redisPrefix: string;
  loginRateLimitPerMinute: number;
  /** Single sign-on requests (sign-in, ACS, logout, JWT exchange) per minute per client address. */
  ssoRateLimitPerMinute: number;
  defaultMaxConcurrentChats: number;
  /** IM API calls one key may make per minute. */
  imRateLimitPerMinute: number;
  /** How often a node ends the chats that waited longer than their site allows. */
  queueSweepSeconds: number;
  /** A webhook delivery succeeds only on HTTP 200 within this many milliseconds. */
  webhookTimeoutMs: number;
  /** How long a webhook delivery is retried before it is marked dead. */
  webhookRetryPeriodSeconds: number;
  /** First retry delay of a webhook delivery; it doubles per attempt (with jitter) up to the max. */
  webhookBackoffBaseMs: number;
  webhookBackoffMaxMs: number;
  /** How often each node's webhook worker looks for due deliveries. */
  webhookPollMs: number;
  /** Customers whose webhook deliveries one node sends in parallel. */
  webhookConcurrency: number;
  /** How often an idle node reads the event log for events other nodes appended (SQLite; PostgreSQL notifies). */
  eventPollMs: number;
  /** How long a node keeps an event listener's lease without renewing it (a dead node's pass to others after it). */
  eventLeaseSeconds: number;
  /** How long handled events stay in the log. */
  eventRetentionHours: number;
  /**
   * Test-only fault: the node kills itself (SIGKILL) right after committing an event whose JSON
   * contains this text, before relaying it. Read only when NODE_ENV is `test`.
   */
  faultKillAfterCommit: string | null;
  /** Partners get `{slug}.{baseDomain}` as their white-label host. */
  baseDomain: string;
  /** Proxies whose X-Forwarded-For / X-Forwarded-Host are believed (addresses and CIDR ranges). */
  trustedProxies: string[];
  /** Request header a trusted proxy sets to the client's country (e.g. CF-IPCountry); null: none. */
  geoCountryHeader: string | null;
  /** History searches one agent may run per minute. */
  searchRateLimitPerMinute: number;
  /** Report API calls one caller may make per minute. */
  reportsRateLimitPerMinute: number;
  /** Largest file a visitor or agent may send in a chat. */
  fileMaxBytes: number;
  /** Files one visitor or agent may send per minute. */
  fileRateLimitPerMinute: number;
  /** Partner API calls one partner may make per minute. */
  partnerRateLimitPerMinute: number;
  /** Token requests one client id may make per minute. */
  partnerTokenRateLimitPerMinute: number;
  partnerTokenTtlSeconds: number;
  /** Partner applications one address may submit per hour. */
  partnerSignupRateLimitPerHour: number;
  /** Days a deleted site can be restored before it and its data are removed for good. */
  siteDeleteGraceDays: number;
  logoMaxBytes: number;
}

/** Thrown when the environment holds a value Parley cannot use; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

interface Reader {
  errors: string[];
  env: Env;
}

function str(r: Reader, name: string): string | undefined {
  const v = r.env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(r: Reader, name: string, fallback: number, min: number, max: number): number {
  const raw = str(r, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    r.errors.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return n;
}

function oneOf<T extends string>(r: Reader, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = str(r, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    r.errors.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
    return fallback;
  }
  return raw as T;
}

function url(r: Reader, name: string, protocols: readonly string[]): string | undefined {
  const raw = str(r, name);
  if (raw === undefined) return undefined;
  try {
    const u = new URL(raw);
    if (!protocols.includes(u.protocol)) {
      r.errors.push(`${name} must be a ${protocols.join(' or ')} URL (got protocol "${u.protocol}")`);
      return undefined;
    }
    return raw;
  } catch {
    r.errors.push(`${name} is not a valid URL`);
    return undefined;
  }
}

/** Reads and validates the configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const r: Reader = { errors: [], env };
  const host = str(r, 'PARLEY_HOST') ?? '0.0.0.0';
  const port = int(r, 'PARLEY_PORT', 8080, 0, 65535);
  const dataDir = path.resolve(cwd, str(r, 'PARLEY_DATA_DIR') ?? './data');
  const databaseUrl =
    url(r, 'DATABASE_URL', ['postgres:', 'postgresql:', 'sqlite:']) ??
    `sqlite:${path.join(dataDir, 'parley.db')}`;
  const redisUrl = url(r, 'REDIS_URL', ['redis:', 'rediss:']);
  const publicUrl =
    url(r, 'PARLEY_PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, '') ??
    `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  const logLevel = oneOf<LogLevel>(r, 'PARLEY_LOG_LEVEL', 'info', [
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ]);
  const adminEmail = str(r, 'PARLEY_ADMIN_EMAIL');
  if (adminEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    r.errors.push('PARLEY_ADMIN_EMAIL is not an e-mail address');
  }
  const adminPassword = str(r, 'PARLEY_ADMIN_PASSWORD');
  if (adminPassword !== undefined && adminPassword.length < 8) {
    r.errors.push('PARLEY_ADMIN_PASSWORD must be at least 8 characters');
  }
  const secret = str(r, 'PARLEY_SECRET');
  if (secret !== undefined && secret.length < 32) {
    r.errors.push('PARLEY_SECRET must be at least 32 characters');
  }
  const baseDomain = (str(r, 'PARLEY_BASE_DOMAIN') ?? new URL(publicUrl).hostname).toLowerCase().replace(/\.$/, '');
  if (!/^(?=.{1,200}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/.test(baseDomain)) {
    r.errors.push(`PARLEY_BASE_DOMAIN must be a domain name such as chat.example.com (got "${baseDomain}")`);
  }
  const trustedProxies: string[] = [];
  for (const entry of (str(r, 'PARLEY_TRUSTED_PROXIES') ?? '').split(',').filter((e) => e.trim() !== '')) {
    const parsed = parseAllowListEntry(entry);
    if (parsed.ok) trustedProxies.push(parsed.value);
    else r.errors.push(`PARLEY_TRUSTED_PROXIES: ${parsed.reason}`);
  }
  const config: Config = {
    host,
    port,
    publicUrl,
    dataDir,
    databaseUrl,
    redisUrl,
    logLevel,
    adminEmail,
    adminPassword,
    secret,
    agentTokenTtlSeconds: int(r, 'PARLEY_AGENT_TOKEN_TTL', 12 * 3600, 60, 30 * 24 * 3600),
    visitorTokenTtlSeconds: int(r, 'PARLEY_VISITOR_TOKEN_TTL', 24 * 3600, 60, 30 * 24 * 3600),
    bodyLimitBytes: int(r, 'PARLEY_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
    wsPingIntervalSeconds: int(r, 'PARLEY_WS_PING_INTERVAL', 25, 1, 600),
    wsMaxMessageBytes: int(r, 'PARLEY_WS_MAX_MESSAGE_SIZE', 65536, 1024, 16 * 1024 * 1024),
    wsMaxBufferedBytes: int(r, 'PARLEY_WS_MAX_BUFFERED', 1024 * 1024, 16 * 1024, 256 * 1024 * 1024),
    wsMaxPendingCommands: int(r, 'PARLEY_WS_MAX_PENDING_COMMANDS', 1000, 10, 100_000),
    wsMaxSubscriptions: int(r, 'PARLEY_WS_MAX_SUBSCRIPTIONS', 256, 2, 10_000),
    historySize: int(r, 'PARLEY_HISTORY_SIZE', 100, 0, 10_000),
    historyTtlSeconds: int(r, 'PARLEY_HISTORY_TTL', 600, 1, 7 * 24 * 3600),
    historyMetaTtlSeconds: int(r, 'PARLEY_HISTORY_META_TTL', 7 * 24 * 3600, 60, 90 * 24 * 3600),
    redisPrefix: str(r, 'PARLEY_REDIS_PREFIX') ?? 'parley',
    loginRateLimitPerMinute: int(r, 'PARLEY_LOGIN_RATE_LIMIT', 10, 1, 10000),
    ssoRateLimitPerMinute: int(r, 'PARLEY_SSO_RATE_LIMIT', 60, 1, 100000),
    defaultMaxConcurrentChats: int(r, 'PARLEY_DEFAULT_MAX_CHATS', 6, 1, 1000),
    imRateLimitPerMinute: int(r, 'PARLEY_IM_RATE_LIMIT', 600, 1, 1_000_000),
    queueSweepSeconds: int(r, 'PARLEY_QUEUE_SWEEP_SECONDS', 5, 1, 3600),
    webhookTimeoutMs: int(r, 'PARLEY_WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    webhookRetryPeriodSeconds: int(r, 'PARLEY_WEBHOOK_RETRY_PERIOD_SECONDS', 24 * 3600, 1, 30 * 24 * 3600),
    webhookBackoffBaseMs: int(r, 'PARLEY_WEBHOOK_BACKOFF_BASE_MS', 1000, 1, 3600_000),
    webhookBackoffMaxMs: int(r, 'PARLEY_WEBHOOK_BACKOFF_MAX_MS', 600_000, 1, 24 * 3600_000),
    webhookPollMs: int(r, 'PARLEY_WEBHOOK_POLL_MS', 1000, 10, 600_000),
    webhookConcurrency: int(r, 'PARLEY_WEBHOOK_CONCURRENCY', 8, 1, 1000),
    eventPollMs: int(r, 'PARLEY_EVENT_POLL_MS', 250, 10, 60_000),
    eventLeaseSeconds: int(r, 'PARLEY_EVENT_LEASE_SECONDS', 5, 1, 600),
    eventRetentionHours: int(r, 'PARLEY_EVENT_RETENTION_HOURS', 7 * 24, 1, 365 * 24),
    faultKillAfterCommit: env.NODE_ENV === 'test' ? (str(r, 'PARLEY_TEST_KILL_AFTER_COMMIT') ?? null) : null,
    baseDomain,
    trustedProxies,
    partnerRateLimitPerMinute: int(r, 'PARLEY_PARTNER_RATE_LIMIT', 600, 1, 1_000_000),
    partnerTokenRateLimitPerMinute: int(r, 'PARLEY_PARTNER_TOKEN_RATE_LIMIT', 30, 1, 100_000),
    partnerTokenTtlSeconds: int(r, 'PARLEY_PARTNER_TOKEN_TTL', 3600, 60, 24 * 3600),
    partnerSignupRateLimitPerHour: int(r, 'PARLEY_PARTNER_SIGNUP_RATE_LIMIT', 5, 1, 100_000),
    siteDeleteGraceDays: int(r, 'PARLEY_SITE_DELETE_GRACE_DAYS', 30, 0, 365),
    logoMaxBytes: int(r, 'PARLEY_LOGO_MAX_BYTES', 512 * 1024, 1024, 10 * 1024 * 1024),
    geoCountryHeader: str(r, 'PARLEY_GEO_COUNTRY_HEADER')?.toLowerCase() ?? null,
    searchRateLimitPerMinute: int(r, 'PARLEY_SEARCH_RATE_LIMIT', 30, 1, 100_000),
    reportsRateLimitPerMinute: int(r, 'PARLEY_REPORTS_RATE_LIMIT', 600, 1, 100_000),
    fileMaxBytes: int(r, 'PARLEY_FILE_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    fileRateLimitPerMinute: int(r, 'PARLEY_FILE_RATE_LIMIT', 30, 1, 100_000),
  };
  if (config.historyMetaTtlSeconds <= config.historyTtlSeconds) {
    r.errors.push('PARLEY_HISTORY_META_TTL must be longer than PARLEY_HISTORY_TTL');
  }
  if (config.webhookBackoffMaxMs < config.webhookBackoffBaseMs) {
    r.errors.push('PARLEY_WEBHOOK_BACKOFF_MAX_MS must be at least PARLEY_WEBHOOK_BACKOFF_BASE_MS');
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(config.redisPrefix)) {
    r.errors.push('PARLEY_REDIS_PREFIX may hold only letters, digits, "_", "." and "-" (at most 64)');
  }
  if (r.errors.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  - ${r.errors.join('\n  - ')}`);
  }
  return config;
}
