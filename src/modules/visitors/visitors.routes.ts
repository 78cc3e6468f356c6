// Visitors: opening a session on a site (public) and reading one's own profile.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Email, Id, problems, Timestamp, TokenResponse } from '../../platform/http/schemas.ts';
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

/** Registers the visitor routes. */
export function registerVisitorRoutes(app: HttpServer, visitors: VisitorsService): void {
  app.addSchema(VisitorSchema);

  app.post(
    '/api/v1/sites/:siteId/visitors',
    {
      config: { access: ['public'], rateLimit: { max: 120, timeWindow: 60_000 } },
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
}
