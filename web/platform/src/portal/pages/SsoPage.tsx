// Single sign-on: where agents who are not signed in are sent, SAML 2.0 and JWT sign-on, each with
// a test sign-in that checks the identity provider's set-up and signs nobody in (docs/sso.md).
import { LoadState } from '../../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../../admin/src/components/useLoad.ts';
import { getSso } from '../api/connect.ts';
import { PortalPage } from '../components/PortalPage.tsx';
import { useT } from '../i18n.ts';
import { JwtSection } from './connect/JwtSection.tsx';
import { PrimarySection } from './connect/PrimarySection.tsx';
import { SamlSection } from './connect/SamlSection.tsx';
import '../styles/connect.css';

export function SsoPage() {
  const t = useT();
  const sso = useLoad(getSso);
  return (
    <PortalPage id="sso" intro={t('sso.intro')}>
      {sso.data ? (
        <>
          <PrimarySection settings={sso.data} onChanged={sso.setData} />
          <SamlSection settings={sso.data} onChanged={sso.setData} reload={sso.reload} />
          <JwtSection settings={sso.data} onChanged={sso.setData} reload={sso.reload} />
        </>
      ) : (
        <LoadState error={sso.error} onRetry={sso.reload} />
      )}
    </PortalPage>
  );
}
