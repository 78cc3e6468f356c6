// The set-password link's page (/partner/set-password#token=…): the token is read from the
// fragment, which the browser never sends to a server, and taken out of the address at once.
import { type FormEvent, useState } from 'react';
import { problemText } from '../../../../admin/src/api/problems.ts';
import { setPassword } from '../api/account.ts';
import { t as text, useT } from '../i18n.ts';
import { isSetPasswordPage } from '../pages.ts';
import { showSignIn } from '../session.ts';
import { Card } from './SignIn.tsx';

const linkToken = (() => {
  if (!isSetPasswordPage(location.pathname)) return null;
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return token;
})();

export function SetPassword() {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get('password'));
    if (password.length < 8) return setError(text('setpw.tooShort'));
    if (password !== String(form.get('confirm'))) return setError(text('setpw.mismatch'));
    setBusy(true);
    setError(null);
    try {
      const { email } = await setPassword(linkToken ?? '', password);
      showSignIn('password-set', email);
    } catch (err) {
      setError(problemText(err, text('common.network')));
      setBusy(false);
    }
  }

  return (
    <Card title={t('setpw.title')}>
      {linkToken === null ? (
        <p className="form-error" role="alert" data-testid="setpw-no-token">
          {t('setpw.noToken')}
        </p>
      ) : (
        <form onSubmit={submit} data-testid="setpw-form" noValidate>
          <p>{t('setpw.intro')}</p>
          <label className="field">
            <span>{t('setpw.password')}</span>
            <input type="password" name="password" autoComplete="new-password" required minLength={8} maxLength={200} data-testid="setpw-password" />
          </label>
          <label className="field">
            <span>{t('setpw.confirm')}</span>
            <input type="password" name="confirm" autoComplete="new-password" required maxLength={200} data-testid="setpw-confirm" />
          </label>
          {error && (
            <p className="form-error" role="alert" data-testid="setpw-error">
              {error}
            </p>
          )}
          <button type="submit" className="button primary block" disabled={busy} data-testid="setpw-submit">
            {busy ? t('setpw.busy') : t('setpw.submit')}
          </button>
        </form>
      )}
    </Card>
  );
}
