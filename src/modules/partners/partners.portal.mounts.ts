// The partner portal is mounted twice: at /api/v1/partner for the partner's users (the partner is
// theirs), and at /api/v1/platform/partners/{partnerId} for platform admins (any partner). Other
// modules' portal routes (single sign-on settings) are mounted the same way.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Id } from '../../platform/http/schemas.ts';
import { actorOf } from './partners.audit.ts';

/** Where portal routes are mounted, for whom, and which partner a request acts on. */
export interface PortalMount {
  prefix: string;
  access: ['partner'] | ['platform'];
  tag: string;
  /** The partner a request acts on. */
  partnerOf(request: FastifyRequest): number;
}

/** The portal's two mounts; on the partners' one, anyone but a partner user gets -1, which no partner has. */
export const PORTAL_MOUNTS: readonly PortalMount[] = [
  { prefix: '/api/v1/partner', access: ['partner'], tag: 'partner portal', partnerOf: (r) => (r.principal?.kind === 'partner' ? r.principal.partnerId : -1) },
  { prefix: '/api/v1/platform/partners/:partnerId', access: ['platform'], tag: 'platform', partnerOf: (r) => (r.params as { partnerId: number }).partnerId },
];

/** What every route of one mount shares: its path parameters, schema basics, access and actor. */
export function mountParts(mount: PortalMount) {
  const onPlatform = mount.access[0] === 'platform';
  return {
    /** Path parameters of this mount plus a route's own. */
    params: <P extends Record<string, typeof Id>>(own: P) => Type.Object({ ...(onPlatform ? { partnerId: Id } : {}), ...own }),
    base: { tags: [mount.tag], security: [{ bearer: [] }] },
    config: { access: mount.access },
    actor: (r: FastifyRequest) => actorOf(r.principal, String(r.id)),
  };
}
