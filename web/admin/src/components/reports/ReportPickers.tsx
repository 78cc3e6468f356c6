// The report pages' pickers: the days (from, to), the time zone (IANA, the browser's by default),
// the charts' step and the filters the page offers. Every change applies at once (and goes into the
// address). A refused value's problem is said at its picker, which is marked invalid.
import { useMemo } from 'react';
import { INTERVALS } from '../../api/reports.ts';
import { useT } from '../../i18n/i18n.ts';
import { describedBy, FieldProblem } from '../FieldProblem.tsx';
import type { FilterKey, ReportView } from './reportView.ts';
import type { ReportProblem } from './useReports.ts';

export interface FilterDef {
  key: FilterKey;
  label: string;
  /** The choices besides "All". */
  options: { value: string; label: string }[];
}

interface Props {
  view: ReportView;
  onChange: (change: Partial<ReportView>) => void;
  filters: FilterDef[];
  problem: ReportProblem | null;
}

/** The browser's time zones, with UTC (which some browsers leave out of the list). */
function timeZones(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    // An old browser: UTC and the one asked for.
  }
  const all = new Set(['UTC', ...zones]);
  // A zone from the address that the browser does not list stays choosable (the server says whether it is one).
  if (!all.has(current)) all.add(current);
  return [...all];
}

/** A filter's value in the view as the select holds it ('' for all). */
function filterValue(view: ReportView, key: FilterKey): string {
  const v = view[key];
  return v === undefined ? '' : String(v);
}

/** A filter's choices, with the one the address asks for even before the choices are known. */
function withCurrent(f: FilterDef, current: string): FilterDef['options'] {
  return current === '' || f.options.some((o) => o.value === current) ? f.options : [...f.options, { value: current, label: `#${current}` }];
}

export function ReportPickers({ view, onChange, filters, problem }: Props) {
  const t = useT();
  const zones = useMemo(() => timeZones(view.timezone), [view.timezone]);
  const problemAt = (field: string) => (problem?.field === field ? problem.text : undefined);

  const date = (field: 'from' | 'to') => (
    <div className="field">
      <label htmlFor={`report-${field}`}>{t(`reports.${field}`)}</label>
      <input
        type="date"
        required
        value={view[field]}
        // Cleared or half typed: nothing to ask for yet.
        onChange={(e) => e.target.value && onChange({ [field]: e.target.value })}
        {...describedBy(`report-${field}`, problemAt(field))}
        data-testid={`report-${field}`}
      />
      <FieldProblem id={`report-${field}`} text={problemAt(field)} />
    </div>
  );

  return (
    <form className="card report-pickers" aria-label={t('reports.pickers')} onSubmit={(e) => e.preventDefault()} data-testid="report-pickers">
      {date('from')}
      {date('to')}
      <div className="field">
        <label htmlFor="report-timezone">{t('reports.timezone')}</label>
        <select value={view.timezone} onChange={(e) => onChange({ timezone: e.target.value })} {...describedBy('report-timezone', problemAt('timezone'))} data-testid="report-timezone">
          {zones.map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
        <FieldProblem id="report-timezone" text={problemAt('timezone')} />
      </div>
      <div className="field">
        <label htmlFor="report-interval">{t('reports.interval')}</label>
        <select value={view.interval} onChange={(e) => onChange({ interval: INTERVALS.find((i) => i === e.target.value) ?? 'day' })} {...describedBy('report-interval', problemAt('interval'))} data-testid="report-interval">
          {INTERVALS.map((i) => (
            <option key={i} value={i}>
              {t(`reports.interval.${i}`)}
            </option>
          ))}
        </select>
        <FieldProblem id="report-interval" text={problemAt('interval')} />
      </div>
      {filters.map((f) => (
        <div className="field" key={f.key}>
          <label htmlFor={`report-${f.key}`}>{f.label}</label>
          <select
            value={filterValue(view, f.key)}
            onChange={(e) => onChange({ [f.key]: e.target.value === '' ? undefined : f.key === 'channel' ? e.target.value : Number(e.target.value) })}
            {...describedBy(`report-${f.key}`, problemAt(f.key))}
            data-testid={`report-${f.key}`}
          >
            <option value="">{t('reports.all')}</option>
            {withCurrent(f, filterValue(view, f.key)).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <FieldProblem id={`report-${f.key}`} text={problemAt(f.key)} />
        </div>
      ))}
    </form>
  );
}
