// Who may do what in the control panel: the site's permission matrix, and grants to agents and
// groups (docs/control-panel.md).
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { PERMISSIONS } from '../../platform/http/access.ts';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AgentsService } from './agents.service.ts';

const PermissionName = Type.Union(
  PERMISSIONS.map((p) => Type.Literal(p)),
  { $id: 'Permission', description: 'Something a site admin may let an agent or a group do; site admins hold every one' },
);
const PermissionRef = Type.Unsafe<(typeof PERMISSIONS)[number]>({ $ref: 'Permission' });
const Grant = Type.Array(PermissionRef, { maxItems: PERMISSIONS.length * 2, uniqueItems: true });
const Role = Type.Union([Type.Literal('admin'), Type.Literal('agent')]);

const MatrixSchema = Type.Object(
  {
    permissions: Type.Array(PermissionRef, { description: 'Every permission, in the order screens show them' }),
    agents: Type.Array(
      Type.Object({
        agentId: Id,
        name: Type.String(),
        role: Role,
        granted: Type.Array(PermissionRef, { description: 'Granted to the agent itself' }),
        effective: Type.Array(PermissionRef, { description: 'What it holds: its own grants and its groups\', or all for a site admin' }),
      }),
    ),
    groups: Type.Array(Type.Object({ groupId: Id, name: Type.String(), granted: Type.Array(PermissionRef) })),
  },
  {
    $id: 'PermissionMatrix',
    examples: [
      {
        permissions: [...PERMISSIONS],
        agents: [
          { agentId: 1, name: 'Ada', role: 'admin', granted: [], effective: [...PERMISSIONS] },
          { agentId: 2, name: 'Ben', role: 'agent', granted: ['banVisitors'], effective: ['viewReports', 'banVisitors'] },
        ],
        groups: [{ groupId: 1, name: 'Sales', granted: ['viewReports'] }],
      },
    ],
  },
);
const MatrixRef = Type.Unsafe<Type.Static<typeof MatrixSchema>>({ $ref: 'PermissionMatrix' });

/** Registers the permission routes. */
export function registerPermissionRoutes(app: HttpServer, agents: AgentsService): void {
  app.addSchema(PermissionName);
  app.addSchema(MatrixSchema);
  const security = [{ bearer: [] }];

  app.get(
    '/api/v1/agents/me/permissions',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['permissions'],
        summary: 'What the calling agent may do (every permission for a site admin)',
        security,
        response: { 200: Type.Object({ role: Role, permissions: Type.Array(PermissionRef) }), ...problems(401, 403) },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p?.kind !== 'agent') throw new Error('unreachable: the route is for agents');
      const held = await agents.admin.permissionsOf(p);
      return { role: p.role, permissions: PERMISSIONS.filter((x) => held.has(x)) };
    },
  );

  app.get(
    '/api/v1/permissions',
    {
      config: { access: ['agent', 'site-client'], permission: 'managePermissions' },
      schema: { tags: ['permissions'], summary: 'Who may do what in the site (managePermissions)', security, response: { 200: MatrixRef, ...problems(401, 403) } },
    },
    async (request) => agents.admin.permissions(siteContext(request.principal)),
  );

  app.put(
    '/api/v1/agents/:agentId/permissions',
    {
      config: { access: ['agent', 'site-client'], permission: 'managePermissions' },
      schema: {
        tags: ['permissions'],
        summary: 'Replace the permissions granted to an agent itself (managePermissions)',
        description: 'Its groups may grant more. Answers with the whole matrix.',
        security,
        params: Type.Object({ agentId: Id }),
        body: Type.Object({ permissions: Grant }, { additionalProperties: false }),
        response: { 200: MatrixRef, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => agents.admin.setAgentPermissions(siteContext(request.principal), request.params.agentId, request.body.permissions),
  );

  app.put(
    '/api/v1/groups/:groupId/permissions',
    {
      config: { access: ['agent', 'site-client'], permission: 'managePermissions' },
      schema: {
        tags: ['permissions'],
        summary: "Replace the permissions a group grants its members (managePermissions)",
        description: 'Answers with the whole matrix.',
        security,
        params: Type.Object({ groupId: Id }),
        body: Type.Object({ permissions: Grant }, { additionalProperties: false }),
        response: { 200: MatrixRef, ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => agents.admin.setGroupPermissions(siteContext(request.principal), request.params.groupId, request.body.permissions),
  );
}
