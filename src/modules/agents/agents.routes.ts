// Agents of the caller's site.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Email, Id, Password, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AgentsService } from './agents.service.ts';

const Role = Type.Union([Type.Literal('admin'), Type.Literal('agent')]);
const Status = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);

export const AgentSchema = Type.Object(
  {
    id: Id,
    siteId: Id,
    email: Type.String(),
    name: Type.String(),
    role: Role,
    status: Status,
    maxConcurrentChats: Type.Integer(),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
    isActive: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'Agent' },
);
const AgentRef = Type.Unsafe<Type.Static<typeof AgentSchema>>({ $ref: 'Agent' });

/** Registers the agent routes. */
export function registerAgentRoutes(app: HttpServer, agents: AgentsService): void {
  app.addSchema(AgentSchema);
  const security = [{ bearer: [] }];

  app.get(
    '/api/v1/agents',
    {
      config: { access: ['agent'] },
      schema: { tags: ['agents'], summary: "List the site's agents", security, response: { 200: Type.Array(AgentRef), ...problems(401, 403) } },
    },
    async (request) => agents.list(siteContext(request.principal)),
  );

  app.post(
    '/api/v1/agents',
    {
      config: { access: ['site-admin'] },
      schema: {
        tags: ['agents'],
        summary: 'Create an agent (site admins)',
        security,
        body: Type.Object(
          {
            email: Email,
            name: Type.String({ minLength: 1, maxLength: 200 }),
            password: Password,
            role: Type.Optional(Role),
            maxConcurrentChats: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            avatarUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: AgentRef, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await agents.create(siteContext(request.principal), request.body)),
  );

  app.get(
    '/api/v1/agents/me',
    {
      config: { access: ['agent'] },
      schema: { tags: ['agents'], summary: 'The calling agent', security, response: { 200: AgentRef, ...problems(401, 403) } },
    },
    async (request) => {
      const ctx = siteContext(request.principal);
      return agents.get(ctx, ctx.actor.kind === 'agent' ? ctx.actor.agentId : 0);
    },
  );

  app.put(
    '/api/v1/agents/me/status',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['agents'],
        summary: "Set the calling agent's status; online agents are offered chats",
        security,
        body: Type.Object({ status: Status }, { additionalProperties: false }),
        response: { 200: AgentRef, ...problems(400, 401, 403) },
      },
    },
    async (request) => agents.setOwnStatus(siteContext(request.principal), request.body.status),
  );

  app.get(
    '/api/v1/agents/:agentId',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['agents'],
        summary: 'One agent of the site',
        security,
        params: Type.Object({ agentId: Id }),
        response: { 200: AgentRef, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => agents.get(siteContext(request.principal), request.params.agentId),
  );
}
