// What a page shows of its partner: the brand of the request's host, the partner's theme as CSS
// custom properties, and its logo. All public and cacheable.
import { Type } from 'typebox';
import { NotFound } from '../../platform/errors.ts';
import { problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { LogoStore } from './logo.ts';
import type { BrandService } from './partners.brand.service.ts';
import type { PartnerHosts } from './partners.hosts.ts';
import { BrandSchema } from './partners.schemas.ts';

/** RFC 9110 §13.1.2: If-None-Match matches `*` or any listed tag, compared weakly. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  return header.trim() === '*' || header.split(',').some((t) => bare(t) === bare(etag));
}

/** Registers the brand, theme and logo routes. */
export function registerBrandRoutes(app: HttpServer, deps: { brand: BrandService; hosts: PartnerHosts; logos: LogoStore }): void {
  app.get(
    '/api/v1/brand',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['brand'],
        summary: "The brand of this host: a partner's ({slug}.{base domain} or a verified custom domain) or the platform's",
        response: { 200: BrandSchema },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'public, max-age=60').header('vary', 'Host');
      return deps.hosts.resolve(request.host);
    },
  );

  app.get(
    '/brand/:slug/theme.css',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['brand'],
        summary: "A partner's theme as CSS custom properties (--parley-…), with an ETag",
        params: Type.Object({ slug: Type.String({ pattern: '^[a-z0-9-]{1,63}$' }) }),
        response: { 200: Type.String(), 304: Type.Null(), ...problems(404) },
      },
    },
    async (request, reply) => {
      const theme = await deps.brand.themeCss(request.params.slug);
      if (!theme) throw new NotFound('partner', request.params.slug);
      reply.header('etag', theme.etag).header('cache-control', 'public, max-age=300, must-revalidate').header('x-content-type-options', 'nosniff');
      if (matchesEtag(request.headers['if-none-match'], theme.etag)) return reply.code(304).send(null);
      return reply.type('text/css; charset=utf-8').send(theme.css);
    },
  );

  app.get(
    '/brand/logos/:name',
    {
      config: { access: ['public'] },
      schema: {
        tags: ['brand'],
        summary: "A partner's logo (content-addressed: cached for good)",
        params: Type.Object({ name: Type.String({ maxLength: 100 }) }),
        response: { 200: Type.Unknown(), ...problems(404) },
      },
    },
    async (request, reply) => {
      const logo = await deps.logos.read(request.params.name);
      if (!logo) throw new NotFound('logo');
      return reply
        .type(logo.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .send(logo.buf);
    },
  );
}
