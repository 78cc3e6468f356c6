// The platform admin's pages and their addresses (/platform/<page>; /platform itself shows the
// applications). /platform/partners/<id>/<page> is the Partners page acting on one partner: the
// partner portal's <page> for that partner. The server answers every one of these addresses with
// this app (src/modules/web/web.routes.ts).

export type PageId = 'applications' | 'partners' | 'sites' | 'reports' | 'audit' | 'outbox';

export const PAGES: PageId[] = ['applications', 'partners', 'sites', 'reports', 'audit', 'outbox'];

/** The partner acted on at /platform/partners/<id>/…, or null at any other address. */
export function actingAt(pathname: string): number | null {
  const m = /^\/platform\/partners\/([1-9][0-9]{0,15})(?:\/|$)/.exec(pathname);
  return m ? Number(m[1]) : null;
}

/** The page at a path: the partners when acting on one; the applications for /platform and any address it does not know. */
export function pageAt(pathname: string): PageId {
  if (actingAt(pathname) !== null) return 'partners';
  const name = pathname.replace(/^\/platform\/?/, '').replace(/\/$/, '');
  return PAGES.find((p) => p === name) ?? 'applications';
}

export const hrefOf = (id: PageId) => `/platform/${id}`;

/** Where acting on a partner starts: a page of the partner portal (its profile unless told). */
export const actingHref = (partnerId: number, portalPage = 'profile') => `/platform/partners/${partnerId}/${portalPage}`;
