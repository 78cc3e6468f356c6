// The sign-in form, for the console and the control panel. An e-mail that works on several sites
// gets a 409 with their ids: the agent picks one and the same form sends again with it.
import { type FormEvent, type ReactNode, useState } from 'react';
import { signIn } from '../api/auth.ts';
import { ApiError, errorText } from '../api/http.ts';
import type { Brand, Session } from '../api/types.ts';
import { pageSiteNumber } from '../api/page.ts';
import { useT } from '../i18n/i18n.ts';
import { BrandMark } from './BrandMark.tsx';
import { LanguageSelect } from './LanguageSelect.tsx';

interface Props {
  brand: Brand | null;
  /** Starts the app with the new session; a failure shows in the form. */
  onSignedIn: (session: Session) => Promise<void>;
  /** Shown after the card (the console's notices). */
  children?: ReactNode;
}

export function SignInForm({ brand, onSignedIn, children }: Props) {
  const t = useT();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [siteIds, setSiteIds] = useState<number[] | null>(null);
  // A page for one site signs in to that site only (api/page.ts).
  const [siteId, setSiteId] = useState<number | null>(pageSiteNumber);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await signIn(email.trim(), password, siteId ?? undefined);
      if (result.kind === 'pickSite') {
        setSiteIds(result.siteIds);
        setSiteId(result.siteIds[0] ?? null);
        setBusy(false);
        return;
      }
      await onSignedIn(result.session);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 0 ? t('error.network') : errorText(err));
      setBusy(false);
    }
  }

  return (
    <div className="signin-page">
      <main className="signin-card" aria-labelledby="signin-title">
        <div className="signin-brand">
          <BrandMark brand={brand} />
        </div>
        <h1 id="signin-title">{t('signin.title')}</h1>
        <form onSubmit={submit} data-testid="signin-form" noValidate={false}>
          <label className="field">
            <span>{t('signin.email')}</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => {
                setEmail(e.target.value);
                setSiteIds(null);
                setSiteId(pageSiteNumber);
              }}
              data-testid="signin-email"
            />
          </label>
          <label className="field">
            <span>{t('signin.password')}</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="signin-password"
            />
          </label>
          {siteIds && (
            <label className="field">
              <span>{t('signin.site')}</span>
              <select value={siteId ?? ''} onChange={(e) => setSiteId(Number(e.target.value))} data-testid="signin-site">
                {siteIds.map((id) => (
                  <option key={id} value={id}>
                    {t('signin.siteOption', { id })}
                  </option>
                ))}
              </select>
              <small className="hint">{t('signin.siteHint')}</small>
            </label>
          )}
          <SignInSubmit error={error} busy={busy} />
        </form>
        <div className="signin-footer">
          <LanguageSelect />
        </div>
      </main>
      {children}
    </div>
  );
}

/** A sign-in form's end: why the last try failed, and the button (the platform's sign-in too). */
export function SignInSubmit({ error, busy }: { error: string | null; busy: boolean }) {
  const t = useT();
  return (
    <>
      {error && (
        <p className="form-error" role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      <button type="submit" className="button primary block" disabled={busy} data-testid="signin-submit">
        {busy ? t('signin.busy') : t('signin.submit')}
      </button>
    </>
  );
}
