// The partner portal's API: a partner's own profile, brand, theme, allow-list, credentials,
// domains, embed origins and sites, registered under each of the portal's mounts
// (partners.portal.mounts.ts).
import { Type } from 'typebox';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { LOGO_TYPES } from './logo.ts';
import type { AuditLog } from './partners.audit.ts';
import type { BrandService } from './partners.brand.service.ts';
import type { CredentialsService } from './partners.credentials.service.ts';
import type { PartnerHosts } from './partners.hosts.ts';
import { mountParts, type PortalMount } from './partners.portal.mounts.ts';
import { registerPortalSiteRoutes } from './partners.portal.sites.routes.ts';
import type { ProfileService } from './partners.profile.service.ts';
import { AuditSchema, DomainSchema, EmbedOriginsSchema, OauthClientSchema, PartnerSchema, ThemeSchema } from './partners.schemas.ts';
import type { PartnerSites } from './partners.sites.ts';

export interface PortalDeps {
  profile: ProfileService;
  brand: BrandService;
  credentials: CredentialsService;
  sites: PartnerSites;
  hosts: PartnerHosts;
  auditLog: AuditLog;
  logoMaxBytes: number;
}

/** Registers the portal routes under one mount. */
export function registerPortalRoutes(app: HttpServer, deps: PortalDeps, mount: PortalMount): void {
  const { profile, brand, credentials, hosts } = deps;
  const { params, base, config, actor } = mountParts(mount);

  void app.register(
    async (scope: HttpServer) => {
      // Logos arrive as raw image bytes; the type is checked against the bytes, not trusted.
      scope.addContentTypeParser(Object.keys(LOGO_TYPES), { parseAs: 'buffer', bodyLimit: deps.logoMaxBytes }, (_req, body, done) => done(null, body));
      // Anything else that claims to be an image is read (up to the limit) and refused by type.
      scope.addContentTypeParser(/^image\//, { parseAs: 'buffer', bodyLimit: deps.logoMaxBytes }, (_req, body, done) => done(null, body));

      scope.get('/profile', { config, schema: { ...base, summary: 'The partner', params: params({}), response: { 200: PartnerSchema, ...problems(401, 403, 404) } } }, async (r) =>
        profile.get(mount.partnerOf(r)),
      );

      scope.patch(
        '/profile',
        {
          config,
          schema: {
            ...base,
            summary: "Change the partner's contact details (a new name waits for the platform's approval)",
            params: params({}),
            body: Type.Object(
              {
                name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
                contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
                contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
                phone: Type.Optional(Type.Union([Type.String({ minLength: 3, maxLength: 40, pattern: '^[0-9+()\\-. ]+$' }), Type.Null()])),
              },
              { additionalProperties: false, minProperties: 1 },
            ),
            response: { 200: PartnerSchema, ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => profile.updateProfile(mount.partnerOf(r), actor(r), r.body),
      );

      scope.put(
        '/branding',
        {
          config,
          schema: {
            ...base,
            summary: "Set the branding text: the product's name, shown instead of Parley and of the partner's name on its pages",
            params: params({}),
            body: Type.Object(
              {
                branding: Type.Union([
                  // Printable text only: no control or format characters (a bidi override could make it read as another name).
                  Type.String({ minLength: 1, maxLength: 200, pattern: '^(?=.*\\S)[^\\p{Cc}\\p{Cf}]+$', description: 'Printable text, not only spaces; null removes it' }),
                  Type.Null(),
                ]),
              },
              { additionalProperties: false },
            ),
            response: { 200: PartnerSchema, ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => brand.setBranding(mount.partnerOf(r), actor(r), r.body.branding),
      );

      scope.put(
        '/branding/logo',
        {
          config,
          schema: {
            ...base,
            summary: 'Upload the logo: the raw PNG, JPEG, WebP or GIF bytes with their Content-Type',
            params: params({}),
            response: { 200: PartnerSchema, ...problems(400, 401, 403, 404, 413, 415) },
          },
        },
        async (r) => {
          const body = r.body as unknown;
          const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
          return brand.setLogo(mount.partnerOf(r), actor(r), bytes, r.headers['content-type']);
        },
      );

      scope.delete('/branding/logo', { config, schema: { ...base, summary: 'Remove the logo', params: params({}), response: { 200: PartnerSchema, ...problems(401, 403, 404) } } }, async (r) =>
        brand.removeLogo(mount.partnerOf(r), actor(r)),
      );

      scope.get('/theme', { config, schema: { ...base, summary: "The partner's theme tokens", params: params({}), response: { 200: ThemeSchema, ...problems(401, 403, 404) } } }, async (r) => ({
        pairs: await brand.getTheme(mount.partnerOf(r)),
      }));

      scope.put(
        '/theme',
        {
          config,
          schema: { ...base, summary: 'Replace the theme (docs/partner-theme.md lists the tokens)', params: params({}), body: ThemeSchema, response: { 200: ThemeSchema, ...problems(400, 401, 403, 404) } },
        },
        async (r) => ({ pairs: await brand.setTheme(mount.partnerOf(r), actor(r), r.body.pairs) }),
      );

      scope.put(
        '/ip-restrictions',
        {
          config,
          schema: {
            ...base,
            summary: 'Replace the addresses and CIDR ranges the Partner API may be called from (empty: anywhere)',
            params: params({}),
            body: Type.Object({ ipRestrictions: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 }) }, { additionalProperties: false }),
            response: { 200: PartnerSchema, ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => profile.setIpRestrictions(mount.partnerOf(r), actor(r), r.body.ipRestrictions),
      );

      scope.post(
        '/api-key/rotate',
        {
          config,
          schema: { ...base, summary: 'Replace the API key; the old one and its tokens stop working at once', params: params({}), response: { 200: Type.Object({ apiKey: Type.String(), partner: PartnerSchema }), ...problems(401, 403, 404) } },
        },
        async (r) => credentials.rotateApiKey(mount.partnerOf(r), actor(r)),
      );

      scope.get('/oauth-clients', { config, schema: { ...base, summary: 'OAuth clients', params: params({}), response: { 200: Type.Array(OauthClientSchema), ...problems(401, 403, 404) } } }, async (r) =>
        credentials.listClients(mount.partnerOf(r)),
      );

      const WithSecret = Type.Object({ ...OauthClientSchema.properties, clientSecret: Type.String({ description: 'Shown this once' }) });
      scope.post(
        '/oauth-clients',
        {
          config,
          schema: {
            ...base,
            summary: 'Create an OAuth client with the scopes it may be granted (docs/partner-api.md)',
            params: params({}),
            body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), scopes: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 50 }) }, { additionalProperties: false }),
            response: { 201: WithSecret, ...problems(400, 401, 403, 404, 409) },
          },
        },
        async (r, reply) => reply.code(201).send(await credentials.createClient(mount.partnerOf(r), actor(r), r.body)),
      );

      scope.post(
        '/oauth-clients/:clientRowId/rotate-secret',
        { config, schema: { ...base, summary: "Replace a client's secret; the old secret and its tokens stop at once", params: params({ clientRowId: Id }), response: { 200: WithSecret, ...problems(401, 403, 404) } } },
        async (r) => credentials.rotateClientSecret(mount.partnerOf(r), actor(r), r.params.clientRowId),
      );

      scope.delete(
        '/oauth-clients/:clientRowId',
        { config, schema: { ...base, summary: 'Revoke a client and its tokens', params: params({ clientRowId: Id }), response: { 200: OauthClientSchema, ...problems(401, 403, 404) } } },
        async (r) => credentials.revokeClient(mount.partnerOf(r), actor(r), r.params.clientRowId),
      );

      registerPortalSiteRoutes(scope, deps.sites, mount);

      // ---- domains ----

      scope.get('/domains', { config, schema: { ...base, summary: 'Custom domains', params: params({}), response: { 200: Type.Array(DomainSchema), ...problems(401, 403, 404) } } }, async (r) =>
        hosts.list(mount.partnerOf(r)),
      );

      scope.post(
        '/domains',
        {
          config,
          schema: {
            ...base,
            summary: 'Add a custom domain; publish the TXT record it returns, then verify',
            params: params({}),
            body: Type.Object({ host: Type.String({ minLength: 1, maxLength: 253 }) }, { additionalProperties: false }),
            response: { 201: DomainSchema, ...problems(400, 401, 403, 404, 409) },
          },
        },
        async (r, reply) => reply.code(201).send(await hosts.add(mount.partnerOf(r), actor(r), r.body.host)),
      );

      scope.post(
        '/domains/:domainId/verify',
        { config, schema: { ...base, summary: "Check the domain's TXT record", params: params({ domainId: Id }), response: { 200: DomainSchema, ...problems(401, 403, 404, 409) } } },
        async (r) => hosts.verify(mount.partnerOf(r), actor(r), r.params.domainId),
      );

      scope.delete(
        '/domains/:domainId',
        { config, schema: { ...base, summary: 'Remove a custom domain', params: params({ domainId: Id }), response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
        async (r, reply) => {
          await hosts.remove(mount.partnerOf(r), actor(r), r.params.domainId);
          return reply.code(204).send(null);
        },
      );

      // ---- embed origins ----

      scope.get(
        '/embed-origins',
        {
          config,
          schema: {
            ...base,
            summary: "Origins besides the partner's hosts that may frame its embeddable pages",
            description: "The partner's Parley subdomain and verified custom domains may always frame the agent console and control panel; these origins may as well.",
            params: params({}),
            response: { 200: EmbedOriginsSchema, ...problems(401, 403, 404) },
          },
        },
        async (r) => ({ origins: await hosts.embedOrigins(mount.partnerOf(r)) }),
      );

      scope.put(
        '/embed-origins',
        {
          config,
          schema: {
            ...base,
            summary: "Replace the origins that may frame the partner's embeddable pages",
            description:
              'Each entry is an exact origin: `https://` with a public host name and an optional port, or `http://` for localhost, 127.0.0.1 and [::1] only; no path, query, fragment, credentials or wildcard. Origins are stored in lower-case `URL.origin` form (a default port dropped), without duplicates. An invalid entry is reported at its index and nothing changes.',
            params: params({}),
            body: EmbedOriginsSchema,
            response: { 200: EmbedOriginsSchema, ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => ({ origins: await hosts.setEmbedOrigins(mount.partnerOf(r), actor(r), r.body.origins) }),
      );

      scope.get(
        '/audit',
        {
          config,
          schema: {
            ...base,
            summary: "The partner's audit log, newest first",
            params: params({}),
            querystring: Type.Object({ before: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
            response: { 200: Type.Array(AuditSchema), ...problems(401, 403, 404) },
          },
        },
        async (r) => {
          const partnerId = mount.partnerOf(r);
          await profile.get(partnerId);
          return deps.auditLog.list({ partnerId, before: r.query.before, limit: r.query.limit ?? 100 });
        },
      );
    },
    { prefix: mount.prefix },
  );
}
