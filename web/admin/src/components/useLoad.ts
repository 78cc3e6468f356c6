// Loading a page's data: the answer, or the error in the server's words, and a way to load again.
import { useCallback, useEffect, useState } from 'react';
import { problemText } from '../api/problems.ts';
import { t } from '../i18n/i18n.ts';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** Loads again (after a change, or from "Try again"). */
  reload: () => void;
  /** Puts a fresher copy in place (the answer of a change). */
  setData: (data: T) => void;
}

/** Runs `load` on mount and on reload; `load` must be stable (a module function). */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    // A new round keeps the data on screen; only an error replaces it.
    void round;
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
      },
      (err: unknown) => current && setError(problemText(err, t('common.network'))),
    );
    return () => {
      current = false;
    };
  }, [load, round]);

  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, reload, setData };
}
