// JWT sign-on: where the partner's login page sends agents (Parley's addresses, to copy), the
// login page's own addresses entered here, the signing secret (shown once when first made and
// when replaced, after a confirmation that the old one stops at once), a test sign-in and turning
// it off.
import { type FormEvent, useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { ErrorLine, SaveActions, StatusLine } from '../../../../../admin/src/components/Status.tsx';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { replaceJwtSecret, type SsoSettings, saveJwt } from '../../api/connect.ts';
import { CopyValue } from '../../components/CopyValue.tsx';
import { Field } from '../../components/Field.tsx';
import { SecretBox } from '../../components/SecretBox.tsx';
import { useT } from '../../i18n.ts';
import { dateTime } from './format.ts';
import { useSsoSave } from './ssoForm.ts';
import { TestSignIn } from './TestSignIn.tsx';
import { TurnOff } from './TurnOff.tsx';

interface Props {
  settings: SsoSettings;
  onChanged: (s: SsoSettings) => void;
  reload: () => void;
}

export function JwtSection({ settings, onChanged, reload }: Props) {
  const t = useT();
  const { jwt, serviceProvider: sp } = settings;
  // The secret just made: only here, only until hidden or the page is left.
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section className="page-section" aria-labelledby="sso-jwt-title" data-testid="sso-jwt">
      <div className="page-header">
        <h2 id="sso-jwt-title">{t('sso.jwt.title')}</h2>
        <span className={`chip ${jwt ? 'connect-chip-ok' : 'connect-chip-off'}`} data-testid="sso-jwt-state">
          {jwt ? t('sso.on') : t('sso.off')}
        </span>
      </div>
      <p className="page-intro">{t('sso.jwt.intro')}</p>
      <div className="card connect-sp" data-testid="sso-jwt-parley">
        <h3>{t('sso.jwt.parleyTitle')}</h3>
        <p className="hint">{t('sso.jwt.parleyIntro')}</p>
        <CopyValue id="sso-jwt-endpoint" label={t('sso.jwt.endpoint')} value={sp.jwtLoginUrl} testId="sso-jwt-endpoint" />
        <CopyValue id="sso-jwt-logout-endpoint" label={t('sso.jwt.logoutEndpoint')} value={sp.jwtLogoutUrl} testId="sso-jwt-logout-endpoint" />
      </div>
      <JwtForm jwt={jwt} onSaved={onChanged} onSecret={setSecret} />
      {secret && <SecretBox key={secret} id="sso-jwt-secret" label={t('sso.jwt.secretLabel')} once={t('sso.jwt.secretOnce')} secret={secret} onDismiss={() => setSecret(null)} />}
      {jwt && (
        <>
          <SecretState rotatedAt={jwt.secretRotatedAt} onSecret={setSecret} onRotated={(at) => onChanged({ ...settings, jwt: { ...jwt, secretRotatedAt: at } })} />
          <TestSignIn type="JWT" />
          <TurnOff type="JWT" other={settings.saml !== null} onDone={reload} />
        </>
      )}
    </section>
  );
}

function JwtForm({ jwt, onSaved, onSecret }: { jwt: SsoSettings['jwt']; onSaved: (s: SsoSettings) => void; onSecret: (secret: string) => void }) {
  const t = useT();
  const [loginUrl, setLoginUrl] = useState(jwt?.loginUrl ?? '');
  const [logoutUrl, setLogoutUrl] = useState(jwt?.logoutUrl ?? '');
  const [jit, setJit] = useState(jwt?.jitProvisioning ?? false);
  const { busy, status, error, problems, save } = useSsoSave('sso-jwt-form');

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(async () => {
      const { secret, ...updated } = await saveJwt({ loginUrl: loginUrl.trim(), logoutUrl: logoutUrl.trim() || null, jitProvisioning: jit });
      onSaved(updated);
      if (secret) onSecret(secret);
      return secret ? t('sso.jwt.setUp') : t('sso.jwt.saved');
    });
  }

  return (
    <form id="sso-jwt-form" className="card form-grid" onSubmit={submit} noValidate aria-labelledby="sso-jwt-form-title" data-testid="sso-jwt-form">
      <h3 id="sso-jwt-form-title" className="span-2">
        {t('sso.jwt.pageTitle')}
      </h3>
      <Field id="sso-jwt-loginUrl" label={t('sso.jwt.loginUrl')} hint={t('sso.jwt.loginUrlHint')} problem={problems.get('loginUrl')}>
        {(attrs) => <input type="url" required maxLength={2000} placeholder="https://" value={loginUrl} onChange={(e) => setLoginUrl(e.target.value)} {...attrs} data-testid="sso-jwt-loginUrl" />}
      </Field>
      <Field id="sso-jwt-logoutUrl" label={t('sso.jwt.logoutUrl')} hint={t('sso.optional')} problem={problems.get('logoutUrl')}>
        {(attrs) => <input type="url" maxLength={2000} placeholder="https://" value={logoutUrl} onChange={(e) => setLogoutUrl(e.target.value)} {...attrs} data-testid="sso-jwt-logoutUrl" />}
      </Field>
      <label className="check-field span-2">
        <input type="checkbox" checked={jit} onChange={(e) => setJit(e.target.checked)} aria-describedby="sso-jwt-jit-hint" data-testid="sso-jwt-jit" />
        <span>
          {t('sso.jit')}
          <small className="hint block" id="sso-jwt-jit-hint">
            {t('sso.jitHint')}
          </small>
        </span>
      </label>
      <SaveActions className="span-2" prefix="sso-jwt" error={error} status={status} busy={busy} label={jwt ? t('sso.save') : t('sso.jwt.turnOn')} />
    </form>
  );
}

/** When the secret was made, and replacing it (asked first: the old one stops at once). */
function SecretState({ rotatedAt, onSecret, onRotated }: { rotatedAt: string | null; onSecret: (s: string) => void; onRotated: (at: string) => void }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function replace() {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const made = await replaceJwtSecret();
      setAsking(false);
      onRotated(made.secretRotatedAt);
      onSecret(made.secret);
      setStatus(t('sso.jwt.replaced'));
    } catch (err) {
      setAsking(false);
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card connect-secret-state" data-testid="sso-jwt-secret-state">
      <h3>{t('sso.jwt.secretTitle')}</h3>
      <p data-testid="sso-jwt-secret-made">{rotatedAt ? t('sso.jwt.secretMade', { date: dateTime(rotatedAt) }) : t('sso.jwt.secretKept')}</p>
      <p className="hint">{t('sso.jwt.secretHint')}</p>
      <ErrorLine text={error} testId="sso-jwt-replace-error" />
      <StatusLine text={status} testId="sso-jwt-replace-status" />
      <div className="row-actions">
        <button type="button" className="button danger-outline" onClick={() => setAsking(true)} data-testid="sso-jwt-replace">
          {t('sso.jwt.replace')}
        </button>
      </div>
      {asking && (
        <ConfirmDialog
          title={t('sso.jwt.replaceTitle')}
          text={t('sso.jwt.replaceText')}
          confirm={t('sso.jwt.replaceConfirm')}
          danger
          busy={busy}
          testId="sso-jwt-replace-dialog"
          onConfirm={() => void replace()}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}
