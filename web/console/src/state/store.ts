// The console's store (see createStore.ts): one State object, changed only through setState in the
// action modules.
import { createStore } from './createStore.ts';
import { initialState, type State } from './model.ts';

const store = createStore<State>(initialState());

export const { getState, setState, subscribe } = store;

/** The selected slice; the selector must return a value kept in the state (not a new object). */
export function useStore<T>(selector: (s: State) => T): T {
  return store.useStore(selector);
}

/** Back to an empty console (sign-out, another session), keeping what is not the agent's. */
export function resetState(keep: Partial<State> = {}): void {
  setState(() => ({ ...initialState(), ...keep }));
}
