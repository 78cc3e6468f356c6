// The browser apps behind sign-in, at every address they answer: the agent console (/console, and
// its parts at the spec's /LiveChat/AgentConsole… paths) and the control panel (/admin/…, and the
// spec's /adminManage/adminPanel/*.html and /livechat/campaigns.aspx kept as aliases). Each page takes `siteId` (and the app
// reads `onlyDisplayBody`). Signed in to that site: the app, framed only by the partner's own
// hosts, in the site's partner's brand. Not signed in: the partner's single sign-on, which comes
// back to the same page, or the app's own sign-in form.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BadRequest } from '../../platform/errors.ts';
import { Id } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AppPageValues, PageBrand, WebApp } from '../web/index.ts';
import type { OriginPolicy } from './sso.origins.ts';
import { sendApp } from './sso.pages.ts';
import type { Arrival, SsoService } from './sso.service.ts';
import type { SsoSettingsStore } from './sso.settings.ts';

/** The control panel's pages: Parley's own path and, where the spec names the page, the spec's (docs/control-panel.md). */
const PANEL_PAGES: [own: string, spec: string | null][] = [
  ['site', '/adminManage/adminPanel/siteProfile.html'],
  ['agents', '/adminManage/adminPanel/agentProfile.html'],
  ['groups', '/adminManage/adminPanel/agentGroup.html'],
  ['permissions', '/adminManage/adminPanel/permission.html'],
  ['ip-restrictions', '/adminManage/adminPanel/ipRestrictions.html'],
  ['campaigns', '/livechat/campaigns.aspx'],
  ['canned-messages', null],
  ['routing', null],
  ['robot', null],
  ['im-keys', null],
  ['webhook', null],
  ['mobile-app', null],
  ['reports', null],
];

/** Every address of an app page; the app shows the part its path names (web/console/src/state/part.ts, web/admin/src/state/pages.ts). */
export const APP_PAGES: { path: string; app: WebApp }[] = [
  { path: '/console', app: 'console' },
  { path: '/LiveChat/AgentConsole.html', app: 'console' },
  ...['MyChats', 'Visitors', 'Settings'].map((part) => ({ path: `/LiveChat/AgentConsole/${part}.html`, app: 'console' as const })),
  { path: '/admin', app: 'admin' },
  ...PANEL_PAGES.flatMap(([own, spec]) => [`/admin/${own}`, ...(spec ? [spec] : [])].map((path) => ({ path, app: 'admin' as const }))),
];

export interface AppPagesDeps {
  sso: SsoService;
  settings: SsoSettingsStore;
  identity: IdentityService;
  origins: OriginPolicy;
  arrival(request: FastifyRequest): Promise<Arrival>;
  platformOrigin: string;
  /** An app's HTML with the server's values put in. */
  appHtml(app: WebApp, values: AppPageValues): string;
  /** The brand of a partner, shown on its sites' pages whatever host serves them. */
  brandOf(partnerId: number): Promise<PageBrand>;
  /** The sign-in routes' rate limit (a page without a session may start a sign-in). */
  rateLimit: object;
}

/** Registers every app page (inside the sign-in routes' scope: failures are pages). */
export function registerAppPages(scope: HttpServer, deps: AppPagesDeps): void {
  const { sso, settings, identity, origins } = deps;
  const query = Type.Object({
    siteId: Type.Optional(Id),
    onlyDisplayBody: Type.Optional(Type.String({ maxLength: 10, description: '`true`: the page without header, footer or menu, for a frame' })),
  });

  async function serve(app: WebApp, request: FastifyRequest<{ Querystring: { siteId?: number } }>, reply: FastifyReply) {
    const here = await deps.arrival(request);
    const p = request.principal;
    const siteId = request.query.siteId ?? (p?.kind === 'agent' ? p.siteId : undefined);
    if (p?.kind === 'agent' && request.sessionToken && p.siteId === siteId) {
      const site = await sso.site(siteId, { origin: here.origin, hostPartnerId: null });
      const logoutTargets = [(await settings.saml(site.partner_id))?.logoutUrl, (await settings.jwt(site.partner_id))?.logoutUrl].filter((u): u is string => !!u).map((u) => new URL(u).origin);
      const values = { csrfToken: identity.csrfToken(request.sessionToken), brand: await deps.brandOf(site.partner_id) };
      return sendApp(reply, deps.appHtml(app, values), { frameAncestors: await origins.frameAncestors(site.partner_id), formAction: logoutTargets, platformOrigin: deps.platformOrigin });
    }
    // Not signed in: the partner's single sign-on when it has one (back to this very page), else
    // the app's own sign-in form. Signed in to another site: the form, never the sign-on, which
    // could answer with that other site's session again and send the browser round for ever.
    let partnerId = here.hostPartnerId;
    if (siteId !== undefined) {
      const elsewhere = p?.kind === 'agent' && request.sessionToken !== null;
      const sign = elsewhere ? null : await sso.signInUrl(siteId, here, `${here.origin}${request.url}`);
      if (sign) return reply.redirect(sign.url, 302);
      partnerId = (await sso.site(siteId, here)).partner_id;
    }
    // A sign-in form is framed only by the partner's own pages (and never by anyone's when no partner is known).
    const ancestors = partnerId === null ? [] : await origins.frameAncestors(partnerId);
    const brand = partnerId === null ? null : await deps.brandOf(partnerId);
    return sendApp(reply, deps.appHtml(app, { csrfToken: null, brand }), { frameAncestors: ancestors, formAction: [], platformOrigin: deps.platformOrigin });
  }

  for (const { path, app } of APP_PAGES) {
    scope.get(path, { config: { access: ['public'], rateLimit: deps.rateLimit }, schema: { hide: true, querystring: query } }, (request, reply) => serve(app, request, reply));
  }
  registerSdkFrame(scope, deps);
  registerPortalPages(scope, deps);
}

