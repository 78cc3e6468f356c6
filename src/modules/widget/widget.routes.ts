// The widget's routes: its public configuration, the site admin's settings, and the visitor's
// answers (end-of-chat survey, robot answer ratings, a message left when nobody is available).
import { Type } from 'typebox';
import { requirePermission, siteContext } from '../../platform/context.ts';
import { Email, Id, Nullable, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { CampaignFieldSchema, CampaignLook, InvitationRuleSchema, registerCampaignRoutes } from './widget.campaigns.routes.ts';
import type { WidgetService } from './widget.service.ts';

const security = [{ bearer: [] }];

const Language = Type.Union([Type.Literal('auto'), Type.Literal('en'), Type.Literal('zh-CN'), Type.Literal('zh-TW'), Type.Literal('ru')], {
  description: '`auto`: the browser decides',
});
const Prechat = Type.Object(
  {
    enabled: Type.Boolean(),
    message: Nullable(Type.String({ maxLength: 500 })),
    fields: Type.Array(
      Type.Object({ name: Type.Union([Type.Literal('name'), Type.Literal('email'), Type.Literal('phone'), Type.Literal('question')]), required: Type.Boolean() }, { additionalProperties: false }),
      { maxItems: 4, uniqueItems: true },
    ),
  },
  { additionalProperties: false },
);
const StartWith = Type.Union([Type.Literal('robot'), Type.Literal('agent')]);

const WidgetSettingsSchema = Type.Object(
  { language: Language, prechat: Prechat, startWith: StartWith, offlineForm: Type.Boolean() },
  { $id: 'WidgetSettings', additionalProperties: false },
);
const SettingsRef = Type.Unsafe<Type.Static<typeof WidgetSettingsSchema>>({ $ref: 'WidgetSettings' });

const WidgetConfigSchema = Type.Object(
  {
    siteId: Id,
    company: Type.String(),
    ...WidgetSettingsSchema.properties,
    prechat: Type.Object({ enabled: Type.Boolean(), message: Nullable(Type.String()), fields: Type.Array(CampaignFieldSchema) }),
    files: Type.Object({ enabled: Type.Boolean({ description: 'The visitor may send files' }), maxBytes: Type.Integer({ description: 'The largest file the site accepts' }) }),
    campaign: Nullable(
      Type.Object(
        { id: Id, name: Type.String(), look: CampaignLook, invitations: Type.Array(InvitationRuleSchema) },
        { description: 'The campaign shown (named by the tag, else the site\'s first); null when the site has none' },
      ),
    ),
    brand: Type.Object({ name: Type.String(), logoUrl: Nullable(Type.String()), themeCssUrl: Nullable(Type.String()) }),
    robot: Type.Object({
      name: Type.String(),
      avatar: Nullable(Type.String()),
      welcomeMessage: Type.String({ description: 'What the widget shows when a chat with the robot starts' }),
      guide: Type.Array(Type.Object({ question_id: Id, question_title: Type.String() }), { description: 'Questions the robot suggests at the start' }),
    }),
    agentsAvailable: Type.Boolean({ description: 'An agent is online now' }),
    offlineMessage: Type.String({ description: 'What the visitor is told when nobody can take the chat' }),
    survey: Type.Object({
      enabled: Type.Boolean({ description: 'Shown when a chat ends' }),
      title: Type.String(),
      desc: Type.String(),
      options: Type.Array(Type.Object({ id: Type.Integer(), text: Type.String() })),
      remarkEnabled: Type.Boolean(),
      remark: Type.String(),
    }),
  },
  { $id: 'WidgetConfig' },
);

/** Registers the widget routes. */
export function registerWidgetRoutes(app: HttpServer, widget: WidgetService): void {
  app.addSchema(WidgetSettingsSchema);
  app.addSchema(WidgetConfigSchema);

  app.get(
    '/api/v1/sites/:siteId/widget',
    {
      config: { access: ['public'], visitorSiteParam: true, rateLimit: { max: 300, timeWindow: 60_000 } },
      schema: {
        tags: ['widget'],
        summary: "What the widget needs to start on a customer's page (public)",
        params: Type.Object({ siteId: Id }),
        querystring: Type.Object({ campaignId: Type.Optional(Id) }),
        response: { 200: Type.Unsafe<Type.Static<typeof WidgetConfigSchema>>({ $ref: 'WidgetConfig' }), ...problems(403, 404, 429) },
      },
    },
    async (request, reply) => {
      // Short: agents going online or offline shows soon enough.
      reply.header('cache-control', 'public, max-age=15');
      return widget.config(request.params.siteId, request.query.campaignId);
    },
  );

  registerCampaignRoutes(app, widget);

  app.get(
    '/api/v1/widget/settings',
    {
      config: { access: ['agent'] },
      schema: { tags: ['widget'], summary: "The site's widget settings", security, response: { 200: SettingsRef, ...problems(401, 403) } },
    },
    async (request) => widget.settings(siteContext(request.principal)),
  );

  app.patch(
    '/api/v1/widget/settings',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageSettings' },
      schema: {
        tags: ['widget'],
        summary: "Change the site's widget settings (site admins)",
        security,
        body: Type.Object(
          { language: Type.Optional(Language), prechat: Type.Optional(Type.Partial(Prechat, { additionalProperties: false })), startWith: Type.Optional(StartWith), offlineForm: Type.Optional(Type.Boolean()) },
          { additionalProperties: false, description: 'Only the fields given change (in prechat too)' },
        ),
        response: { 200: SettingsRef, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const ctx = siteContext(request.principal);
      requirePermission(ctx, 'manageSettings', 'change the widget');
      return widget.updateSettings(ctx, request.body);
    },
  );

  app.post(
    '/api/v1/chats/:chatId/survey',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['widget'],
        summary: 'Answer the survey of your chat (visitors)',
        security,
        params: Type.Object({ chatId: Id }),
        body: Type.Object({ optionId: Type.Integer({ minimum: 1 }), remark: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await widget.answerSurvey(siteContext(request.principal), request.params.chatId, request.body.optionId, request.body.remark);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/chats/:chatId/messages/:messageId/rating',
    {
      config: { access: ['visitor'] },
      schema: {
        tags: ['widget'],
        summary: "Say whether one of the robot's answers was useful (visitors)",
        security,
        params: Type.Object({ chatId: Id, messageId: Id }),
        body: Type.Object({ useful: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await widget.rateAnswer(siteContext(request.principal), request.params.chatId, request.params.messageId, request.body.useful);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/offline-messages',
    {
      config: { access: ['visitor'], rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['widget'],
        summary: 'Leave a message when nobody can take a chat (visitors)',
        security,
        body: Type.Object(
          {
            content: Type.String({ minLength: 1, maxLength: 5000 }),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            email: Type.Optional(Email),
            phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Id }), ...problems(400, 401, 403, 429) },
      },
    },
    async (request, reply) => reply.code(201).send({ id: await widget.leaveOfflineMessage(siteContext(request.principal), request.body) }),
  );
}
