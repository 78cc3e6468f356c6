// Agents of the caller's site.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Email, Id, Nullable, Password, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AgentView } from './agents.presenter.ts';
import { registerPermissionRoutes } from './agents.permissions.routes.ts';
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
    priority: Type.Integer({ minimum: 1, description: 'Routing tier: tier 1 takes chats before tier 2' }),
    avatarUrl: Type.Union([Type.String(), Type.Null()]),
    isActive: Type.Boolean(),
    createdAt: Timestamp,
  },
  { $id: 'Agent' },
);
const AgentRef = Type.Unsafe<Type.Static<typeof AgentSchema>>({ $ref: 'Agent' });

export const GroupSchema = Type.Object(
  { id: Id, siteId: Id, name: Type.String(), agentIds: Type.Array(Id), createdAt: Timestamp },
  { $id: 'Group', description: 'A group (department) of agents; chats can be transferred to a group' },
);
const GroupRef = Type.Unsafe<Type.Static<typeof GroupSchema>>({ $ref: 'Group' });
const AgentIds = Type.Array(Id, { maxItems: 1000, description: 'Agents of the site' });

/** Registers the agent routes. */
export function registerAgentRoutes(app: HttpServer, agents: AgentsService): void {
  app.addSchema(AgentSchema);
  app.addSchema(GroupSchema);
  const security = [{ bearer: [] }];

  app.get(
    '/api/v1/agents',
    {
      config: { access: ['agent', 'site-client'] },
      schema: { tags: ['agents'], summary: "List the site's agents", security, response: { 200: Type.Array(AgentRef), ...problems(401, 403) } },
    },
    async (request) => agents.list(siteContext(request.principal)),
  );

  app.post(
    '/api/v1/agents',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: 'Create an agent (manageAgents)',
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
      config: { access: ['agent', 'site-client'] },
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

  app.patch(
    '/api/v1/agents/:agentId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: "Change an agent's profile, block or unblock it, or change its capacity and routing tier (manageAgents)",
        description:
          'A blocked agent is told (operatorBlocked), disconnected, and cannot log in or use its tokens. More capacity or a better tier takes waiting chats at once. ' +
          "Only a site admin changes a role or a site admin's profile; nobody changes their own role.",
        security,
        params: Type.Object({ agentId: Id }),
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
            email: Type.Optional(Email),
            avatarUrl: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2048 }))),
            role: Type.Optional(Role),
            isActive: Type.Optional(Type.Boolean()),
            maxConcurrentChats: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Chats the agent may hold at once' })),
            priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Routing tier: 1 first' })),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: AgentRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const ctx = siteContext(request.principal);
      const { name, email, avatarUrl, role, ...routing } = request.body;
      let view: AgentView | undefined;
      if (name !== undefined || email !== undefined || avatarUrl !== undefined || role !== undefined) {
        view = await agents.admin.updateProfile(ctx, request.params.agentId, { name, email, avatarUrl, role });
      }
      if (Object.keys(routing).length > 0) view = await agents.update(ctx, request.params.agentId, routing);
      return view ?? agents.get(ctx, request.params.agentId);
    },
  );

  app.delete(
    '/api/v1/agents/:agentId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: 'Delete an agent (manageAgents)',
        description:
          'The agent is signed out everywhere, its chats go back to the queue, it leaves its groups and every list, and its e-mail is free for a new agent. Ended chats keep its name. Only a site admin deletes a site admin; nobody deletes themselves.',
        security,
        params: Type.Object({ agentId: Id }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await agents.admin.remove(siteContext(request.principal), request.params.agentId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/agents/:agentId/password',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: "Reset an agent's password (manageAgents)",
        description:
          'Sets the given password, or a generated one that the answer shows once. The agent is signed out of every session. Only a site admin resets a site admin\'s password.',
        security,
        params: Type.Object({ agentId: Id }),
        body: Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ password: Nullable(Type.String({ description: 'The generated password (shown only now); null when you chose it' })) }),
          ...problems(400, 401, 403, 404),
        },
      },
    },
    async (request) => agents.admin.resetPassword(siteContext(request.principal), request.params.agentId, request.body.password),
  );

  app.get(
    '/api/v1/groups',
    {
      config: { access: ['agent', 'site-client'] },
      schema: { tags: ['agents'], summary: "List the site's groups", security, response: { 200: Type.Array(GroupRef), ...problems(401, 403) } },
    },
    async (request) => agents.listGroups(siteContext(request.principal)),
  );

  app.post(
    '/api/v1/groups',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: 'Create a group (manageAgents)',
        security,
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }), agentIds: Type.Optional(AgentIds) },
          { additionalProperties: false },
        ),
        response: { 201: GroupRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await agents.createGroup(siteContext(request.principal), request.body)),
  );

  app.put(
    '/api/v1/groups/:groupId/members',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: "Replace a group's members (manageAgents)",
        security,
        params: Type.Object({ groupId: Id }),
        body: Type.Object({ agentIds: AgentIds }, { additionalProperties: false }),
        response: { 200: GroupRef, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => agents.setGroupMembers(siteContext(request.principal), request.params.groupId, request.body.agentIds),
  );

  app.patch(
    '/api/v1/groups/:groupId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: 'Rename a group (manageAgents)',
        security,
        params: Type.Object({ groupId: Id }),
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) }, { additionalProperties: false }),
        response: { 200: GroupRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => agents.admin.renameGroup(siteContext(request.principal), request.params.groupId, request.body.name),
  );

  app.delete(
    '/api/v1/groups/:groupId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageAgents' },
      schema: {
        tags: ['agents'],
        summary: 'Delete a group (manageAgents); its chats stay, without the group',
        security,
        params: Type.Object({ groupId: Id }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await agents.admin.deleteGroup(siteContext(request.principal), request.params.groupId);
      return reply.code(204).send(null);
    },
  );

  registerPermissionRoutes(app, agents);
}
