// The site's reports (docs/control-panel.md#the-screens-admin): the pickers, the summary, a chart per
// series with its CSV, and the agent and group tables, for site admins and agents with viewReports.
// Loaded on its own (with Chart.js) when the page is first opened.
import { CHANNELS, REPORTS } from '../../api/reports.ts';
import { Page } from '../../components/Page.tsx';
import { type FilterDef, ReportPickers } from '../../components/reports/ReportPickers.tsx';
import { ReportsDashboard } from '../../components/reports/ReportsDashboard.tsx';
import { type FilterKey, useReportView } from '../../components/reports/reportView.ts';
import { type ReportsSource, useReports } from '../../components/reports/useReports.ts';
import { useT } from '../../i18n/i18n.ts';

const SOURCE: ReportsSource = { base: '/api/v1/reports', charts: REPORTS, tables: true };
const FILTERS: readonly FilterKey[] = ['agentId', 'groupId', 'channel'];
const PICKER_FIELDS = ['from', 'to', 'timezone', 'interval', ...FILTERS];

export function ReportsPage() {
  const t = useT();
  const [view, change] = useReportView(FILTERS);
  const loaded = useReports(SOURCE, view);
  // The tables name every agent and group of the site: they are the filters' choices too.
  const named = (rows: { id: number; name: string | null }[] | undefined) => (rows ?? []).map((r) => ({ value: String(r.id), label: r.name ?? t('reports.gone', { id: r.id }) }));
  const filters: FilterDef[] = [
    { key: 'agentId', label: t('reports.agent'), options: named(loaded.data?.agents?.rows) },
    { key: 'groupId', label: t('reports.group'), options: named(loaded.data?.groups?.rows) },
    { key: 'channel', label: t('reports.channel'), options: CHANNELS.map((c) => ({ value: c, label: t(`reports.channel.${c}`) })) },
  ];
  return (
    <Page id="reports" intro={t('reports.intro')}>
      <ReportPickers view={view} onChange={change} filters={filters} problem={loaded.problem} />
      <ReportsDashboard source={SOURCE} view={view} loaded={loaded} pickerFields={PICKER_FIELDS} />
    </Page>
  );
}
