// Every route declares who may call it (`config.access`); this hook enforces the declaration
// before any handler runs. A route with no declaration cannot be registered.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, Forbidden, Unauthorized } from '../errors.ts';

/**
 * What a site admin may grant an agent or a group in the control panel (docs/control-panel.md).
 * Site admins hold every one. The vocabulary lives here because routes of many modules name them.
 */
export const PERMISSIONS = [
  'editSiteProfile',
  'manageAgents',
  'managePermissions',
  'manageCampaigns',
  'manageSettings',
  'manageCanned',
  'viewReports',
  'monitorChats',
  'banVisitors',
  'manageIpRestrictions',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * Who may call a route (site admins and agents with a permission: `agent` with `config.permission`); `im` an IM API key;
 * `partner` a partner-portal user; `partner-api` an OAuth access token of a partner;
 * `site-client` such a token with a site-data scope, acting on the site named by the
 * `Parley-Site-Id` header (read-only scopes may only GET).
 */
export type Access = 'public' | 'agent' | 'visitor' | 'platform' | 'im' | 'partner' | 'partner-api' | 'site-client';

/**
 * The authenticated caller, as the identity module resolves it from a bearer token. `sessionId`
 * names the login session the token belongs to (refreshed tokens share their session's).
 */
export type Principal =
  | {
      kind: 'agent';
      agentId: number;
      siteId: number;
      role: 'admin' | 'agent';
      tokenId: number;
      sessionId: number;
      /** What the agent may do in the control panel, once a route asked (site admins hold everything). */
      permissions?: ReadonlySet<Permission>;
    }
  | { kind: 'visitor'; visitorId: number; siteId: number }
  | { kind: 'platform'; userId: number; tokenId: number; sessionId: number }
  /** A customer's application, with one of its site's IM API keys. */
  | { kind: 'im'; siteId: number; keyId: number }
  /** A person logged in to the partner portal. */
  | { kind: 'partner'; partnerId: number; userId: number; tokenId: number; sessionId: number }
  /**
   * A partner's back end with an OAuth access token: `scopes` say what it may do, `allowList` the
   * addresses it may call from (empty: any), both as they were when the call began.
   */
  | { kind: 'partner-api'; partnerId: number; tokenId: number; oauthClientId: number | null; scopes: string[]; allowList: string[] }
  /** A partner's OAuth token acting on one of the partner's sites through the native site API. */
  | {
      kind: 'site-client';
      partnerId: number;
      siteId: number;
      tokenId: number;
      /** site-data:read (or write) and site-data:write; `reports` the reports scope (docs/partner-api.md). */
      read: boolean;
      write: boolean;
      reports: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access[];
    /**
     * A server-to-server route (the Partner API): browsers must not call it, so requests with
     * browser markers are refused, and tokens are taken from the Authorization header only.
     */
    serverOnly?: boolean;
    /**
     * The permission an agent must hold for the route (site admins hold all; a partner's site
     * client needs its site-data scope, as everywhere). Checked after `access`.
     */
    permission?: Permission;
    /**
     * A partner's site client needs this scope rather than site-data (`reports`: the Report API,
     * whose tokens read nothing else of the site).
     */
    siteClientScope?: 'reports';
    /**
     * A public route a site's visitors call with the site in the path (`:siteId`): the site's
     * refused addresses get 403 before anything is read or stored.
     */
    visitorSiteParam?: boolean;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The session cookie's token when the caller was authenticated by it (not by a bearer). */
    sessionToken: string | null;
    /**
     * Refuses the call (403) unless the caller may use `permission`: a site admin, an agent who
     * holds it, or a partner's site client (whose scope `access` has checked). The hook calls it
     * for routes that declare `permission`; handlers may call it when the need depends on the data.
     */
    requirePermission(permission: Permission): Promise<void>;
    /** Reads the calling agent's permissions onto the principal (for services that decide by the data). */
    loadPermissions(): Promise<void>;
  }
}

/**
 * A site's IP restrictions, as the access hook asks them: whether the site refuses a visitor (or
 * an IM caller) or an agent at this address.
 */
export type IpGate = (who: 'visitor' | 'agent', siteId: number, ip: string) => Promise<boolean>;

