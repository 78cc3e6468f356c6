// Visitors: opening a session on a site (public) and reading one's own profile.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { perCallerRateLimit } from '../../platform/http/access.ts';
import { AllowList } from '../../platform/net/allow-list.ts';
import { Email, Id, Nullable, problems, Timestamp, TokenResponse } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { VisitorsService } from './visitors.service.ts';

const Info = Type.Record(
  Type.String({ maxLength: 64 }),
  Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean(), Type.Null()]),
  { maxProperties: 50, description: 'Free-form facts about the visitor (page, language, …)' },
);

export const VisitorSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    info: Info,
    isBanned: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'Visitor' },
);
const VisitorRef = Type.Unsafe<Type.Static<typeof VisitorSchema>>({ $ref: 'Visitor' });

const N = Nullable(Type.String());

export const VisitorPresenceSchema = Type.Object(
  {
    ...VisitorSchema.properties,
    online: Type.Boolean({ description: 'A real-time connection (the widget) is open now' }),
    currentUrl: N,
    currentTitle: N,
    referrer: Nullable(Type.String({ description: 'Where the current visit came from' })),
    pageViews: Type.Integer({ description: 'Pages opened in the current visit' }),
    visitStartedAt: Nullable(Timestamp),
    lastSeenAt: Timestamp,
    location: Type.Object({ country: N, city: N, timezone: N, language: N }),
    capturedBy: Nullable(Id),
    chat: Nullable(Type.Object({ id: Id, status: Type.String(), agentId: Nullable(Id) })),
  },
  { $id: 'VisitorPresence', description: 'A visitor as the visitor list shows it' },
);
const PresenceRef = Type.Unsafe<Type.Static<typeof VisitorPresenceSchema>>({ $ref: 'VisitorPresence' });
const security = [{ bearer: [] }];
const VisitorParams = Type.Object({ visitorId: Id });
const PageUrl = Type.String({ minLength: 1, maxLength: 2000, pattern: '^https?://' });

/** Registers the visitor routes. */
export function registerVisitorRoutes(app: HttpServer, visitors: VisitorsService, opts: { geoCountryHeader: string | null; trustedProxies: string[] }): void {
  // The country header counts only when a trusted proxy sent the request (anyone can send headers).
  const proxies = AllowList.from(opts.trustedProxies);
  app.addSchema(VisitorSchema);
  app.addSchema(VisitorPresenceSchema);
  const { presence } = visitors;

  app.post(
    '/api/v1/sites/:siteId/visitors',
    {
      config: { access: ['public'], visitorSiteParam: true, rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags: ['visitors'],
        summary: 'Open a visitor session on a site',
        description:
          'Returns a visitor token for REST calls and the real-time connection. Send a current visitor token of the same site as bearer to keep the same visitor.',
        params: Type.Object({ siteId: Id }),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            email: Type.Optional(Email),
            info: Type.Optional(Info),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ visitor: VisitorRef, ...TokenResponse.properties }),
          201: Type.Object({ visitor: VisitorRef, ...TokenResponse.properties }),
          ...problems(400, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const { created, ...session } = await visitors.openSession(request.params.siteId, request.body ?? {}, request.principal);
      return reply.code(created ? 201 : 200).send(session);
    },
  );

  app.get(
    '/api/v1/visitors/me',
    {
      config: { access: ['visitor'] },
      schema: { tags: ['visitors'], summary: 'The calling visitor', security: [{ bearer: [] }], response: { 200: VisitorRef, ...problems(401, 403) } },
    },
    async (request) => {
      const ctx = siteContext(request.principal);
      return visitors.get(ctx.siteId, ctx.actor.kind === 'visitor' ? ctx.actor.visitorId : 0);
    },
  );

  app.post(
    '/api/v1/visitors/me/pageviews',
    {
      config: { access: ['visitor'], rateLimit: { max: 120, timeWindow: 60_000 } },
      schema: {
        tags: ['visitors'],
        summary: 'Report the page the visitor opened (the widget does, for the visitor list)',
        security,
        body: Type.Object(
          {
            url: PageUrl,
            title: Type.Optional(Type.String({ maxLength: 500 })),
            referrer: Type.Optional(Type.String({ maxLength: 2000 })),
            timezone: Type.Optional(Type.String({ maxLength: 64 })),
            language: Type.Optional(Type.String({ maxLength: 35 })),
          },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const fromProxy = proxies.allows(request.socket.remoteAddress ?? '');
      const header = opts.geoCountryHeader && fromProxy ? request.headers[opts.geoCountryHeader] : undefined;
      const country = typeof header === 'string' && /^[A-Za-z]{2}$/.test(header) ? header.toUpperCase() : null;
      await presence.pageViewed(siteContext(request.principal), request.body, country);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/visitors',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['visitors'],
        summary: 'Who is on the site now (and the visitors agents captured), the most recently active first',
        security,
        response: { 200: Type.Object({ visitors: Type.Array(PresenceRef) }), ...problems(401, 403) },
      },
    },
    async (request) => ({ visitors: await presence.list(siteContext(request.principal)) }),
  );

  app.get(
    '/api/v1/visitors/:visitorId',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['visitors'],
        summary: 'One visitor of the site, as the visitor list shows it (online or not)',
        security,
        params: VisitorParams,
        response: { 200: PresenceRef, ...problems(401, 403, 404) },
      },
    },
    async (request) => presence.one(siteContext(request.principal), request.params.visitorId),
  );

  app.post(
    '/api/v1/visitors/:visitorId/invite',
    {
      // An invitation pops up on the visitor's page: a budget per agent keeps it from being a flood.
      config: {
        access: ['agent'],
        rateLimit: perCallerRateLimit('invite', 20),
      },
      schema: {
        tags: ['visitors'],
        summary: 'Invite a visitor who is on the site to chat with you (the widget shows the invitation)',
        security,
        params: VisitorParams,
        body: Type.Optional(Type.Object({ message: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) }, { additionalProperties: false })),
        response: { 202: Type.Null(), ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      await presence.invite(siteContext(request.principal), request.params.visitorId, request.body?.message);
      return reply.code(202).send(null);
    },
  );

  for (const action of ['capture', 'release'] as const) {
    app.post(
      `/api/v1/visitors/:visitorId/${action}`,
      {
        config: { access: ['agent'] },
        schema: {
          tags: ['visitors'],
          summary: action === 'capture' ? 'Keep a visitor in the visitor list even after it leaves' : 'Let a captured visitor leave the list when it leaves the site',
          security,
          params: VisitorParams,
          response: { 200: PresenceRef, ...problems(401, 403, 404) },
        },
      },
      async (request) => presence.capture(siteContext(request.principal), request.params.visitorId, action === 'capture'),
    );
  }
}
