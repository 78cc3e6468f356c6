// The platform admin's pages and their addresses (/platform/<page>; /platform itself shows the
// applications). The server answers every /platform/<page> with this app (src/modules/web/web.routes.ts).

export type PageId = 'applications' | 'partners' | 'audit' | 'outbox';

export const PAGES: PageId[] = ['applications', 'partners', 'audit', 'outbox'];

/** The page at a path; the applications for /platform and any address it does not know. */
export function pageAt(pathname: string): PageId {
  const name = pathname.replace(/^\/platform\/?/, '').replace(/\/$/, '');
  return PAGES.find((p) => p === name) ?? 'applications';
}

export const hrefOf = (id: PageId) => `/platform/${id}`;
