// A roll-up's reports (a partner's sites in the partner portal; every partner's in the platform
// admin): the pickers with the one filter that narrows it (a site, a partner), a few charts, and no
// agent or group tables (those are a site's). The page loads the filter's choices.
import { useMemo } from 'react';
import { LoadState } from '../Page.tsx';
import type { Loaded } from '../useLoad.ts';
import { type FilterDef, ReportPickers } from './ReportPickers.tsx';
import { ReportsDashboard } from './ReportsDashboard.tsx';
import { useReportView } from './reportView.ts';
import { type ReportsSource, useReports } from './useReports.ts';

const CHARTS = ['chats', 'queue', 'first-response', 'messages'] as const;
const PICKER_FIELDS = ['from', 'to', 'timezone', 'interval'];

interface Props {
  /** The roll-up's address: `/api/v1/partner/reports` (or its platform mount), `/api/v1/platform/reports`. */
  base: string;
  /** The filter that narrows the roll-up, its label and its choices besides "All". */
  filter: 'siteId' | 'partnerId';
  label: string;
  choices: Loaded<FilterDef['options']>;
}

/** The roll-up's pickers and figures, the view kept in the address (with the filter). */
export function RollupReports({ base, filter, label, choices }: Props) {
  const source: ReportsSource = useMemo(() => ({ base, charts: CHARTS, tables: false }), [base]);
  const filters = useMemo(() => [filter], [filter]);
  const [view, change] = useReportView(filters);
  const loaded = useReports(source, view);
  return (
    <>
      <ReportPickers view={view} onChange={change} filters={[{ key: filter, label, options: choices.data ?? [] }]} problem={loaded.problem} />
      {choices.error && <LoadState error={choices.error} onRetry={choices.reload} />}
      <ReportsDashboard source={source} view={view} loaded={loaded} pickerFields={[...PICKER_FIELDS, filter]} />
    </>
  );
}
