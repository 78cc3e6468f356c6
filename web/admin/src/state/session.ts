// The panel's life: the brand, the session probe on load, sign-in, what the agent may do, the
// page shown (with the browser's back and forward), and a session that ends while open.
import { fetchBrand, fetchSession } from '../../../console/src/api/auth.ts';
import { setCsrfToken, setUnauthorizedHandler } from '../../../console/src/api/http.ts';
import { linkTheme, pageBrand, sessionFitsPage } from '../../../console/src/api/page.ts';
import { fetchMyPermissions } from '../api/panel.ts';
import type { Brand, Session } from '../api/types.ts';
import { hrefOf, type PageId, pageAt } from './pages.ts';
import { getState, setState } from './store.ts';

function applyBrand(brand: Brand): void {
  setState((s) => ({ ...s, brand }));
  linkTheme(brand.themeCssUrl);
}

function sessionLost(): void {
  if (getState().screen !== 'panel') return;
  setCsrfToken(null);
  setState((s) => ({ ...s, screen: 'signin', session: null, access: null, expired: true }));
}

/** Starts the panel for a session: reads what the agent may do, then shows the page. */
export async function startPanel(session: Session): Promise<void> {
  setCsrfToken(session.csrfToken);
  const access = await fetchMyPermissions();
  setState((s) => ({ ...s, screen: 'panel', session, access, expired: false }));
}

/** Shows another page and puts it in the address bar (and the history); focus goes to its heading. */
export function openPage(page: PageId): void {
  history.pushState(null, '', hrefOf(page));
  setState((s) => ({ ...s, page }));
  requestAnimationFrame(() => document.querySelector<HTMLElement>('#main h1')?.focus());
}

export async function boot(): Promise<void> {
  setUnauthorizedHandler(sessionLost);
  window.addEventListener('popstate', () => setState((s) => ({ ...s, page: pageAt(location.pathname) })));
  // The site's partner's brand when the server put it in the page, else the brand of this host.
  const brand = pageBrand();
  if (brand) applyBrand(brand);
  else void fetchBrand().then(applyBrand, () => undefined);
  try {
    const session = await fetchSession();
    if (session && sessionFitsPage(session)) await startPanel(session);
    else setState((s) => ({ ...s, screen: 'signin' }));
  } catch {
    // The server is unreachable: sign-in shows, and says why when the agent tries.
    setState((s) => ({ ...s, screen: 'signin' }));
  }
}
