// Where the portal's calls go: /api/v1/partner for a partner's own users, or the same routes at
// /api/v1/platform/partners/{id} when a platform admin acts on a partner's settings
// (src/modules/partners/partners.portal.mounts.ts). Every portal API file builds its paths here.
let base = '/api/v1/partner';

/** Sends the portal's calls to the platform admin's mount for this partner. */
export function actOnPartner(partnerId: number): void {
  base = `/api/v1/platform/partners/${partnerId}`;
}

/** A portal route's full path. */
export const portalPath = (path: string) => `${base}${path}`;