/** The permissions an agent holds (its own and its groups'); the agents module answers. */
export type PermissionResolver = (principal: Extract<Principal, { kind: 'agent' }>) => Promise<ReadonlySet<Permission>>;

/**
 * Agents' browser sessions: an opaque agent token in a cookie. Requests that change something
 * must also carry the session's CSRF token (header `X-CSRF-Token`), since browsers send cookies
 * with requests other sites start.
 */
export interface CookieSessions {
  cookie: string;
  csrfMatches(sessionToken: string, presented: string | undefined): boolean;
}

/** Reads one cookie from a request (the last one of the name wins, as browsers send them). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  let value: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) value = part.slice(eq + 1).trim();
  }
  return value;
}

export type Authenticate = (token: string) => Promise<Principal>;

/** Turns a partner's token into a site client of the named site (or refuses). */
export type SiteClientResolver = (principal: Extract<Principal, { kind: 'partner-api' }>, siteId: string | undefined, ip: string) => Promise<Principal>;

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new Unauthorized('The Authorization header must be "Bearer <token>".');
  return match[1];
}

const READS = new Set(['GET', 'HEAD']);
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

async function resolve(request: FastifyRequest, authenticate: Authenticate, sessions: CookieSessions | undefined): Promise<Principal | null> {
  const token = bearer(request);
  if (token !== undefined) return authenticate(token);
  // Server-to-server routes never take cookies; only agents' tokens live in them.
  const cookie = sessions && !request.routeOptions.config.serverOnly ? readCookie(request, sessions.cookie) : undefined;
  if (!cookie?.startsWith('pla_')) return null;
  const principal = await authenticate(cookie);
  if (!SAFE.has(request.method)) {
    const presented = request.headers['x-csrf-token'];
    if (!sessions!.csrfMatches(cookie, typeof presented === 'string' ? presented : undefined)) {
      throw new Forbidden(
        presented === undefined
          ? 'The CSRF token is missing: requests made with the session cookie that change something must send it in the X-CSRF-Token header.'
          : 'The CSRF token does not belong to this session.',
        { reason: 'csrf' },
      );
    }
  }
  request.sessionToken = cookie;
  return principal;
}

function allows(access: Access[], p: Principal, method: string, siteClientScope: 'reports' | undefined): boolean {
  const siteClientMay = (c: Extract<Principal, { kind: 'site-client' }>) => (siteClientScope === 'reports' ? c.reports : c.write || (c.read && READS.has(method)));
  return access.some((a) => a === 'public' || (a === p.kind && (p.kind !== 'site-client' || siteClientMay(p))));
}

// Headers only a browser sends: the Partner API is for back ends (spec: no cross-origin calls).
// Node's own fetch sends `Sec-Fetch-Mode: cors` and nothing else of these, so that alone is let
// through (docs/decisions.md); every browser request carries Sec-Fetch-Site or Origin as well.
const BROWSER_MARKERS = ['origin', 'sec-fetch-site', 'sec-fetch-dest', 'sec-fetch-user'];

function refuseBrowsers(request: FastifyRequest): void {
  const mode = request.headers['sec-fetch-mode'];
  const marker = BROWSER_MARKERS.find((h) => request.headers[h] !== undefined) ?? (mode !== undefined && mode !== 'cors' ? 'sec-fetch-mode' : undefined);
  if (marker) throw new Forbidden(`This API is for servers only; browsers may not call it (the request carries ${marker}).`, { reason: 'browser-request' });
  const query = request.query as Record<string, unknown> | undefined;
  if (query && typeof query === 'object' && 'access_token' in query) {
    throw new BadRequest('Send the access token in the Authorization header, never in the URL.', { reason: 'token-in-query' });
  }
}

