// Small hooks shared by components: a clock that ticks for every "time on site" at once, and
// running an action with a busy flag and its error shown as a notice.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { errorText, notice } from '../state/notices.ts';

let now = Date.now();
const tickers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribeClock(listener: () => void): () => void {
  tickers.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of tickers) l();
  }, 1000);
  return () => {
    tickers.delete(listener);
    if (tickers.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The ticking time; while nothing ticks (first render) a stale value is refreshed, once a second at most. */
function clockSnapshot(): number {
  if (timer === undefined && Date.now() - now >= 1000) now = Date.now();
  return now;
}

/** The current time, re-rendering every second (one interval for the whole app). */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, clockSnapshot);
}

/** Runs async actions one at a time; a failure is shown with the server's own words. */
export function useAction(): [run: (action: () => Promise<unknown>) => Promise<boolean>, busy: boolean] {
  const [busy, setBusy] = useState(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      return true;
    } catch (err) {
      notice(errorText(err), 'error');
      return false;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  return [run, busy];
}

function subscribeVisibility(listener: () => void): () => void {
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
}

/** Whether the page is on screen (not a background tab, not minimised). */
export function useDocumentVisible(): boolean {
  return useSyncExternalStore(subscribeVisibility, () => document.visibilityState === 'visible');
}
