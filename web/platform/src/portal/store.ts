// The partner portal's state: which screen, the page shown, and the partner (its brand in the
// header; pages that change it put the fresh copy here). Each page loads its own data.
import { createStore } from '../../../console/src/state/createStore.ts';
import type { Partner } from './api/account.ts';
import { actingPartnerAt, isSetPasswordPage, type PortalPageId, portalPageAt } from './pages.ts';

export type Screen = 'signin' | 'forgot' | 'set-password' | 'portal';

export interface State {
  screen: Screen;
  page: PortalPageId;
  partner: Partner | null;
  /** The platform admin's partner when acting on one; null in a partner's own portal. */
  acting: number | null;
  /** A line for the sign-in form: the session ended, or the password was just set. */
  notice: 'expired' | 'password-set' | null;
  /** The e-mail to put in the sign-in form (after setting the password). */
  email: string;
}

const store = createStore<State>({
  screen: isSetPasswordPage(location.pathname) ? 'set-password' : 'signin',
  page: portalPageAt(location.pathname),
  partner: null,
  acting: actingPartnerAt(location.pathname),
  notice: null,
  email: '',
});

export const { getState, setState } = store;

/** The selected slice; the selector must return a value kept in the state. */
export function useStore<T>(selector: (s: State) => T): T {
  return store.useStore(selector);
}
