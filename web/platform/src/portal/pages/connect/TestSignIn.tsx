// "Test sign-in": Parley makes a one-use address (two minutes) that runs the sign-in through the
// partner's identity provider in a new window and shows there what Parley would make of it; nobody
// is signed in (docs/sso.md, "Test sign-in"). The window opens without a link back to the portal.
import { type ReactNode, useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { ErrorLine, StatusLine } from '../../../../../admin/src/components/Status.tsx';
import { type SsoType, startTestSignIn } from '../../api/connect.ts';
import { useT } from '../../i18n.ts';

interface Props {
  type: SsoType;
  /** SAML: the site whose agents the person is looked up in (undefined: none chosen, the button waits). */
  siteId?: number | undefined;
  /** What the test needs chosen first (SAML's site). */
  children?: ReactNode;
}

export function TestSignIn({ type, siteId, children }: Props) {
  const t = useT();
  const lc = type.toLowerCase();
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    setOpened(null);
    try {
      const { url } = await startTestSignIn(type, type === 'SAML' ? siteId : undefined);
      window.open(url, '_blank', 'noopener,noreferrer');
      setOpened(url);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card connect-test" data-testid={`sso-${lc}-test-box`}>
      <h3>{t('sso.test.title')}</h3>
      <p className="hint">{t(type === 'SAML' ? 'sso.test.introSaml' : 'sso.test.introJwt')}</p>
      {children}
      <div className="row-actions">
        <button type="button" className="button" onClick={() => void run()} disabled={busy || (type === 'SAML' && siteId === undefined)} data-testid={`sso-${lc}-test`}>
          {t('sso.test.run')}
        </button>
      </div>
      <ErrorLine text={error} testId={`sso-${lc}-test-error`} />
      <StatusLine text={opened ? t('sso.test.opened') : null} testId={`sso-${lc}-test-status`} />
      {opened && (
        <p className="hint">
          <a href={opened} target="_blank" rel="noopener noreferrer" data-testid={`sso-${lc}-test-link`}>
            {t('sso.test.openHere')}
          </a>
        </p>
      )}
    </div>
  );
}
