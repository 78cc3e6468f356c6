// The control panel's state: which screen, who is signed in and may do what, and the page shown.
// Each page loads and keeps its own data.
import { createStore } from '../../../console/src/state/createStore.ts';
import type { Brand, MyPermissions, Session } from '../api/types.ts';
import { type PageId, pageAt } from './pages.ts';

export type Screen = 'loading' | 'signin' | 'panel';

export interface State {
  screen: Screen;
  session: Session | null;
  brand: Brand | null;
  /** The caller's role and permissions; null until read. */
  access: MyPermissions | null;
  /** The page shown; null: the first one the agent may use. */
  page: PageId | null;
  /** The session ended while the panel was open: the sign-in form says so. */
  expired: boolean;
}

const store = createStore<State>({ screen: 'loading', session: null, brand: null, access: null, page: pageAt(location.pathname), expired: false });

export const { getState, setState } = store;

/** The selected slice; the selector must return a value kept in the state (not a new object). */
export function useStore<T>(selector: (s: State) => T): T {
  return store.useStore(selector);
}
