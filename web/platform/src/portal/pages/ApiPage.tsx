// API access: the partner's API key, its OAuth clients and the IP allow-list of the Partner API
// (docs/partner-api.md). Secrets are shown once, when made, and kept only while they are shown.
import { PortalPage } from '../components/PortalPage.tsx';
import { useT } from '../i18n.ts';
import { ApiKeySection } from './access/ApiKeySection.tsx';
import { IpAllowListSection } from './access/IpAllowListSection.tsx';
import { OauthClientsSection } from './access/OauthClientsSection.tsx';
import '../styles/access.css';

export function ApiPage() {
  const t = useT();
  return (
    <PortalPage id="api" intro={t('api.intro')}>
      <ApiKeySection />
      <OauthClientsSection />
      <IpAllowListSection />
    </PortalPage>
  );
}
