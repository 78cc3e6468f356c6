// Campaigns (manageCampaigns to change them), and the visitor's request for the invitation its
// campaign's rules call for (docs/control-panel.md, docs/widget.md).
import { Type } from 'typebox';
import { perCallerRateLimit } from '../../platform/http/access.ts';
import { siteContext } from '../../platform/context.ts';
import { Id, Nullable, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { WidgetService } from './widget.service.ts';

const security = [{ bearer: [] }];
const tags = ['campaigns'];

export const CampaignFieldSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,31}$', description: 'name, email, phone and question are the visitor\'s own; others are kept in its info' }),
    label: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
    type: Type.Union([Type.Literal('text'), Type.Literal('email'), Type.Literal('tel'), Type.Literal('textarea')]),
    required: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const CampaignLook = Type.Object(
  {
    color: Nullable(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: "The button's and header's colour; the partner's theme when null" })),
    position: Type.Union([Type.Literal('right'), Type.Literal('left')]),
    buttonText: Nullable(Type.String({ minLength: 1, maxLength: 40 })),
    title: Nullable(Type.String({ minLength: 1, maxLength: 80 })),
    avatarUrl: Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2048 })),
  },
  { additionalProperties: false },
);

export const InvitationRuleSchema = Type.Object(
  {
    afterSeconds: Type.Integer({ minimum: 0, maximum: 3600, description: 'Seconds on a matching page before the invitation shows' }),
    urlContains: Nullable(Type.String({ minLength: 1, maxLength: 500, description: "Part of the page's address (case-insensitive); any page when null" })),
    onVisit: Nullable(Type.Integer({ minimum: 1, maximum: 100, description: "The visitor's visit (1 = first) from which the rule applies; every visit when null" })),
    message: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

const Sections = {
  look: CampaignLook,
  prechat: Type.Object({ enabled: Type.Boolean(), message: Nullable(Type.String({ maxLength: 500 })), fields: Type.Array(CampaignFieldSchema, { maxItems: 10 }) }, { additionalProperties: false }),
  offline: Type.Object({ enabled: Type.Boolean(), message: Nullable(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
  survey: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
  invitations: Type.Array(InvitationRuleSchema, { maxItems: 20 }),
};

const SettingsSchema = Type.Object(Sections, { additionalProperties: false });
const SettingsChange = Type.Object(
  {
    look: Type.Optional(Type.Partial(Sections.look, { additionalProperties: false })),
    prechat: Type.Optional(Type.Partial(Sections.prechat, { additionalProperties: false })),
    offline: Type.Optional(Type.Partial(Sections.offline, { additionalProperties: false })),
    survey: Type.Optional(Type.Partial(Sections.survey, { additionalProperties: false })),
    invitations: Type.Optional(Sections.invitations),
  },
  { additionalProperties: false, description: 'Only the sections (and fields of a section) given change; invitations are replaced whole' },
);

const example = {
  id: 3,
  siteId: 10000118,
  name: 'Pricing page',
  settings: {
    look: { color: '#0b5fff', position: 'right', buttonText: 'Questions?', title: 'Acme sales', avatarUrl: null },
    prechat: {
      enabled: true,
      message: 'Tell us who you are',
      fields: [
        { name: 'name', label: null, type: 'text', required: true },
        { name: 'company', label: 'Company', type: 'text', required: false },
      ],
    },
    offline: { enabled: true, message: null },
    survey: { enabled: true },
    invitations: [{ afterSeconds: 5, urlContains: '/pricing', onVisit: null, message: 'Any questions about our plans?' }],
  },
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};
const CampaignSchema = Type.Object(
  { id: Id, siteId: Id, name: Type.String(), settings: SettingsSchema, createdAt: Timestamp, updatedAt: Timestamp },
  { $id: 'Campaign', examples: [example] },
);
const CampaignRef = Type.Unsafe<Type.Static<typeof CampaignSchema>>({ $ref: 'Campaign' });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Params = Type.Object({ campaignId: Id });

/** Registers the campaign routes and the visitor's invitation route. */
export function registerCampaignRoutes(app: HttpServer, widget: WidgetService): void {
  const { campaigns } = widget;
  app.addSchema(CampaignSchema);

  app.get(
    '/api/v1/campaigns',
    {
      config: { access: ['agent', 'site-client'] },
      schema: { tags, security, summary: "The site's campaigns, its default (the first) first", response: { 200: Type.Array(CampaignRef), ...problems(401, 403) } },
    },
    async (request) => campaigns.list(siteContext(request.principal)),
  );

  app.get(
    '/api/v1/campaigns/:campaignId',
    {
      config: { access: ['agent', 'site-client'] },
      schema: { tags, security, summary: 'One campaign', params: Params, response: { 200: CampaignRef, ...problems(400, 401, 403, 404) } },
    },
    async (request) => campaigns.get(siteContext(request.principal), request.params.campaignId),
  );

  app.post(
    '/api/v1/campaigns',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageCampaigns' },
      schema: {
        tags,
        security,
        summary: 'Add a campaign (manageCampaigns); sections left out take the defaults',
        body: Type.Object({ name: Name, settings: Type.Optional(SettingsChange) }, { additionalProperties: false }),
        response: { 201: CampaignRef, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await campaigns.create(siteContext(request.principal), request.body)),
  );

  app.patch(
    '/api/v1/campaigns/:campaignId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageCampaigns' },
      schema: {
        tags,
        security,
        summary: 'Change a campaign (manageCampaigns)',
        params: Params,
        body: Type.Object({ name: Type.Optional(Name), settings: Type.Optional(SettingsChange) }, { additionalProperties: false, minProperties: 1 }),
        response: { 200: CampaignRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => campaigns.update(siteContext(request.principal), request.params.campaignId, request.body),
  );

  app.delete(
    '/api/v1/campaigns/:campaignId',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageCampaigns' },
      schema: { tags, security, summary: 'Delete a campaign (manageCampaigns); tags naming it show the site\'s first', params: Params, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await campaigns.remove(siteContext(request.principal), request.params.campaignId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/visitors/me/invitation',
    {
      config: { access: ['visitor'], rateLimit: perCallerRateLimit('campaign-invitation', 10) },
      schema: {
        tags: ['widget'],
        security,
        summary: "The visitor met an invitation rule of its campaign: it is invited (chatInvited) on behalf of the agent routing would try first",
        body: Type.Object({ campaignId: Id, rule: Type.Integer({ minimum: 0, maximum: 19, description: 'The rule\'s index in the campaign\'s invitations' }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...problems(400, 401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      await widget.invitation(siteContext(request.principal), request.body.campaignId, request.body.rule);
      return reply.code(204).send(null);
    },
  );
}
