// The callback URL (empty: no notifications are written) and the signing secret: shown on request,
// copied, or replaced at once (every attempt from then on is signed with the new one).
import { type FormEvent, useState } from 'react';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { errorsByField, problemText } from '../../../api/problems.ts';
import { rotateSecret, setCallbackUrl } from '../../../api/settings.ts';
import type { WebhookSettings } from '../../../api/types.ts';
import { describedBy, FieldProblem } from '../../../components/FieldProblem.tsx';
import { SaveActions } from '../../../components/Status.tsx';
import { useT } from '../../../i18n/i18n.ts';

export function WebhookForm({ saved, onSaved }: { saved: WebhookSettings; onSaved: (s: WebhookSettings) => void }) {
  const t = useT();
  const [url, setUrl] = useState(saved.callbackUrl ?? '');
  const [shown, setShown] = useState(false);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [urlProblem, setUrlProblem] = useState<string | undefined>(undefined);

  async function run(action: () => Promise<WebhookSettings>, done: string) {
    setBusy(true);
    setError(null);
    setStatus(null);
    setUrlProblem(undefined);
    try {
      onSaved(await action());
      setStatus(done);
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setUrlProblem(errorsByField(err).get('callbackUrl'));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = url.trim() || null;
    setUrl(next ?? '');
    void run(() => setCallbackUrl(next), next ? t('webhook.saved') : t('webhook.cleared'));
  }

  async function copy() {
    try {
      await navigator.clipboard.writeText(saved.signingSecret);
      setStatus(t('common.copied'));
    } catch {
      setShown(true);
      requestAnimationFrame(() => document.querySelector<HTMLInputElement>('#webhook-secret')?.select());
    }
  }

  return (
    <form className="card" onSubmit={submit} data-testid="webhook-form">
      <div className="field">
        <label htmlFor="webhook-url">{t('webhook.url')}</label>
        <input type="url" maxLength={2000} placeholder="https://" value={url} onChange={(e) => setUrl(e.target.value)} {...describedBy('webhook-url', urlProblem, 'webhook-url-hint')} data-testid="webhook-url" />
        <small className="hint" id="webhook-url-hint">
          {t('webhook.urlHint')}
        </small>
        <FieldProblem id="webhook-url" text={urlProblem} />
      </div>
      <div className="field">
        <label htmlFor="webhook-secret">{t('webhook.secret')}</label>
        <div className="input-with-button">
          <input id="webhook-secret" className="mono" readOnly type={shown ? 'text' : 'password'} value={saved.signingSecret} aria-describedby="webhook-secret-hint" data-testid="webhook-secret" />
          <button type="button" className="button" aria-pressed={shown} onClick={() => setShown((s) => !s)} data-testid="webhook-secret-show">
            {t('webhook.show')}
          </button>
          <button type="button" className="button" onClick={() => void copy()} data-testid="webhook-secret-copy">
            {t('common.copy')}
          </button>
          <button type="button" className="button danger-outline" onClick={() => setAsking(true)} data-testid="webhook-rotate">
            {t('webhook.rotate')}
          </button>
        </div>
        <small className="hint" id="webhook-secret-hint">
          {t('webhook.secretHint', { version: saved.signingSecretVersion })}
        </small>
      </div>
      <SaveActions prefix="webhook" error={error} status={status} busy={busy} />
      {asking && (
        <ConfirmDialog
          title={t('webhook.rotateTitle')}
          text={t('webhook.rotateText')}
          confirm={t('webhook.rotate')}
          danger
          busy={busy}
          testId="webhook-rotate-dialog"
          onConfirm={() => void run(rotateSecret, t('webhook.rotated'))}
          onClose={() => setAsking(false)}
        />
      )}
    </form>
  );
}
