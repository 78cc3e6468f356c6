// How a signed-in customer's Ssotoken is verified: not at all (anonymous customers only), as an
// HS256 JWT with the site's secret, or by the site's verification URL. The secret is shown once,
// when a save makes it or a replacement does, in a box to copy it from; the server never shows it again.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { fetchTokenSettings, rotateTokenSecret, saveTokenSettings } from '../../../api/settings.ts';
import type { TokenMode, WebviewTokenChange, WebviewTokenSettings } from '../../../api/types.ts';
import { describedBy, FieldProblem } from '../../../components/FieldProblem.tsx';
import { LoadedSection } from '../../../components/Page.tsx';
import { SaveActions, StatusLine } from '../../../components/Status.tsx';
import { useSave } from '../../../components/useSave.ts';
import { useLoad } from '../../../components/useLoad.ts';
import { useT } from '../../../i18n/i18n.ts';
import { useStore } from '../../../state/store.ts';

const MODES: TokenMode[] = ['none', 'jwt', 'url'];

export function TokenSection() {
  const t = useT();
  const settings = useLoad(fetchTokenSettings);
  return (
    <LoadedSection id="token" title={t('token.title')} intro={t('token.intro')} loaded={settings}>
      {(data) => <TokenForm saved={data} onSaved={settings.setData} />}
    </LoadedSection>
  );
}

function TokenForm({ saved, onSaved }: { saved: WebviewTokenSettings; onSaved: (s: WebviewTokenSettings) => void }) {
  const t = useT();
  // Whoever sets the check can sign in as any of the bank's customers: the server lets site admins only.
  const admin = useStore((s) => s.access?.role === 'admin');
  const [mode, setMode] = useState<TokenMode>(saved.mode);
  const [url, setUrl] = useState(saved.verifyUrl ?? '');
  const [timeout, setTimeoutMs] = useState(String(saved.verifyTimeoutMs));
  const [secret, setSecret] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const { busy, status, error, problems, save } = useSave();

  /** Saves; a secret in the answer is shown once, in its box. */
  async function run(action: () => Promise<{ secret?: string }>, done: (made: boolean) => string) {
    await save(async () => {
      const answer = await action();
      if (answer.secret) setSecret(answer.secret);
      return done(Boolean(answer.secret));
    });
    setAsking(false);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    // The URL and timeout are sent only with the URL mode; otherwise they stay as they are.
    const change: WebviewTokenChange = mode === 'url' ? { mode, verifyUrl: url.trim() || null, verifyTimeoutMs: Number(timeout) } : { mode };
    void run(
      async () => {
        const { secret: made, ...view } = await saveTokenSettings(change);
        onSaved(view);
        return { secret: made };
      },
      (made) => (made ? t('token.made') : t('token.saved')),
    );
  }

  function rotate() {
    void run(
      async () => {
        const answer = await rotateTokenSecret();
        onSaved({ ...saved, hasSecret: true });
        return answer;
      },
      () => t('token.rotated'),
    );
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="token-title" data-testid="token-form">
      {!admin && (
        <p className="hint" data-testid="token-admins-only">
          {t('token.adminsOnly')}
        </p>
      )}
      <fieldset className="field" data-testid="token-mode" disabled={!admin}>
        <legend>{t('token.mode')}</legend>
        {MODES.map((m) => (
          <label key={m} className="check-field">
            <input type="radio" name="token-mode" value={m} checked={mode === m} onChange={() => setMode(m)} aria-describedby={`token-mode-${m}-hint`} data-testid={`token-mode-${m}`} />
            <span>
              <strong>{t(`token.mode.${m}`)}</strong>
              <small className="hint block" id={`token-mode-${m}-hint`}>
                {t(`token.mode.${m}.hint`)}
              </small>
            </span>
          </label>
        ))}
        <FieldProblem id="token-mode" text={problems.get('mode')} />
      </fieldset>
      {mode === 'url' && (
        <div className="form-grid">
          <div className="field">
            <label htmlFor="token-verifyUrl">{t('token.verifyUrl')}</label>
            <input type="url" required maxLength={500} placeholder="https://" value={url} onChange={(e) => setUrl(e.target.value)} {...describedBy('token-verifyUrl', problems.get('verifyUrl'), 'token-verifyUrl-hint')} data-testid="token-verifyUrl" />
            <small className="hint" id="token-verifyUrl-hint">
              {t('token.verifyUrlHint')}
            </small>
            <FieldProblem id="token-verifyUrl" text={problems.get('verifyUrl')} />
          </div>
          <div className="field">
            <label htmlFor="token-verifyTimeoutMs">{t('token.verifyTimeoutMs')}</label>
            <input
              type="number"
              min={500}
              max={10000}
              step={100}
              value={timeout}
              onChange={(e) => setTimeoutMs(e.target.value)}
              {...describedBy('token-verifyTimeoutMs', problems.get('verifyTimeoutMs'), 'token-verifyTimeoutMs-hint')}
              data-testid="token-verifyTimeoutMs"
            />
            <small className="hint" id="token-verifyTimeoutMs-hint">
              {t('token.verifyTimeoutMsHint')}
            </small>
            <FieldProblem id="token-verifyTimeoutMs" text={problems.get('verifyTimeoutMs')} />
          </div>
        </div>
      )}
      <div className="field">
        <strong className="block">{t('token.secret')}</strong>
        <p className="hint" data-testid="token-has-secret" data-has-secret={saved.hasSecret}>
          {saved.hasSecret ? t('token.hasSecret') : t('token.noSecret')}
        </p>
        {saved.hasSecret && (
          <div>
            <button type="button" className="button danger-outline" onClick={() => setAsking(true)} disabled={!admin} data-testid="token-rotate">
              {t('token.rotate')}
            </button>
          </div>
        )}
      </div>
      {secret && <SecretBox key={secret} secret={secret} />}
      <SaveActions prefix="token" error={error} status={status} busy={busy} disabled={!admin} />
      {asking && (
        <ConfirmDialog
          title={t('token.rotateTitle')}
          text={t('token.rotateText')}
          confirm={t('token.rotate')}
          danger
          busy={busy}
          testId="token-rotate-dialog"
          onConfirm={rotate}
          onClose={() => setAsking(false)}
        />
      )}
    </form>
  );
}

/** The secret just made, with the warning that it is not shown again; focused, so it is read out and ready to copy. */
function SecretBox({ secret }: { secret: string }) {
  const t = useT();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  // A new secret is a new box (keyed by it): focused once, not yet copied.
  useEffect(() => field.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // No clipboard (a frame without the permission): the field is selected for a manual copy.
      field.current?.select();
    }
  }

  return (
    <div className="field" data-testid="token-secret-box">
      <p className="notice-box" id="token-secret-once">
        {t('token.once')}
      </p>
      <label htmlFor="token-secret-value">{t('token.newSecret')}</label>
      <div className="input-with-button">
        <input ref={field} id="token-secret-value" readOnly className="mono" value={secret} onFocus={(e) => e.target.select()} aria-describedby="token-secret-once" data-testid="token-secret-value" />
        <button type="button" className="button" onClick={() => void copy()} data-testid="token-secret-copy">
          {t('common.copy')}
        </button>
      </div>
      <StatusLine text={copied ? t('common.copied') : null} testId="token-secret-copied" />
    </div>
  );
}
