// The partner portal's routes for a partner's sites (the same operations as the Partner API's),
// registered inside the portal's scope of one mount.
import { Type } from 'typebox';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { mountParts, type PortalMount } from './partners.portal.mounts.ts';
import { CreatedSiteSchema, NewSiteSchema, SiteObjectSchema, SiteQuery, SiteUpdateSchema, UsageSchema } from './partners.schemas.ts';
import type { PartnerSites } from './partners.sites.ts';

const IdempotencyKey = Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$' }));

/** Registers the site routes in a portal scope (which has its mount's prefix already). */
export function registerPortalSiteRoutes(scope: HttpServer, sites: PartnerSites, mount: PortalMount): void {
  const { params, base, config, actor } = mountParts(mount);
  const siteParams = params({ siteId: Id });

  scope.get(
    '/sites',
    {
      config,
      schema: {
        ...base,
        summary: "The partner's sites, oldest first (deleted=true: those deleted and still restorable)",
        params: params({}),
        querystring: Type.Object({ deleted: Type.Optional(Type.Boolean()), q: SiteQuery }, { additionalProperties: false }),
        response: { 200: Type.Array(SiteObjectSchema), ...problems(400, 401, 403, 404) },
      },
    },
    async (r) => sites.list(mount.partnerOf(r), { deleted: r.query.deleted ?? false, q: r.query.q }),
  );

  scope.post(
    '/sites',
    {
      config,
      schema: {
        ...base,
        summary: 'Open a site for a customer, with its administrator',
        params: params({}),
        headers: Type.Object({ 'idempotency-key': IdempotencyKey }),
        body: NewSiteSchema,
        response: { 201: CreatedSiteSchema, ...problems(400, 401, 403, 404, 422) },
      },
    },
    async (r, reply) => {
      const created = await sites.create(mount.partnerOf(r), actor(r), r.body, r.headers['idempotency-key']);
      return reply.code(201).send({ ...created.site, admin: created.admin });
    },
  );

  scope.get('/sites/:siteId', { config, schema: { ...base, summary: 'One site', params: siteParams, response: { 200: SiteObjectSchema, ...problems(401, 403, 404) } } }, async (r) =>
    sites.get(mount.partnerOf(r), r.params.siteId),
  );

  scope.patch(
    '/sites/:siteId',
    { config, schema: { ...base, summary: "Change a site's fields", params: siteParams, body: SiteUpdateSchema, response: { 200: SiteObjectSchema, ...problems(400, 401, 403, 404, 409) } } },
    async (r) => sites.update(mount.partnerOf(r), actor(r), r.params.siteId, r.body),
  );

  for (const action of ['disable', 'enable', 'restore'] as const) {
    scope.post(
      `/sites/:siteId/${action}`,
      { config, schema: { ...base, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a site`, params: siteParams, response: { 200: SiteObjectSchema, ...problems(401, 403, 404, 409) } } },
      async (r) => sites[action](mount.partnerOf(r), actor(r), r.params.siteId),
    );
  }

  scope.delete(
    '/sites/:siteId',
    {
      config,
      schema: {
        ...base,
        summary: 'Delete a site (restorable during the grace period); permanent=true removes a deleted site and its data now',
        params: siteParams,
        querystring: Type.Object({ permanent: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: SiteObjectSchema, 204: Type.Null(), ...problems(401, 403, 404) },
      },
    },
    async (r, reply) => {
      if (!r.query.permanent) return sites.delete(mount.partnerOf(r), actor(r), r.params.siteId);
      await sites.purge(mount.partnerOf(r), actor(r), r.params.siteId);
      return reply.code(204).send(null);
    },
  );

  scope.get('/sites/:siteId/usage', { config, schema: { ...base, summary: "A site's usage figures", params: siteParams, response: { 200: UsageSchema, ...problems(401, 403, 404) } } }, async (r) =>
    sites.usage(mount.partnerOf(r), r.params.siteId),
  );
}
