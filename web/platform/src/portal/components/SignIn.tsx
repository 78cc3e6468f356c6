// The portal user's sign-in form, with the way to a reset link; and the forgot-password form.
import { type FormEvent, type ReactNode, useState } from 'react';
import { pageBrand } from '../../../../console/src/api/page.ts';
import { problemText } from '../../../../admin/src/api/problems.ts';
import { SignInCard, SignInForm } from '../../components/SignInCard.tsx';
import { login, requestPasswordReset } from '../api/account.ts';
import { t as text, useT } from '../i18n.ts';
import { showForgot, showSignIn, signedIn } from '../session.ts';
import { useStore } from '../store.ts';

/** The sign-in card in the host partner's brand (Parley's on the platform's own host). */
export function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <SignInCard brand={pageBrand()} title={title}>
      {children}
    </SignInCard>
  );
}

async function signIn(email: string, password: string): Promise<void> {
  const { token } = await login(email, password);
  await signedIn(token);
}

export function SignIn() {
  const t = useT();
  const notice = useStore((s) => s.notice);
  const email = useStore((s) => s.email);

  return (
    <Card title={t('signin.title')}>
      {notice === 'expired' && (
        <p className="form-error" role="alert" data-testid="signed-out-notice">
          {t('app.signedOut')}
        </p>
      )}
      {notice === 'password-set' && (
        <p className="status-line" role="status" data-testid="password-set-notice">
          {t('signin.passwordSet')}
        </p>
      )}
      <SignInForm texts={{ email: t('signin.email'), password: t('signin.password'), network: t('common.network') }} email={email} signIn={signIn} />
      <p>
        <button type="button" className="link-button" onClick={showForgot} data-testid="forgot-password">
          {t('signin.forgot')}
        </button>
      </p>
    </Card>
  );
}

export function ForgotPassword() {
  const t = useT();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email')).trim();
    setBusy(true);
    setError(null);
    try {
      await requestPasswordReset(email);
      setSentTo(email);
    } catch (err) {
      setError(problemText(err, text('common.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('forgot.title')}>
      {sentTo === null ? (
        <form onSubmit={submit} data-testid="forgot-form">
          <p>{t('forgot.intro')}</p>
          <label className="field">
            <span>{t('signin.email')}</span>
            <input type="email" name="email" autoComplete="username" required maxLength={254} data-testid="forgot-email" />
          </label>
          {error && (
            <p className="form-error" role="alert" data-testid="forgot-error">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy} data-testid="forgot-submit">
            {busy ? t('forgot.busy') : t('forgot.submit')}
          </button>
        </form>
      ) : (
        <p className="status-line" role="status" data-testid="forgot-sent">
          {t('forgot.sent', { email: sentTo })}
        </p>
      )}
      <p>
        <button type="button" className="link-button" onClick={() => showSignIn()} data-testid="back-to-signin">
          {t('forgot.back')}
        </button>
      </p>
    </Card>
  );
}
