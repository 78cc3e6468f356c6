// Loading a view's reports: the summary, the series the page charts and (on a site's page) the
// agent and group tables, together, again whenever the view changes (an older answer still on its
// way is dropped). A refusal keeps the problem's `field` so the page can say it at its picker.
import { useEffect, useState } from 'react';
import { ApiError } from '../../../../console/src/api/http.ts';
import { problemText } from '../../api/problems.ts';
import { fetchSeries, fetchSummary, fetchTable, type ReportName, type Series, type Summary, type Table } from '../../api/reports.ts';
import { t } from '../../i18n/i18n.ts';
import type { ReportView } from './reportView.ts';

export interface ReportData {
  summary: Summary;
  series: Partial<Record<ReportName, Series>>;
  agents: Table | null;
  groups: Table | null;
}

export interface ReportProblem {
  text: string;
  /** The query parameter the server refused (timezone, from, to, interval…), or null. */
  field: string | null;
}

export interface LoadedReports {
  /** The last view's figures (kept on screen while the next view loads; none after a refusal). */
  data: ReportData | null;
  loading: boolean;
  problem: ReportProblem | null;
  reload: () => void;
}

export interface ReportsSource {
  /** `/api/v1/reports`, or a roll-up: a partner's (`/api/v1/partner/reports`), every partner's (`/api/v1/platform/reports`). */
  base: string;
  /** The series the page charts. */
  charts: readonly ReportName[];
  /** Whether to load the agent and group tables (a site's reports only). */
  tables: boolean;
}

async function load(source: ReportsSource, view: ReportView, signal: AbortSignal): Promise<ReportData> {
  const { interval, ...q } = view;
  const [summary, agents, groups, ...series] = await Promise.all([
    fetchSummary(source.base, q, signal),
    source.tables ? fetchTable(source.base, 'agent', q, signal) : null,
    source.tables ? fetchTable(source.base, 'group', q, signal) : null,
    ...source.charts.map((report) => fetchSeries(source.base, report, q, interval, signal)),
  ]);
  return { summary, agents, groups, series: Object.fromEntries(series.map((s) => [s.report, s])) };
}

/** The reports of `view`, loaded again when it changes; `source` must be stable (a module constant or memoised). */
export function useReports(source: ReportsSource, view: ReportView): LoadedReports {
  const [data, setData] = useState<ReportData | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<ReportProblem | null>(null);
  const [round, setRound] = useState(0);

  useEffect(() => {
    void round;
    const abort = new AbortController();
    setLoading(true);
    load(source, view, abort.signal).then(
      (loaded) => {
        if (abort.signal.aborted) return;
        setData(loaded);
        setProblem(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (abort.signal.aborted) return;
        const field = err instanceof ApiError && typeof err.body.field === 'string' ? err.body.field : null;
        // The figures on screen would no longer match the pickers.
        setData(null);
        setProblem({ text: problemText(err, t('common.network')), field });
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [source, view, round]);

  return { data, loading, problem, reload: () => setRound((n) => n + 1) };
}
