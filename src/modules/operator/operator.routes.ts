// The operator-panel API (spec/operator-panel.md) under /operator: log in, the operator itself,
// its colleagues and groups, the server clock, and clients (ban, their messages). Sessions are in
// operator.sessions.routes.ts. Errors are problem+json, as on the native API.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Email, Id, problems, Timestamp, TokenResponse } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService } from '../chat/index.ts';
import { type IdentityService, loginRateLimit } from '../identity/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import type { OperatorService } from './operator.service.ts';

export interface OperatorRouteDeps {
  operator: OperatorService;
  identity: IdentityService;
  agents: AgentsService;
  chats: ChatService;
  visitors: VisitorsService;
  loginRateLimitPerMinute: number;
  /** Called after a logout, to end the real-time connections of the revoked token. */
  onLogout(principal: NonNullable<ReturnType<typeof siteContext>['actor']>): Promise<void>;
}

export const security = [{ bearer: [] }];
export const tags = ['operator'];
const ref = <T>(id: string) => Type.Unsafe<T>({ $ref: id });
const Agent = ref<unknown>('Agent');
const Session = Type.Object({ ...TokenResponse.properties, agentId: Id, siteId: Id });

/** Registers the operator auth, user, group, clock and client routes. */
export function registerOperatorRoutes(app: HttpServer, d: OperatorRouteDeps): void {
  const rateLimit = loginRateLimit(d.loginRateLimitPerMinute);

  app.post(
    '/operator/auth/login',
    {
      config: { access: ['public'], rateLimit },
      schema: {
        tags,
        summary: 'Log an operator in (e-mail + password → token)',
        description:
          'The token authorises every /operator call (Bearer) and the real-time connection (data.settings.token). One session per operator: a new login revokes the earlier tokens, sends chatUserExists to the earlier connections and closes them.',
        body: Type.Object(
          { email: Email, password: Type.String({ minLength: 1, maxLength: 200 }), siteId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: Session, ...problems(400, 401, 409, 429) },
      },
    },
    async (request) => d.operator.login(request.body.email, request.body.password, request.body.siteId, request.ip),
  );

  app.post(
    '/operator/auth/refresh',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'A fresh token for the same operator, e.g. for the real-time refresh (getToken)',
        security,
        response: { 200: Session, ...problems(401, 403) },
      },
    },
    async (request) => d.identity.refreshAgentToken(request.principal!),
  );

  app.post(
    '/operator/auth/logout',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: 'Log out: revoke this token and go offline (operatorLoggedOut to other tabs)',
        security,
        response: { 204: Type.Null(), ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      await d.operator.logout(request.principal!);
      await d.onLogout(siteContext(request.principal).actor);
      return reply.code(204).send(null);
    },
  );

  const me = (request: { principal: Parameters<typeof siteContext>[0] }) => {
    const ctx = siteContext(request.principal);
    return { ctx, agentId: ctx.actor.kind === 'agent' ? ctx.actor.agentId : 0 };
  };

  app.get(
    '/operator/users/me',
    { config: { access: ['agent'] }, schema: { tags, summary: 'The calling operator', security, response: { 200: Agent, ...problems(401, 403) } } },
    async (request) => {
      const { ctx, agentId } = me(request);
      return d.agents.get(ctx, agentId);
    },
  );

  for (const [path, status, summary] of [
    ['/operator/users/me/activate', 'online', 'Take incoming sessions (status online)'],
    ['/operator/users/me/pause', 'away', 'Pause: stop receiving new sessions (status away)'],
  ] as const) {
    app.post(
      path,
      { config: { access: ['agent'] }, schema: { tags, summary, security, response: { 200: Agent, ...problems(401, 403) } } },
      async (request) => d.agents.setOwnStatus(siteContext(request.principal), status),
    );
  }

  app.get(
    '/operator/users',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: "The site's operators", security, response: { 200: Type.Array(Agent), ...problems(401, 403) } },
    },
    async (request) => d.agents.list(siteContext(request.principal)),
  );

  app.get(
    '/operator/groups',
    {
      config: { access: ['agent'] },
      schema: { tags, summary: "The site's operator groups", security, response: { 200: Type.Array(ref<unknown>('Group')), ...problems(401, 403) } },
    },
    async (request) => d.agents.listGroups(siteContext(request.principal)),
  );

  app.get(
    '/operator/timestamp',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: "The server's time, for timers and clock skew",
        security,
        response: { 200: Type.Object({ timestamp: Type.Integer({ description: 'Unix milliseconds' }), iso: Timestamp }), ...problems(401, 403) },
      },
    },
    async () => {
      const now = Date.now();
      return { timestamp: now, iso: new Date(now).toISOString() };
    },
  );

  const ClientParams = Type.Object({ clientId: Id });

  app.get(
    '/operator/clients/:clientId/messages',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        summary: "A client's messages across all its sessions, oldest first",
        security,
        params: ClientParams,
        querystring: Type.Object(
          {
            afterId: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0, description: 'Only messages with a larger id (the cursor)' }),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(ref<unknown>('Message')), ...problems(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const ctx = siteContext(request.principal);
      await d.visitors.get(ctx.siteId, request.params.clientId);
      return d.chats.messagesOfVisitor(ctx, request.params.clientId, request.query.afterId, request.query.limit);
    },
  );

  for (const [action, banned] of [['ban', true], ['unban', false]] as const) {
    app.post(
      `/operator/clients/:clientId/${action}`,
      {
        config: { access: ['agent'], permission: 'banVisitors' },
        schema: {
          tags,
          summary: banned ? 'Ban a client: its tokens stop working and it is disconnected' : 'Lift a ban',
          security,
          params: ClientParams,
          response: { 200: ref<unknown>('Visitor'), ...problems(400, 401, 403, 404) },
        },
      },
      async (request) => d.visitors.setBanned(siteContext(request.principal), request.params.clientId, banned),
    );
  }
}
