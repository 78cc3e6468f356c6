// Creating an IM API key: its name first, then the key itself, shown only now (the server keeps
// only its hash), with a button that copies it.
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../console/src/components/Dialog.tsx';
import { problemText } from '../../api/problems.ts';
import { createImKey } from '../../api/settings.ts';
import type { NewImKey } from '../../api/types.ts';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';

export function NewKeyDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (key: NewImKey) => void }) {
  const t = useT();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewImKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const key = await createImKey(name.trim());
      setCreated(key);
      onCreated(key);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      // No clipboard (a frame without the permission): the field is selected for a manual copy.
      document.querySelector<HTMLInputElement>('#imkey-value')?.select();
    }
  }

  if (created) {
    return (
      <Dialog key="done" title={t('imKeys.doneTitle', { name: created.name })} onClose={onClose} testId="imkey-dialog">
        <p>{t('imKeys.once')}</p>
        <div className="field">
          <label htmlFor="imkey-value">{t('imKeys.key')}</label>
          <div className="input-with-button">
            <input id="imkey-value" readOnly value={created.key} className="mono" onFocus={(e) => e.target.select()} data-testid="imkey-value" />
            <button type="button" className="button" onClick={() => void copy()} data-testid="imkey-copy">
              {t('common.copy')}
            </button>
          </div>
        </div>
        <StatusLine text={copied ? t('common.copied') : null} testId="imkey-copied" />
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={onClose} data-testid="imkey-done">
            {t('common.close')}
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog key="ask" title={t('imKeys.createTitle')} onClose={onClose} testId="imkey-dialog">
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="imkey-name">{t('imKeys.name')}</label>
          <input id="imkey-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} aria-describedby="imkey-name-hint" data-testid="imkey-name" />
          <small className="hint" id="imkey-name-hint">
            {t('imKeys.nameHint')}
          </small>
        </div>
        <ErrorLine text={error} testId="imkey-error" />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy} data-testid="imkey-create">
            {t('imKeys.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
