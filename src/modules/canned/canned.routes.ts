// Canned messages of the calling agent and the site's shared ones.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Id, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { CannedService } from './canned.service.ts';

const Shortcut = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', description: 'Typed after `/` in the composer; letters, digits, `_` and `-`, stored in lower case' });
const Title = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'Not blank' });
const Content = Type.String({ minLength: 1, maxLength: 10000, pattern: '\\S', description: 'Not blank' });

const CannedSchema = Type.Object(
  { id: Id, shortcut: Type.String(), title: Type.String(), content: Type.String(), shared: Type.Boolean(), agentId: Type.Union([Id, Type.Null()]), updatedAt: Timestamp },
  { $id: 'CannedMessage' },
);
const CannedRef = Type.Unsafe<Type.Static<typeof CannedSchema>>({ $ref: 'CannedMessage' });
const security = [{ bearer: [] }];
const tags = ['canned messages'];
const IdParams = Type.Object({ id: Id });

/** Registers the canned message routes. */
export function registerCannedRoutes(app: HttpServer, canned: CannedService): void {
  app.addSchema(CannedSchema);
  const agent = { access: ['agent' as const] };

  app.get('/api/v1/canned-messages', { config: agent, schema: { tags, summary: 'Your canned messages and the shared ones', security, response: { 200: Type.Array(CannedRef), ...problems(401, 403) } } }, async (request) =>
    canned.list(siteContext(request.principal)),
  );

  app.post(
    '/api/v1/canned-messages',
    {
      config: agent,
      schema: {
        tags,
        summary: 'Add a canned message (shared: for the whole site, site admins only)',
        security,
        body: Type.Object({ shortcut: Shortcut, title: Title, content: Content, shared: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: CannedRef, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      await request.loadPermissions();
      return reply.code(201).send(await canned.create(siteContext(request.principal), request.body));
    },
  );

  app.patch(
    '/api/v1/canned-messages/:id',
    {
      config: agent,
      schema: {
        tags,
        summary: 'Change a canned message (yours, or a shared one as a site admin)',
        security,
        params: IdParams,
        body: Type.Object({ shortcut: Type.Optional(Shortcut), title: Type.Optional(Title), content: Type.Optional(Content) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: CannedRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      await request.loadPermissions();
      return canned.update(siteContext(request.principal), request.params.id, request.body);
    },
  );

  app.delete(
    '/api/v1/canned-messages/:id',
    { config: agent, schema: { tags, summary: 'Delete a canned message', security, params: IdParams, response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await request.loadPermissions();
      await canned.remove(siteContext(request.principal), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
