// Resetting an agent's password: asks first, then shows the generated password once (the server
// keeps only its hash), with a button that copies it.
import { useRef, useState } from 'react';
import { Dialog } from '../../../../console/src/components/Dialog.tsx';
import { resetPassword } from '../../api/panel.ts';
import { problemText } from '../../api/problems.ts';
import type { Agent } from '../../api/types.ts';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';

export function PasswordDialog({ agent, onClose }: { agent: Agent; onClose: () => void }) {
  const t = useT();
  const [password, setPassword] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  // The safe choice has the focus: Enter right away resets nothing.
  const cancel = useRef<HTMLButtonElement>(null);

  async function reset() {
    setBusy(true);
    setError(null);
    try {
      setPassword((await resetPassword(agent.id)).password);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!password) return;
    try {
      await navigator.clipboard.writeText(password);
      setCopied(true);
    } catch {
      // No clipboard (a frame without the permission): the field is selected for a manual copy.
      document.querySelector<HTMLInputElement>('[data-testid="password-value"]')?.select();
    }
  }

  if (password !== null) {
    return (
      <Dialog key="done" title={t('password.doneTitle', { name: agent.name })} onClose={onClose} testId="password-dialog">
        <p>{t('password.once', { name: agent.name })}</p>
        <div className="field">
          <label htmlFor="password-value">{t('password.label')}</label>
          <div className="input-with-button">
            <input id="password-value" readOnly value={password} className="mono" onFocus={(e) => e.target.select()} data-testid="password-value" />
            <button type="button" className="button" onClick={() => void copy()} data-testid="password-copy">
              {t('password.copy')}
            </button>
          </div>
        </div>
        <StatusLine text={copied ? t('password.copied') : null} testId="password-copied" />
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={onClose} data-testid="password-done">
            {t('common.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog key="ask" title={t('password.title', { name: agent.name })} onClose={onClose} testId="password-dialog" initialFocus={cancel}>
      <p>{t('password.text', { name: agent.name })}</p>
      <ErrorLine text={error} testId="password-error" />
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button primary" disabled={busy} onClick={() => void reset()} data-testid="password-confirm">
          {t('password.confirm')}
        </button>
      </div>
    </Dialog>
  );
}
