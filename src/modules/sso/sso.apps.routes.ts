// The browser apps behind sign-in, at every address they answer: the agent console (/console, and
// its parts at the spec's /LiveChat/AgentConsole… paths) and the control panel (/admin/…, and the
// spec's /adminManage/adminPanel/*.html and /livechat/campaigns.aspx kept as aliases). Each page takes `siteId` (and the app
// reads `onlyDisplayBody`). Signed in to that site: the app, framed only by the partner's own
// hosts, in the site's partner's brand. Not signed in: the partner's single sign-on, which comes
// back to the same page, or the app's own sign-in form.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
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
}
