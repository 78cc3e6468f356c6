// The platform user's sign-in form (the console's sign-in card, for the platform login).
import { type FormEvent, useState } from 'react';
import { BrandMark } from '../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../console/src/components/LanguageSelect.tsx';
import { SignInSubmit } from '../../../console/src/components/SignInForm.tsx';
import { problemText } from '../../../admin/src/api/problems.ts';
import { login } from '../api/platform.ts';
import { t as text, useT } from '../i18n/i18n.ts';
import { signedIn } from '../state/session.ts';
import { useStore } from '../state/store.ts';

export function SignIn() {
  const t = useT();
  const expired = useStore((s) => s.expired);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { token } = await login(String(form.get('email')).trim(), String(form.get('password')));
      signedIn(token);
    } catch (err) {
      setError(problemText(err, text('common.network')));
      setBusy(false);
    }
  }

  return (
    <div className="signin-page">
      <main className="signin-card" aria-labelledby="signin-title">
        <div className="signin-brand">
          <BrandMark brand={null} />
        </div>
        <h1 id="signin-title">{t('signin.title')}</h1>
        {expired && (
          <p className="form-error" role="alert" data-testid="signed-out-notice">
            {t('app.signedOut')}
          </p>
        )}
        <form onSubmit={submit} data-testid="signin-form">
          <label className="field">
            <span>{t('signin.email')}</span>
            <input type="email" name="email" autoComplete="username" required data-testid="signin-email" />
          </label>
          <label className="field">
            <span>{t('signin.password')}</span>
            <input type="password" name="password" autoComplete="current-password" required data-testid="signin-password" />
          </label>
          <SignInSubmit error={error} busy={busy} />
        </form>
        <div className="signin-footer">
          <LanguageSelect />
        </div>
      </main>
    </div>
  );
}
