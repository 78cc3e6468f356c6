// Domains and embedding: the partner's Parley address, its own domains (with the DNS records that
// prove and route them), and the origins of its product that may frame Parley's pages.
import { CopyValue } from '../components/CopyValue.tsx';
import { PortalPage } from '../components/PortalPage.tsx';
import { useT } from '../i18n.ts';
import { useStore } from '../store.ts';
import { DomainsSection } from './connect/DomainsSection.tsx';
import { EmbedOriginsSection } from './connect/EmbedOriginsSection.tsx';
import '../styles/connect.css';

export function DomainsPage() {
  const t = useT();
  const host = useStore((s) => s.partner!.host);
  return (
    <PortalPage id="domains" intro={t('domains.pageIntro')}>
      <section className="page-section" aria-labelledby="host-title" data-testid="host-section">
        <div className="page-header">
          <h2 id="host-title">{t('domains.hostTitle')}</h2>
        </div>
        <p className="page-intro">{t('domains.hostIntro')}</p>
        <div className="card connect-host">
          <CopyValue id="partner-host" label={t('domains.hostLabel')} value={`https://${host}`} testId="partner-host" />
        </div>
      </section>
      <DomainsSection />
      <EmbedOriginsSection />
    </PortalPage>
  );
}
