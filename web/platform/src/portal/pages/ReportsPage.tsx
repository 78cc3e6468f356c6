// The partner's reports: the figures of all its sites together, or of the site picked, with a few
// charts (the control panel's report pieces, web/admin/src/components/reports/). A platform admin
// acting on the partner gets the same page from the platform's mount (api/base.ts). Loaded on its
// own (with Chart.js) when the page is first opened.
import { RollupReports } from '../../../../admin/src/components/reports/RollupReports.tsx';
import { useLoad } from '../../../../admin/src/components/useLoad.ts';
import { portalPath } from '../api/base.ts';
import { listSites } from '../api/sites.ts';
import { PortalPage } from '../components/PortalPage.tsx';
import { useT } from '../i18n.ts';

const siteChoices = () => listSites({ deleted: false, q: '' }).then((sites) => sites.map((s) => ({ value: String(s.id), label: s.company })));

export function ReportsPage() {
  const t = useT();
  const sites = useLoad(siteChoices);
  return (
    <PortalPage id="reports" intro={t('reports.intro')}>
      {/* The partner's own mount, or the platform's for the partner acted on (set before this page opens). */}
      <RollupReports base={portalPath('/reports')} filter="siteId" label={t('reports.site')} choices={sites} />
    </PortalPage>
  );
}
