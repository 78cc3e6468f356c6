// The site's own profile and IP restrictions, for its admins and agents with the permission, and
// for its partner's site-data tokens (docs/control-panel.md).
import { Type } from 'typebox';
import { siteContext } from '../../platform/context.ts';
import { BadRequest } from '../../platform/errors.ts';
import { Id, Nullable, problems, Timestamp } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { SiteProfiles } from './tenancy.profile.ts';

const tags = ['site'];
const security = [{ bearer: [] }];
const Text = (max: number) => Type.String({ maxLength: max });
const Language = Type.Union([Type.Literal('en'), Type.Literal('zh-CN'), Type.Literal('zh-TW'), Type.Literal('ru')]);

const SiteProfileSchema = Type.Object(
  {
    id: Id,
    partnerId: Id,
    company: Type.String(),
    companySize: Nullable(Type.String()),
    website: Nullable(Type.String()),
    phoneNumber: Nullable(Type.String()),
    mobilePhone: Nullable(Type.String()),
    country: Nullable(Type.String()),
    city: Nullable(Type.String()),
    timeZone: Nullable(Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' })),
    language: Nullable(Type.String({ description: 'en, zh-CN, zh-TW or ru' })),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    $id: 'SiteProfile',
    examples: [
      {
        id: 10000118,
        partnerId: 7,
        company: 'Acme Shoes',
        companySize: '11-50',
        website: 'https://acme.example',
        phoneNumber: '+49 30 1234567',
        mobilePhone: null,
        country: 'DE',
        city: 'Berlin',
        timeZone: 'Europe/Berlin',
        language: 'en',
        createdAt: '2026-11-02T09:00:00.000Z',
        updatedAt: '2026-12-07T10:00:00.000Z',
      },
    ],
  },
);
const SiteProfileRef = Type.Unsafe<Type.Static<typeof SiteProfileSchema>>({ $ref: 'SiteProfile' });

const IpList = Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, description: 'IPv4/IPv6 addresses or CIDR ranges' });
const IpRestrictionsSchema = Type.Object(
  {
    refusedVisitors: IpList,
    agentsOnlyFrom: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, description: 'When not empty, agents may sign in and work only from these' }),
  },
  { $id: 'IpRestrictions', additionalProperties: false, examples: [{ refusedVisitors: ['203.0.113.0/24'], agentsOnlyFrom: [] }] },
);
const IpRestrictionsRef = Type.Unsafe<Type.Static<typeof IpRestrictionsSchema>>({ $ref: 'IpRestrictions' });

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Registers the site profile and IP restriction routes. */
export function registerTenancyRoutes(app: HttpServer, profiles: SiteProfiles): void {
  app.addSchema(SiteProfileSchema);
  app.addSchema(IpRestrictionsSchema);

  app.get(
    '/api/v1/site',
    {
      config: { access: ['agent', 'site-client'] },
      schema: { tags, security, summary: "The caller's site: its profile", response: { 200: SiteProfileRef, ...problems(401, 403) } },
    },
    async (request) => profiles.profile(siteContext(request.principal)),
  );

  app.patch(
    '/api/v1/site',
    {
      config: { access: ['agent', 'site-client'], permission: 'editSiteProfile' },
      schema: {
        tags,
        security,
        summary: "Change the site's profile (editSiteProfile)",
        body: Type.Object(
          {
            company: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
            companySize: Type.Optional(Nullable(Text(50))),
            website: Type.Optional(Nullable(Type.String({ format: 'uri', maxLength: 2048 }))),
            phoneNumber: Type.Optional(Nullable(Text(50))),
            mobilePhone: Type.Optional(Nullable(Text(50))),
            country: Type.Optional(Nullable(Text(100))),
            city: Type.Optional(Nullable(Text(100))),
            timeZone: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
            language: Type.Optional(Nullable(Language)),
          },
          { additionalProperties: false, minProperties: 1, description: 'Only the fields given change; null clears one' },
        ),
        response: { 200: SiteProfileRef, ...problems(400, 401, 403) },
      },
    },
    async (request) => {
      const { timeZone } = request.body;
      if (typeof timeZone === 'string' && !validTimeZone(timeZone)) {
        throw new BadRequest(`Unknown time zone ${timeZone}; use an IANA name such as Europe/Berlin.`, { reason: 'unknown-time-zone' });
      }
      return profiles.updateProfile(siteContext(request.principal), request.body);
    },
  );

  app.get(
    '/api/v1/site/ip-restrictions',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageIpRestrictions' },
      schema: { tags, security, summary: "The site's IP restrictions (manageIpRestrictions)", response: { 200: IpRestrictionsRef, ...problems(401, 403) } },
    },
    async (request) => profiles.ipRestrictions(siteContext(request.principal)),
  );

  app.put(
    '/api/v1/site/ip-restrictions',
    {
      config: { access: ['agent', 'site-client'], permission: 'manageIpRestrictions' },
      schema: {
        tags,
        security,
        summary: "Replace the site's IP restrictions (manageIpRestrictions)",
        description:
          'Visitors from refusedVisitors cannot start the widget or chat, and the visitor and IM APIs refuse them (403) without storing anything. ' +
          'When agentsOnlyFrom is not empty, agents may sign in and work only from those addresses; it must include the address of the agent making the change.',
        body: IpRestrictionsRef,
        response: { 200: IpRestrictionsRef, ...problems(400, 401, 403) },
      },
    },
    async (request) => profiles.setIpRestrictions(siteContext(request.principal), request.body, request.ip),
  );
}
