// A tiny external store: one immutable state object, replaced on every change, read by components
// through useSyncExternalStore so React re-renders only those whose selected slice changed.
import { useSyncExternalStore } from 'react';
import { initialState, type State } from './model.ts';

type Listener = () => void;

let state: State = initialState();
const listeners = new Set<Listener>();

export function getState(): State {
  return state;
}

export function setState(update: (s: State) => State): void {
  const next = update(state);
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The selected slice; the selector must return a value kept in the state (not a new object). */
export function useStore<T>(selector: (s: State) => T): T {
  return useSyncExternalStore(subscribe, () => selector(state));
}

/** Back to an empty console (sign-out, another session), keeping what is not the agent's. */
export function resetState(keep: Partial<State> = {}): void {
  setState(() => ({ ...initialState(), ...keep }));
}
