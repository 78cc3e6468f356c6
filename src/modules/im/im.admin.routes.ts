// The IM API's management on the native API: a site's IM API keys, its routing, queue, robot and
// survey settings, its offline messages and survey answers. Site admins change; agents read.
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { BadRequest, NotFound } from '../../platform/errors.ts';
import { Id, Nullable, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { ImKeys } from './im.keys.ts';
import type { ImAdmin } from './im.admin.ts';
import type { SurveyOptions } from './im.settings.ts';

const tags = ['im-admin'];
const security = [{ bearer: [] }];

const KeySchema = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
});

const Robot = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    avatar: Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
    welcomeMessage: Type.String({ minLength: 1, maxLength: 2000 }),
    unknownMessage: Type.String({ minLength: 1, maxLength: 2000 }),
    handoverMessage: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Said when the robot hands over to people' })),
    handoverAfterMisses: Type.Integer({ minimum: 0, maximum: 100, description: 'Unanswered questions in a row before the robot hands over; 0 never' }),
    guideQuestionIds: Type.Array(Id, { maxItems: 20, description: 'Questions offered as the guide list (gus_list)' }),
  },
  { additionalProperties: false },
);

const Survey = Type.Object(
  {
    enabled: Type.Boolean(),
    name: Type.String({ maxLength: 200 }),
    title: Type.String({ maxLength: 500 }),
    desc: Type.String({ maxLength: 2000 }),
    remark_enabled: Type.Boolean(),
    remark: Type.String({ maxLength: 500 }),
    options: Type.Array(Type.Object({ id: Id, text: Type.String({ minLength: 1, maxLength: 200 }), enabled: Type.Boolean() }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 20,
    }),
    methods: Type.Array(
      Type.Object(
        {
          id: Id,
          flag: Type.Union([Type.Literal('after_session'), Type.Literal('agent_invite'), Type.Literal('customer_invite')]),
          text: Type.String({ maxLength: 200 }),
          enabled: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
  },
  { additionalProperties: false, description: "The spec's survey_options, as returned in assign_info" },
);

const Settings = Type.Object({
  routing: Type.Object({
    rule: Type.Union([Type.Literal('least-busy'), Type.Literal('round-robin')]),
    maxQueueLength: Nullable(Type.Integer()),
    maxQueueWaitSeconds: Nullable(Type.Integer()),
    offlineMessage: Type.String(),
  }),
  callbackUrl: Nullable(Type.String()),
  robot: Robot,
  survey: Survey,
});

const SettingsChange = Type.Object(
  {
    rule: Type.Optional(Type.Union([Type.Literal('least-busy'), Type.Literal('round-robin')], { description: 'How routing picks among free agents of the same tier' })),
    maxQueueLength: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100000, description: 'Chats that may wait; null: no limit' }))),
    maxQueueWaitSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 86400, description: 'Seconds a chat may wait; null: no limit' }))),
    offlineMessage: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000, description: 'null: the default text' }))),
    robot: Type.Optional(Robot),
    survey: Type.Optional(Survey),
  },
  { additionalProperties: false },
);

function unique(ids: number[], what: string): void {
  if (new Set(ids).size !== ids.length) throw new BadRequest(`${what} ids must be unique.`);
}

function checkSurvey(s: SurveyOptions): void {
  unique(s.options.map((o) => o.id), 'Survey option');
  unique(s.methods.map((m) => m.id), 'Survey method');
}

/** Registers the IM management routes. */
export function registerImAdminRoutes(app: HttpServer, d: { admin: ImAdmin; keys: ImKeys }): void {
  const { admin, keys } = d;

  app.get(
    '/api/v1/im/keys',
    { config: { access: ['agent', 'site-client'], permission: 'manageSettings' }, schema: { tags, security, summary: "The site's IM API keys (never the keys themselves)", response: { 200: Type.Array(KeySchema), ...problems(401, 403) } } },
    async (request) => keys.list(siteContext(request.principal).siteId),
  );

  app.post(
    '/api/v1/im/keys',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags,
        security,
        summary: 'Create an IM API key; the key is shown in this answer only',
        description: 'Several keys may be active at once: create the new key, deploy it, then revoke the old one.',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ...KeySchema.properties, key: Type.String() }), ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await keys.create(siteContext(request.principal).siteId, request.body.name)),
  );

  app.post(
    '/api/v1/im/keys/:keyId/revoke',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, security, summary: 'Revoke a key at once', params: Type.Object({ keyId: Id }), response: { 200: KeySchema, ...problems(400, 401, 403, 404) } },
    },
    async (request) => keys.revoke(siteContext(request.principal).siteId, request.params.keyId),
  );

  app.delete(
    '/api/v1/im/keys/:keyId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, security, summary: 'Delete a revoked key', params: Type.Object({ keyId: Id }), response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await keys.remove(siteContext(request.principal).siteId, request.params.keyId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/im/settings',
    { config: { access: ['agent'] }, schema: { tags, security, summary: 'Routing, queue, robot and survey settings', response: { 200: Settings, ...problems(401, 403) } } },
    async (request) => admin.settings(siteContext(request.principal).siteId),
  );

  app.patch(
    '/api/v1/im/settings',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: { tags, security, summary: 'Change some settings (the callback URL is under /api/v1/im/webhook)', body: SettingsChange, response: { 200: Settings, ...problems(400, 401, 403) } },
    },
    async (request) => {
      if (request.body.survey) checkSurvey(request.body.survey);
      return admin.updateSettings(siteContext(request.principal).siteId, request.body);
    },
  );

  const OfflineMessage = Type.Object({
    id: Id,
    customerToken: Nullable(Type.String()),
    customerName: Nullable(Type.String()),
    groupId: Nullable(Id),
    content: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    status: Type.Union([Type.Literal('new'), Type.Literal('handled')]),
    handledBy: Nullable(Id),
    createdAt: Timestamp,
    handledAt: Nullable(Timestamp),
  });
  const Status = Type.Union([Type.Literal('new'), Type.Literal('handled')]);

  app.get(
    '/api/v1/offline-messages',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        security,
        summary: 'Messages customers left when nobody could take their chat, newest first',
        querystring: Type.Object(
          { status: Type.Optional(Status), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), before: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(OfflineMessage), ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      return admin.offlineMessages(siteContext(request.principal).siteId, { status: q.status, limit: q.limit ?? 50, before: q.before });
    },
  );

  app.patch(
    '/api/v1/offline-messages/:id',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        security,
        summary: 'Mark an offline message handled (or new again)',
        params: Type.Object({ id: Id }),
        body: Type.Object({ status: Status }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const ctx = siteContext(request.principal);
      const agentId = ctx.actor.kind === 'agent' ? ctx.actor.agentId : 0;
      if (!(await admin.setOfflineMessageStatus(ctx.siteId, request.params.id, request.body.status, agentId))) throw new NotFound('offline message', request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/surveys',
    {
      config: { access: ['agent'] },
      schema: {
        tags,
        security,
        summary: "Customers' survey answers, newest session first",
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })), before: Type.Optional(Id) }, { additionalProperties: false }),
        response: {
          200: Type.Array(
            Type.Object({ chatId: Id, agentId: Nullable(Id), optionId: Type.Integer(), optionText: Type.String(), remark: Nullable(Type.String()), answeredAt: Timestamp }),
          ),
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => {
      return admin.surveys(siteContext(request.principal).siteId, request.query.limit ?? 50, request.query.before);
    },
  );
}
