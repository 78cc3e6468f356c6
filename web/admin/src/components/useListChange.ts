// A list page's changes (delete, revoke, block…): one at a time, the outcome said on the page (what
// happened, or why not in the server's words), and afterwards, either way, `after` (close the
// confirmation, load the list again). A change made in a dialog ends the same way (`saved`).
import { useState } from 'react';
import { problemText } from '../api/problems.ts';
import { t } from '../i18n/i18n.ts';

export function useListChange(after: () => void) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Runs `action`; says `done` when it worked. */
  async function change(action: () => Promise<unknown>, done: string): Promise<void> {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await action();
      setStatus(done);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      after();
      setBusy(false);
    }
  }

  /** A dialog saved a change and says so in `text`: the page says it too, then `after`. */
  function saved(text: string): void {
    setError(null);
    setStatus(text);
    after();
  }

  return { status, setStatus, error, setError, busy, change, saved };
}
