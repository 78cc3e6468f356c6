// The platform user's sign-in form (the shared sign-in card, for the platform login).
import { login } from '../api/platform.ts';
import { useT } from '../i18n/i18n.ts';
import { signedIn } from '../state/session.ts';
import { useStore } from '../state/store.ts';
import { SignInCard, SignInForm } from './SignInCard.tsx';

async function signIn(email: string, password: string): Promise<void> {
  const { token } = await login(email, password);
  signedIn(token);
}

export function SignIn() {
  const t = useT();
  const expired = useStore((s) => s.expired);

  return (
    <SignInCard brand={null} title={t('signin.title')}>
      {expired && (
        <p className="form-error" role="alert" data-testid="signed-out-notice">
          {t('app.signedOut')}
        </p>
      )}
      <SignInForm texts={{ email: t('signin.email'), password: t('signin.password'), network: t('common.network') }} signIn={signIn} />
    </SignInCard>
  );
}
