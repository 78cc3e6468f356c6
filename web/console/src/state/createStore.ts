// A tiny external store: one immutable state object, replaced on every change, read by components
// through useSyncExternalStore so React re-renders only those whose selected slice changed. The
// console and the control panel each make one.
import { useSyncExternalStore } from 'react';

export interface Store<S> {
  getState(): S;
  /** Replaces the state with `update(state)`; returning the same object changes nothing. */
  setState(update: (s: S) => S): void;
  subscribe(listener: () => void): () => void;
  /** The selected slice; the selector must return a value kept in the state (not a new object). */
  useStore<T>(selector: (s: S) => T): T;
}

/** A store starting from `initial`. */
export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  const subscribe = (listener: () => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return {
    getState: () => state,
    setState(update) {
      const next = update(state);
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
    subscribe,
    useStore: (selector) => useSyncExternalStore(subscribe, () => selector(state)),
  };
}
