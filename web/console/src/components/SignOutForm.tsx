// Sign out: an ordinary form POST to /sso/logout with the CSRF token as a field, so the server can
// go on to the partner's identity provider when the session came from single sign-on.
import { useT } from '../i18n/i18n.ts';

export function SignOutForm({ csrfToken }: { csrfToken: string | null }) {
  const t = useT();
  return (
    <form method="post" action="/sso/logout" className="signout-form">
      <input type="hidden" name="_csrf" value={csrfToken ?? ''} />
      <button type="submit" className="button ghost" data-testid="signout-button">
        {t('header.signOut')}
      </button>
    </form>
  );
}
