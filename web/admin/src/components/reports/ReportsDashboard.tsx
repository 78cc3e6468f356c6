// A view's reports on a page: the summary cards, a chart per series and (a site's) the agent and
// group tables; or, before the figures are there, the loading line, a problem the pickers do not
// hold (with Try again), or the empty state of a range without chats.
import { csvUrl } from '../../api/reports.ts';
import '../../styles/reports.css';
import { useT } from '../../i18n/i18n.ts';
import { ReportTable } from './ReportTable.tsx';
import type { ReportView } from './reportView.ts';
import { SeriesChart } from './SeriesChart.tsx';
import { SummaryCards } from './SummaryCards.tsx';
import type { LoadedReports, ReportsSource } from './useReports.ts';

interface Props {
  source: ReportsSource;
  view: ReportView;
  loaded: LoadedReports;
  /** The problem fields the pickers say at their place (the rest is said here). */
  pickerFields: readonly string[];
}

export function ReportsDashboard({ source, view, loaded, pickerFields }: Props) {
  const t = useT();
  const { data, loading, problem } = loaded;
  const { interval, ...q } = view;

  if (problem && !(problem.field !== null && pickerFields.includes(problem.field))) {
    return (
      <div className="form-error" role="alert" data-testid="reports-error">
        <p>{t('reports.failed', { error: problem.text })}</p>
        <button type="button" className="button small" onClick={loaded.reload}>
          {t('common.retry')}
        </button>
      </div>
    );
  }
  if (!data) {
    return loading ? (
      <p className="page-loading" role="status">
        <span className="spinner" aria-hidden="true" /> {t('reports.loading')}
      </p>
    ) : null;
  }
  const { summary } = data;
  return (
    <div className="reports" aria-busy={loading} data-testid="reports" data-from={summary.from} data-to={summary.to} data-timezone={summary.timezone}>
      <p className="visually-hidden" role="status">
        {loading ? t('reports.loading') : ''}
      </p>
      {summary.chats.total === 0 ? (
        <p className="empty-state" data-testid="reports-empty">
          {t('reports.empty', { from: summary.from, to: summary.to, timezone: summary.timezone })}
        </p>
      ) : (
        <>
          <section className="page-section" aria-labelledby="reports-summary-title">
            <h2 id="reports-summary-title">{t('reports.summary')}</h2>
            <SummaryCards summary={summary} />
          </section>
          <section className="page-section" aria-labelledby="reports-charts-title">
            <h2 id="reports-charts-title">{t('reports.charts')}</h2>
            <div className="report-charts">
              {source.charts.map((report) => {
                const series = data.series[report];
                return series && <SeriesChart key={report} series={series} csvHref={csvUrl(source.base, report, q, interval)} />;
              })}
            </div>
          </section>
          {data.agents && <ReportTable by="agent" table={data.agents} />}
          {data.groups && <ReportTable by="group" table={data.groups} />}
        </>
      )}
    </div>
  );
}
