// What the server put into the page and how the page was opened: the brand of the site's partner
// (when the server knew the site), and `onlyDisplayBody=true` for a page embedded in a partner's
// product (no header, footer or menu; docs/console.md).
import type { Brand } from './types.ts';

/** The brand in `<meta name="parley-brand">`, or null when the server did not know the site. */
export function pageBrand(): Brand | null {
  const content = document.querySelector<HTMLMetaElement>('meta[name="parley-brand"]')?.content;
  if (!content) return null;
  try {
    const b = JSON.parse(content) as Partial<Brand>;
    if (typeof b.name !== 'string') return null;
    return { name: b.name, logoUrl: b.logoUrl ?? null, themeCssUrl: b.themeCssUrl ?? null };
  } catch {
    return null;
  }
}

/** Links the partner's theme stylesheet once (the server may have put it in the page already). */
export function linkTheme(url: string | null): void {
  if (!url || document.querySelector('link[data-parley-theme]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = url;
  link.dataset.parleyTheme = '';
  // Its place among the stylesheets does not matter: it only defines --parley-* variables,
  // which our rules read (with Parley's defaults when the theme leaves one out).
  document.head.append(link);
}

/** The page is embedded body-only: `?onlyDisplayBody=true` (the spec's name, kept). */
export const onlyDisplayBody = new URLSearchParams(location.search).get('onlyDisplayBody') === 'true';

/** The page's `siteId` parameter, kept on links between pages so they stay on the same site. */
export const pageSiteId = new URLSearchParams(location.search).get('siteId');

/**
 * Whether a session may open this page: a page asked for one site (`?siteId=`) opens only a session
 * of that site. A partner may frame its own sites' pages; the browser's session for a site of
 * another partner must not run inside that frame (it would be clickjacked there).
 */
export function sessionFitsPage(session: { siteId: number }): boolean {
  return pageSiteId === null || Number(pageSiteId) === session.siteId;
}

/** The site a sign-in on this page is for, when the page names one. */
export const pageSiteNumber: number | null = pageSiteId !== null && /^[1-9][0-9]{0,15}$/.test(pageSiteId) ? Number(pageSiteId) : null;
