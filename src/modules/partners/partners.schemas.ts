// Schemas shared by the partner routes (portal, platform admin, Partner API).
import { Type } from 'typebox';
import { Email, Id, Timestamp } from '../../platform/http/schemas.ts';
import { MAX_EMBED_ORIGIN_LENGTH, MAX_EMBED_ORIGINS } from './partners.embed-origins.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const PartnerSchema = Type.Object({
  id: Id,
  name: Type.String(),
  pendingName: Nullable(Type.String()),
  slug: Type.String(),
  contactName: Type.String(),
  contactEmail: Type.String(),
  phone: Nullable(Type.String()),
  isActive: Type.Boolean(),
  theme: Nullable(Type.String()),
  apiKeyPrefix: Nullable(Type.String()),
  ipRestrictions: Type.Array(Type.String()),
  clientId: Nullable(Type.String()),
  branding: Nullable(Type.String()),
  logoUrl: Nullable(Type.String()),
  themeCssUrl: Type.String(),
  host: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** What a page shows of the partner of its host (or of the platform: partnerId null). */
export const BrandSchema = Type.Object({
  partnerId: Type.Union([Id, Type.Null()]),
  slug: Nullable(Type.String()),
  name: Type.String(),
  branding: Nullable(Type.String()),
  logoUrl: Nullable(Type.String()),
  themeCssUrl: Nullable(Type.String()),
});

export const ApplicationSchema = Type.Object({
  id: Id,
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  companyName: Type.String(),
  contactName: Type.String(),
  email: Type.String(),
  phone: Nullable(Type.String()),
  website: Nullable(Type.String()),
  note: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  partnerId: Type.Union([Id, Type.Null()]),
  decidedBy: Type.Union([Id, Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});

export const ApplicationInputSchema = Type.Object(
  {
    companyName: Text(200),
    contactName: Text(200),
    email: Email,
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9+()\\-. ]+$' })),
    website: Type.Optional(Type.String({ format: 'uri', maxLength: 500, pattern: '^https?://' })),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export const OauthClientSchema = Type.Object({
  id: Id,
  clientId: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Timestamp,
  rotatedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});

/** The spec's Site Object, with Parley's life-cycle fields. */
export const SiteObjectSchema = Type.Object({
  id: Id,
  partnerId: Id,
  company: Type.String(),
  companySize: Nullable(Type.String()),
  website: Nullable(Type.String()),
  phoneNumber: Nullable(Type.String()),
  mobilePhone: Nullable(Type.String()),
  country: Nullable(Type.String()),
  city: Nullable(Type.String()),
  ifClose: Type.Boolean(),
  ifActive: Type.Boolean(),
  status: Type.String({ description: 'active, disabled or deleted' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  deletedAt: Type.Union([Timestamp, Type.Null()]),
  purgeAfter: Type.Union([Timestamp, Type.Null()], { description: 'When a deleted site and all its data are removed for good' }),
});

/** A search of sites: part of a company name or website, in any case, or a site id. */
export const SiteQuery = Type.Optional(Type.String({ maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]*$', description: 'Part of the company name or website (any case), or a site id; no control characters' }));

const siteFields = {
  companySize: Type.Optional(Type.String({ maxLength: 50 })),
  website: Type.Optional(Type.String({ maxLength: 500 })),
  phoneNumber: Type.Optional(Type.String({ maxLength: 40 })),
  mobilePhone: Type.Optional(Type.String({ maxLength: 40 })),
  country: Type.Optional(Type.String({ maxLength: 100 })),
  city: Type.Optional(Type.String({ maxLength: 100 })),
  ifClose: Type.Optional(Type.Boolean()),
};

export const NewSiteSchema = Type.Object(
  {
    company: Text(200),
    ...siteFields,
    admin: Type.Object(
      {
        email: Email,
        name: Type.Optional(Text(200)),
        password: Type.Optional(Type.String({ minLength: 8, maxLength: 200, description: 'Omit it and Parley generates one, returned once' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SiteUpdateSchema = Type.Object({ company: Type.Optional(Text(200)), ...siteFields, ifActive: Type.Optional(Type.Boolean()) }, { additionalProperties: false, minProperties: 1 });

export const CreatedSiteSchema = Type.Object({
  ...SiteObjectSchema.properties,
  admin: Type.Object({
    id: Id,
    email: Type.String(),
    name: Type.String(),
    password: Type.Optional(Type.String({ description: 'Only when generated; shown this once' })),
    login: Type.Object({ url: Type.String(), siteId: Id }),
  }),
});

export const UsageSchema = Type.Object({
  siteId: Id,
  agents: Type.Integer(),
  visitors: Type.Integer(),
  chats: Type.Object({ total: Type.Integer(), last30Days: Type.Integer(), open: Type.Integer() }),
  messages: Type.Integer(),
});

export const DomainSchema = Type.Object({
  id: Id,
  host: Type.String(),
  verified: Type.Boolean(),
  verifiedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  verification: Type.Object({ type: Type.Literal('TXT'), name: Type.String(), value: Type.String() }),
});

export const EmbedOriginsSchema = Type.Object(
  {
    origins: Type.Array(
      Type.String({
        maxLength: MAX_EMBED_ORIGIN_LENGTH,
        description: 'An origin: `https://` and a public host name with an optional port (`https://app.example.com:8443`); `http://` only for localhost, 127.0.0.1 and [::1]',
      }),
      { maxItems: MAX_EMBED_ORIGINS },
    ),
  },
  { additionalProperties: false },
);

export const ThemeSchema = Type.Object({
  pairs: Type.Array(Type.Object({ cssKey: Type.String({ maxLength: 64 }), cssValue: Type.String({ maxLength: 200 }) }, { additionalProperties: false }), { maxItems: 100 }),
});

export const AuditSchema = Type.Object({
  id: Id,
  actor: Type.Object({ kind: Type.String(), id: Type.Union([Type.Integer(), Type.Null()]) }),
  action: Type.String(),
  partnerId: Type.Union([Id, Type.Null()]),
  target: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  requestId: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
});