/** The partner portal's addresses (docs/partner-portal-screens.md): its pages and the set-password link's page. */
export const PORTAL_PAGES = ['/partner', '/partner/:page'];

/**
 * The partner portal (the platform app's portal part): on a partner's white-label host in that
 * partner's brand, on Parley's own host in Parley's (the app shows the partner's once signed in).
 * It holds a portal user's token, so no page may frame it.
 */
function registerPortalPages(scope: HttpServer, deps: AppPagesDeps): void {
  const params = Type.Object({ page: Type.Optional(Type.String({ maxLength: 40 })) });
  for (const path of PORTAL_PAGES) {
    scope.get(path, { config: { access: ['public'], rateLimit: deps.rateLimit }, schema: { hide: true, params } }, async (request, reply) => {
      const here = await deps.arrival(request);
      const brand = here.hostPartnerId === null ? null : await deps.brandOf(here.hostPartnerId);
      return sendApp(reply, deps.appHtml('platform', { csrfToken: null, brand }), { frameAncestors: [], formAction: [], platformOrigin: deps.platformOrigin });
    });
  }
  // Set-password links e-mailed before the portal had its page pointed here (the browser keeps the #token).
  const query = Type.Object({ partner: Type.Optional(Type.String({ maxLength: 63, pattern: '^[a-z0-9-]+$' })) });
  scope.get('/portal/set-password', { config: { access: ['public'], rateLimit: deps.rateLimit }, schema: { hide: true, querystring: query } }, (request, reply) =>
    reply.redirect(`/partner/set-password${request.query.partner ? `?partner=${request.query.partner}` : ''}`, 301),
  );
}

/**
 * The Agent Console SDK's frame (docs/agent-console-sdk.md): the console, framed only by the one
 * origin the SDK's page says it is on, and only when the partner allows that origin (its own hosts
 * and its embed origins). The partner is the host's, or `partnerId` on Parley's own host. A refused
 * origin gets a page that only tells the SDK so (it may be framed anywhere: it shows nothing else).
 * The browser's session is resumed only when it is on a site of that partner.
 */
function registerSdkFrame(scope: HttpServer, deps: AppPagesDeps): void {
  const { sso, identity, origins } = deps;
  const query = Type.Object({
    origin: Type.String({ minLength: 1, maxLength: 300, description: "The origin of the partner's page (the SDK sends `location.origin`)" }),
    partnerId: Type.Optional(Id),
  });
  scope.get('/sdk/console.html', { config: { access: ['public'], rateLimit: deps.rateLimit }, schema: { hide: true, querystring: query } }, async (request, reply) => {
    const here = await deps.arrival(request);
    const origin = exactOrigin(request.query.origin);
    if (origin === null) throw new BadRequest('origin must be the origin of the page that loads the SDK, such as https://app.example.com.', { reason: 'sdk-origin' });
    const named = request.query.partnerId;
    const partnerId = here.hostPartnerId ?? named ?? null;
    const refuse = (why: string) =>
      sendApp(reply, deps.appHtml('console', { csrfToken: null, brand: null, sdk: { origin, refused: why, resume: false, partnerId: null } }), { frameAncestors: ['*'], formAction: [], platformOrigin: deps.platformOrigin });
    if (partnerId === null) return refuse('Load the SDK from the partner’s own Parley address, or give config.partnerId.');
    if (named !== undefined && named !== partnerId) return refuse('config.partnerId names another partner than the address config.server is.');
    if (!(await origins.mayHostSdk(partnerId, origin, here.origin))) {
      return refuse(`${origin} is not one of the partner’s addresses: the partner may add it to its embed origins.`);
    }
    // A session on another partner's site must not run inside this partner's frame.
    const p = request.principal;
    let csrfToken: string | null = null;
    if (p?.kind === 'agent' && request.sessionToken) {
      const site = await sso.site(p.siteId, { origin: here.origin, hostPartnerId: null }).catch(() => null);
      if (site?.partner_id === partnerId) csrfToken = identity.csrfToken(request.sessionToken);
    }
    const values = { csrfToken, brand: await deps.brandOf(partnerId), sdk: { origin, refused: null, resume: csrfToken !== null, partnerId } };
    return sendApp(reply, deps.appHtml('console', values), { frameAncestors: [origin], formAction: [], platformOrigin: deps.platformOrigin });
  });
}

/** `raw` when it is exactly an http(s) origin (no path, query or credentials), else null. */
function exactOrigin(raw: string): string | null {
  try {
    const url = new URL(raw);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== raw.toLowerCase().replace(/\/$/, '')) return null;
    return url.origin;
  } catch {
    return null;
  }
}
