// The site settings of the mobile WebView chat (manageSettings): the skills the app sends (the
// group that answers each, and the app's deep link) and how the app's Ssotoken is verified
// (docs/mobile-webview.md, docs/control-panel.md).
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { Id, Nullable, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { LINK_ACTION, MAX_LINK_DESTINATION, MAX_LINK_URI, MAX_VERIFY_URL, SKILL_NAME, VERIFY_TIMEOUT_MS, type WebviewSettingsStore } from './webview.settings.ts';

const security = [{ bearer: [] }];
const tags = ['webview'];
const config = { access: ['agent' as const], permission: 'manageSettings' as const };

const Name = Type.String({ minLength: 1, maxLength: 50, pattern: SKILL_NAME.source, description: 'Letters, digits, _ and -; unique in the site whatever the case (the app may send `mobchg` for `MobChg`)' });
const GroupId = Nullable(Type.Integer({ minimum: 1, description: "The group that answers the skill's chats; null: the site's routing rule" }));
const DeepLinkFields = {
  action: Nullable(Type.String({ minLength: 1, maxLength: 100, pattern: LINK_ACTION.source, description: 'The deep link action, such as `mob_chg`' })),
  uri: Nullable(Type.String({ minLength: 1, maxLength: MAX_LINK_URI, format: 'uri', pattern: '^https://', description: 'An https URL the app opens' })),
  destination: Nullable(Type.String({ minLength: 1, maxLength: MAX_LINK_DESTINATION, pattern: '\\S', description: 'Where the link leads in the app, in words' })),
};
const DeepLinkInput = Nullable(
  Type.Object(
    { action: Type.Optional(DeepLinkFields.action), uri: Type.Optional(DeepLinkFields.uri), destination: Type.Optional(DeepLinkFields.destination) },
    { additionalProperties: false, description: 'The fields given change, null clears one; a null deep link clears all three' },
  ),
);

const skillExample = {
  id: 3,
  name: 'MobChg',
  groupId: 12,
  deepLink: { action: 'mob_chg', uri: 'https://www.nextbank.com.tw/app/?action=mob_chg', destination: 'Settings' },
  createdAt: '2026-12-07T10:00:00.000Z',
  updatedAt: '2026-12-07T10:00:00.000Z',
};
const SkillSchema = Type.Object(
  {
    id: Id,
    name: Type.String(),
    groupId: Nullable(Id),
    deepLink: Nullable(Type.Object({ action: Nullable(Type.String()), uri: Nullable(Type.String()), destination: Nullable(Type.String()) })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'WebviewSkill', examples: [skillExample] },
);
const SkillRef = Type.Unsafe<Type.Static<typeof SkillSchema>>({ $ref: 'WebviewSkill' });

const tokenExample = { mode: 'jwt', hasSecret: true, verifyUrl: null, verifyTimeoutMs: 3000, updatedAt: '2026-12-07T10:00:00.000Z' };
const TokenFields = {
  mode: Type.Union([Type.Literal('none'), Type.Literal('jwt'), Type.Literal('url')], {
    description: "none: no Ssotoken is accepted (anonymous customers only); jwt: an HS256 JWT signed with the site's secret; url: the site's verification URL",
  }),
  hasSecret: Type.Boolean({ description: 'Whether the site has an HS256 secret (the secret itself is shown only when made)' }),
  verifyUrl: Nullable(Type.String()),
  verifyTimeoutMs: Type.Integer(),
  updatedAt: Nullable(Timestamp),
};
const TokenSettingsSchema = Type.Object(TokenFields, { $id: 'WebviewTokenSettings', examples: [tokenExample] });
const Secret = Type.String({ description: "The HS256 secret, shown in this answer only: keep it in the bank's back end that signs the Ssotoken" });
const TokenSettingsWithSecret = Type.Object({ ...TokenFields, secret: Type.Optional(Secret) }, { examples: [{ ...tokenExample, secret: 'pws_…' }] });

const Params = Type.Object({ skillId: Id });

/** Registers the skill and Ssotoken settings routes. */
export function registerWebviewAdminRoutes(http: HttpServer, store: WebviewSettingsStore): void {
  http.addSchema(SkillSchema);
  http.addSchema(TokenSettingsSchema);
  const { skills, token } = store;

  http.get(
    '/api/v1/webview/skills',
    {
      config,
      schema: { tags, security, summary: "The mobile app's skills, by name (manageSettings)", response: { 200: Type.Array(SkillRef), ...problems(401, 403) } },
    },
    async (request) => skills.list(siteContext(request.principal)),
  );

  http.post(
    '/api/v1/webview/skills',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Add a skill (manageSettings); at most 100 a site',
        body: Type.Object(
          { name: Name, groupId: Type.Optional(GroupId), deepLink: Type.Optional(DeepLinkInput) },
          { additionalProperties: false, examples: [{ name: 'MobChg', groupId: 12, deepLink: { action: 'mob_chg', uri: 'https://www.nextbank.com.tw/app/?action=mob_chg', destination: 'Settings' } }] },
        ),
        response: { 201: SkillRef, ...problems(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await skills.create(siteContext(request.principal), request.body)),
  );

  http.post(
    '/api/v1/webview/skills/presets',
    {
      config,
      schema: {
        tags,
        security,
        summary: "Add the spec's skills (Generic, GuaranTee, MobChg, AccUp, 3APlus, SetAgreeAcc, PreDesAcc, Mortgage) the site lacks, with their deep links; answers every skill",
        description: 'Skills the site already has (by name, whatever the case) are kept as they are, so calling it again changes nothing.',
        response: { 200: Type.Array(SkillRef), ...problems(401, 403, 409) },
      },
    },
    async (request) => skills.addPresets(siteContext(request.principal)),
  );

  http.patch(
    '/api/v1/webview/skills/:skillId',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Change a skill (manageSettings): the fields given change',
        params: Params,
        body: Type.Object(
          { name: Type.Optional(Name), groupId: Type.Optional(GroupId), deepLink: Type.Optional(DeepLinkInput) },
          { additionalProperties: false, minProperties: 1, examples: [{ groupId: 12 }] },
        ),
        response: { 200: SkillRef, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (request) => skills.update(siteContext(request.principal), request.params.skillId, request.body),
  );

  http.delete(
    '/api/v1/webview/skills/:skillId',
    {
      config,
      schema: { tags, security, summary: 'Delete a skill (manageSettings); the app sending its name then reaches the site\'s routing rule', params: Params, response: { 204: Type.Null(), ...problems(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      await skills.remove(siteContext(request.principal), request.params.skillId);
      return reply.code(204).send(null);
    },
  );

  http.get(
    '/api/v1/webview/settings',
    {
      config,
      schema: { tags, security, summary: "How the app's Ssotoken is verified (manageSettings); never the secret", response: { 200: Type.Unsafe({ $ref: 'WebviewTokenSettings' }), ...problems(401, 403) } },
    },
    async (request) => token.view(siteContext(request.principal)),
  );

  http.put(
    '/api/v1/webview/settings',
    {
      config,
      schema: {
        tags,
        security,
        summary: "Set how the app's Ssotoken is verified (manageSettings)",
        description:
          '`url` needs a `verifyUrl` (given now or kept from before); fields left out keep their value. Turning `jwt` on when the site has no secret makes one and returns it as `secret`, in this answer only.',
        body: Type.Object(
          {
            mode: Type.Union([Type.Literal('none'), Type.Literal('jwt'), Type.Literal('url')]),
            verifyUrl: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: MAX_VERIFY_URL, format: 'uri', pattern: '^https?://', description: 'http or https, without a user name or password' }))),
            verifyTimeoutMs: Type.Optional(Type.Integer({ minimum: VERIFY_TIMEOUT_MS.min, maximum: VERIFY_TIMEOUT_MS.max, description: 'How long a verification may take' })),
          },
          { additionalProperties: false, examples: [{ mode: 'jwt' }, { mode: 'url', verifyUrl: 'https://sso.bank.example/verify', verifyTimeoutMs: 3000 }] },
        ),
        response: {
          200: TokenSettingsWithSecret,
          ...problems(400, 401, 403),
        },
      },
    },
    async (request) => token.update(siteContext(request.principal), request.body),
  );

  http.post(
    '/api/v1/webview/settings/secret',
    {
      config,
      schema: {
        tags,
        security,
        summary: 'Replace the HS256 secret (manageSettings): tokens signed with the old one are refused at once',
        response: { 200: Type.Object({ secret: Secret }, { examples: [{ secret: 'pws_…' }] }), ...problems(401, 403) },
      },
    },
    async (request) => token.rotateSecret(siteContext(request.principal)),
  );
}
