// The sign-in card of the platform admin and the partner portal (the console's sign-in page look):
// the brand, a heading, the card's forms and the language; and the e-mail and password form both
// sign in with, each app bringing its texts and its login.
import { type FormEvent, type ReactNode, useState } from 'react';
import { problemText } from '../../../admin/src/api/problems.ts';
import type { Brand } from '../../../console/src/api/types.ts';
import { BrandMark } from '../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../console/src/components/LanguageSelect.tsx';
import { SignInSubmit } from '../../../console/src/components/SignInForm.tsx';

/** The card, in `brand` (null: Parley's own). */
export function SignInCard({ brand, title, children }: { brand: Brand | null; title: string; children: ReactNode }) {
  return (
    <div className="signin-page">
      <main className="signin-card" aria-labelledby="signin-title">
        <div className="signin-brand">
          <BrandMark brand={brand} />
        </div>
        <h1 id="signin-title">{title}</h1>
        {children}
        <div className="signin-footer">
          <LanguageSelect />
        </div>
      </main>
    </div>
  );
}

interface FormProps {
  texts: { email: string; password: string; network: string };
  /** The e-mail to fill in (after a password was set). */
  email?: string;
  /** Logs in and opens the app; a refusal is shown in the server's words. */
  signIn: (email: string, password: string) => Promise<void>;
}

/** The e-mail and password form (`signin-form`, `signin-email`, `signin-password`, `signin-submit`, `signin-error`). */
export function SignInForm({ texts, email, signIn }: FormProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('email')).trim(), String(form.get('password')));
    } catch (err) {
      setError(problemText(err, texts.network));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} data-testid="signin-form">
      <label className="field">
        <span>{texts.email}</span>
        <input type="email" name="email" autoComplete="username" required defaultValue={email} data-testid="signin-email" />
      </label>
      <label className="field">
        <span>{texts.password}</span>
        <input type="password" name="password" autoComplete="current-password" required data-testid="signin-password" />
      </label>
      <SignInSubmit error={error} busy={busy} />
    </form>
  );
}
