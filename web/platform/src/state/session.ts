// The platform user's session: a bearer token from the platform login, kept in sessionStorage (this
// tab only, gone when it closes; never a cookie, so no other site's request can carry it), sent as
// Authorization on every call. A 401 (expired or revoked token) goes back to the sign-in form.
import { setUnauthorizedHandler } from '../../../console/src/api/http.ts';
import { logout } from '../api/platform.ts';
import { actingAt, actingHref, hrefOf, type PageId, pageAt } from './pages.ts';
import { getState, setState } from './store.ts';
import { tokenStore } from './tokenStore.ts';

const { keep, read } = tokenStore('parley.platform.token');

function sessionLost(): void {
  if (getState().screen !== 'admin') return;
  keep(null);
  setState((s) => ({ ...s, screen: 'signin', expired: true }));
}

/** Starts the admin with a new token. */
export function signedIn(token: string): void {
  keep(token);
  setState((s) => ({ ...s, screen: 'admin', expired: false }));
}

/** Revokes the token (when the server can still be told) and shows the sign-in form. */
export async function signOut(): Promise<void> {
  await logout().catch(() => undefined);
  keep(null);
  setState((s) => ({ ...s, screen: 'signin', expired: false }));
}

/** Shows another page and puts it in the address bar (and the history); focus goes to its heading. */
export function openPage(page: PageId): void {
  history.pushState(null, '', hrefOf(page));
  setState((s) => ({ ...s, page, acting: null }));
  requestAnimationFrame(() => document.querySelector<HTMLElement>('#main h1')?.focus());
}

/** Acts on a partner: its portal's page (the profile unless told) in the admin, at /platform/partners/<id>/<page>. */
export function openActing(partnerId: number, portalPage = 'profile'): void {
  history.pushState(null, '', actingHref(partnerId, portalPage));
  setState((s) => ({ ...s, page: 'partners', acting: partnerId }));
}

/** Picks up a token kept by this tab (a reload); the first call that answers 401 signs out. */
export function boot(): void {
  setUnauthorizedHandler(sessionLost);
  window.addEventListener('popstate', () => setState((s) => ({ ...s, page: pageAt(location.pathname), acting: actingAt(location.pathname) })));
  const token = read();
  if (token) signedIn(token);
}