/** Installs the route-declaration check and the access hook on the root instance. */
export function installAccessControl(
  app: FastifyInstance,
  authenticate: Authenticate,
  siteClient?: SiteClientResolver,
  sessions?: CookieSessions,
  permissionsOf?: PermissionResolver,
  ipGate?: IpGate,
): void {
  async function gate(request: FastifyRequest): Promise<void> {
    if (!ipGate) return;
    const p = request.principal;
    let refused = false;
    if (p?.kind === 'agent') refused = await ipGate('agent', p.siteId, request.ip);
    else if (p?.kind === 'visitor' || p?.kind === 'im') refused = await ipGate('visitor', p.siteId, request.ip);
    // The site in the path counts whatever token came along (one of another site must not open a door).
    if (!refused && request.routeOptions.config.visitorSiteParam) {
      const siteId = Number((request.params as { siteId?: string } | undefined)?.siteId);
      if (Number.isSafeInteger(siteId) && siteId > 0) refused = await ipGate('visitor', siteId, request.ip);
    }
    if (refused) throw new Forbidden('This site does not accept requests from your address.', { reason: 'ip-restricted' });
  }

  app.decorateRequest('principal', null);
  app.decorateRequest('sessionToken', null);
  // Agents' permissions are read only when a route asks, and kept on the principal for the request.
  app.decorateRequest('loadPermissions', async function (this: FastifyRequest) {
    const p = this.principal;
    if (p?.kind !== 'agent' || p.role === 'admin' || p.permissions || !permissionsOf) return;
    this.principal = { ...p, permissions: await permissionsOf(p) };
  });
  app.decorateRequest('requirePermission', async function (this: FastifyRequest, permission: Permission) {
    await this.loadPermissions();
    const p = this.principal;
    if (p?.kind === 'site-client' || (p?.kind === 'agent' && p.role === 'admin')) return;
    if (p?.kind !== 'agent') throw new Forbidden('This call is for agents of the site.');
    if (!p.permissions?.has(permission)) {
      throw new Forbidden(`This call needs the ${permission} permission, which a site admin grants to you or to one of your groups.`, { reason: 'permission', permission });
    }
  });
  app.addHook('onRoute', (route) => {
    const declared = (route.config as { access?: Access[] } | undefined)?.access;
    if (declared && declared.length > 0) return;
    // The bundled docs page is public, and WebSocket routes authenticate with the protocol's own
    // connect command; everything else must say who may call it.
    if (route.url.startsWith('/docs') || (route as { websocket?: boolean }).websocket) {
      route.config = { ...(route.config as object), access: ['public'] };
      return;
    }
    throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
  });
  // onRequest: callers are checked before their body is read.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // the not-found handler
    if (request.routeOptions.config.serverOnly) refuseBrowsers(request);
    if (access.includes('public')) {
      // A public route may still use a caller's identity, but a stale token must not block it.
      request.principal = await resolve(request, authenticate, sessions).catch(() => {
        request.sessionToken = null;
        return null;
      });
      await gate(request);
      return;
    }
    request.principal = await resolve(request, authenticate, sessions);
    if (!request.principal) throw new Unauthorized('This route needs a bearer token (or, for agents in a browser, a session cookie).');
    if (request.principal.kind === 'partner-api' && access.includes('site-client') && siteClient) {
      const header = request.headers['parley-site-id'];
      request.principal = await siteClient(request.principal, typeof header === 'string' ? header : undefined, request.ip);
    }
    if (!allows(access, request.principal, request.method, request.routeOptions.config.siteClientScope)) {
      throw new Forbidden(`This route is for ${access.join(' or ')} callers.`);
    }
    await gate(request);
    const permission = request.routeOptions.config.permission;
    if (permission) await request.requirePermission(permission);
  });
}

/** Who a rate limit counts a call against: the authenticated caller, else the address. */
function callerKey(req: FastifyRequest): string {
  const p = req.principal;
  switch (p?.kind) {
    case 'agent':
      return `agent:${p.agentId}`;
    case 'visitor':
      return `visitor:${p.visitorId}`;
    case 'partner':
      return `partner-user:${p.userId}`;
    case 'partner-api':
    case 'site-client':
      return `partner:${p.partnerId}`;
    case 'platform':
      return `platform:${p.userId}`;
    default:
      return req.ip;
  }
}

/**
 * A route's rate limit per caller (an agent, a visitor, a portal or platform user, a partner's
 * tokens together; others by address), counted after authentication, so agents behind one office
 * address do not share a budget.
 */
export function perCallerRateLimit(name: string, max: number) {
  return {
    max,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (req: FastifyRequest) => `${name}|${callerKey(req)}`,
  };
}
