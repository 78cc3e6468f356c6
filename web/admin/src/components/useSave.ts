// A settings form's save: busy while it runs, the outcome said in the status line, or the server's
// words in the error line with each problem at its field (`errors[].path`).
import { useState } from 'react';
import { errorsByField, problemText } from '../api/problems.ts';
import { useT } from '../i18n/i18n.ts';

export function useSave() {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());

  /** Forgets the last outcome (before a check of the form's own, or a new save). */
  function clear(): void {
    setError(null);
    setStatus(null);
    setProblems(new Map());
  }

  /** Runs `work`, whose answer is the text of the status line; a failure says why, field by field. */
  async function save(work: () => Promise<string>): Promise<void> {
    clear();
    setBusy(true);
    try {
      setStatus(await work());
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setProblems(errorsByField(err));
    } finally {
      setBusy(false);
    }
  }

  return { busy, status, error, problems, save, clear, setStatus, setProblems };
}
