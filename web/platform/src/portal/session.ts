// The portal user's session: a bearer token from the portal login, kept in sessionStorage (this tab
// only, never a cookie, so no other site's request can carry it) and sent as Authorization. A 401
// (expired or revoked token, suspended partner) goes back to the sign-in form. A platform admin
// acting on a partner uses the platform admin's own session instead (actOn).
import { setUnauthorizedHandler } from '../../../console/src/api/http.ts';
import { tokenStore } from '../state/tokenStore.ts';
import { getProfile, logout, type Partner } from './api/account.ts';
import { actOnPartner } from './api/base.ts';
import { type PortalPageId, portalHref, portalPageAt } from './pages.ts';
import { getState, setState } from './store.ts';

const { keep, read } = tokenStore('parley.partner.token');

function sessionLost(): void {
  if (getState().screen !== 'portal') return;
  keep(null);
  setState((s) => ({ ...s, screen: 'signin', partner: null, notice: 'expired' }));
}

/**
 * Shows the partner's theme on the portal itself (its own portal only: a platform admin acting on a
 * partner stays in Parley's look). The theme's address changes with its content, so a new theme
 * shows at once.
 */
function applyLook(partner: Partner): void {
  if (getState().acting !== null) return;
  let link = document.querySelector<HTMLLinkElement>('link[data-parley-theme]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'stylesheet';
    link.dataset.parleyTheme = '';
    document.head.append(link);
  }
  if (link.getAttribute('href') !== partner.themeCssUrl) link.href = partner.themeCssUrl;
}

/** Puts a fresh copy of the partner in place (after a change of its brand, logo, theme or profile). */
export function partnerChanged(partner: Partner): void {
  setState((s) => ({ ...s, partner }));
  applyLook(partner);
}

async function open(): Promise<void> {
  const partner = await getProfile();
  setState((s) => ({ ...s, screen: 'portal', partner, notice: null }));
  applyLook(partner);
}

/** Starts the portal with a new token. */
export async function signedIn(token: string): Promise<void> {
  keep(token);
  await open();
}

/** Revokes the token (when the server can still be told) and shows the sign-in form. */
export async function signOut(): Promise<void> {
  await logout().catch(() => undefined);
  keep(null);
  setState((s) => ({ ...s, screen: 'signin', partner: null, notice: null }));
}

/** Shows another page and puts it in the address bar (and the history); focus goes to its heading. */
export function openPage(page: PortalPageId): void {
  history.pushState(null, '', portalHref(page, getState().acting));
  setState((s) => ({ ...s, page }));
  requestAnimationFrame(() => document.querySelector<HTMLElement>('#main h1')?.focus());
}

/** Back to the sign-in form from the password forms, with a line to show and the e-mail to fill in. */
export function showSignIn(notice: 'password-set' | null = null, email = ''): void {
  history.replaceState(null, '', '/partner');
  setState((s) => ({ ...s, screen: 'signin', notice, email }));
}

/** The forgot-password form. */
export function showForgot(): void {
  setState((s) => ({ ...s, screen: 'forgot', notice: null }));
}

let following = false;

function followHistory(): void {
  if (following) return;
  following = true;
  window.addEventListener('popstate', () => setState((s) => ({ ...s, page: portalPageAt(location.pathname) })));
}

/** Picks up a token kept by this tab (a reload); the first call that answers 401 signs out. */
export function boot(): void {
  setUnauthorizedHandler(sessionLost);
  followHistory();
  if (getState().screen === 'set-password') return;
  const token = read();
  if (token) void signedIn(token).catch(() => keep(null));
}

/**
 * Opens the portal's pages for a platform admin acting on a partner (the platform admin's token is
 * already set, and its 401 handler too): the calls go to the platform's mount for that partner.
 */
export async function actOn(partnerId: number): Promise<void> {
  actOnPartner(partnerId);
  // The admin may have acted on another partner before (this module stays loaded): start afresh.
  setState((s) => ({ ...s, acting: partnerId, partner: null, page: portalPageAt(location.pathname) }));
  followHistory();
  await open();
}
