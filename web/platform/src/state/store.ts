// The platform admin's state: which screen, the page shown, and the partner acted on. Each page
// loads its own data.
import { createStore } from '../../../console/src/state/createStore.ts';
import { actingAt, type PageId, pageAt } from './pages.ts';

export type Screen = 'signin' | 'admin';

export interface State {
  screen: Screen;
  page: PageId;
  /** The partner whose portal pages the admin acts on (page 'partners'); null otherwise. */
  acting: number | null;
  /** The session ended while the admin was open: the sign-in form says so. */
  expired: boolean;
}

const store = createStore<State>({ screen: 'signin', page: pageAt(location.pathname), acting: actingAt(location.pathname), expired: false });

export const { getState, setState } = store;

/** The selected slice; the selector must return a value kept in the state. */
export function useStore<T>(selector: (s: State) => T): T {
  return store.useStore(selector);
}
