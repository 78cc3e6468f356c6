// The partner portal's pages and their addresses: /partner/<page> for a partner's users (/partner
// itself shows the sites), /platform/partners/<id>/<page> when a platform admin acts on a partner.
// The set-password link's page is /partner/set-password.

export type PortalPageId = 'sites' | 'reports' | 'profile' | 'branding' | 'theme' | 'domains' | 'sso' | 'api' | 'audit';

export const PORTAL_PAGES: PortalPageId[] = ['sites', 'reports', 'profile', 'branding', 'theme', 'domains', 'sso', 'api', 'audit'];

/** The partner a platform admin acts on (from /platform/partners/<id>/…), or null for a partner's own portal. */
export function actingPartnerAt(pathname: string): number | null {
  const m = /^\/platform\/partners\/([1-9][0-9]{0,15})(?:\/|$)/.exec(pathname);
  return m ? Number(m[1]) : null;
}

/** The page at a path; the sites for /partner and any address it does not know. */
export function portalPageAt(pathname: string): PortalPageId {
  const name = pathname.replace(/^\/partner\/?|^\/platform\/partners\/[0-9]+\/?/, '').replace(/\/$/, '');
  return PORTAL_PAGES.find((p) => p === name) ?? 'sites';
}

/** The address of a page, for a partner's users or for the platform admin acting on `acting`. */
export const portalHref = (id: PortalPageId, acting: number | null) => (acting === null ? `/partner/${id}` : `/platform/partners/${acting}/${id}`);

/** The set-password link's page (its token is in the address's fragment). */
export const isSetPasswordPage = (pathname: string) => pathname === '/partner/set-password';
