// Moving the focus to what a state change renders, in the React apps. After an `await`, React
// renders in a later task of its own; a focus put off with requestAnimationFrame can run before
// that render and find nothing (under load it does: a CI run lost the focus this way).
import { flushSync } from 'react-dom';

/** Renders the state `update` sets now, then focuses the element `target` finds in it. */
export function focusAfter(update: () => void, target: () => HTMLElement | null | undefined): void {
  flushSync(update);
  target()?.focus();
}
