// Reports: every partner's chats together, or the partner picked, with a few charts (the roll-up
// the partner portal's Reports page shows too, web/admin/src/components/reports/) from
// /api/v1/platform/reports. Loaded on its own (with Chart.js) when first opened.
import { RollupReports } from '../../../admin/src/components/reports/RollupReports.tsx';
import { useLoad } from '../../../admin/src/components/useLoad.ts';
import { listPartners } from '../api/platform.ts';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';

const partnerChoices = () => listPartners().then((partners) => partners.map((p) => ({ value: String(p.id), label: p.name })));

export function ReportsPage() {
  const t = useT();
  const partners = useLoad(partnerChoices);
  return (
    <PageFrame id="reports" intro={t('reports.intro')}>
      <RollupReports base="/api/v1/platform/reports" filter="partnerId" label={t('reports.partner')} choices={partners} />
    </PageFrame>
  );
}
