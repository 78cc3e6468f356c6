// The Report API as the report pages read it (src/modules/reports/reports.routes.ts; docs/reports.md
// defines every figure): a site's reports at /api/v1/reports, a partner's roll-up at the portal's
// mount (/api/v1/partner/reports, or /api/v1/platform/partners/{id}/reports for a platform admin),
// every partner's (or one's, with partnerId) at /api/v1/platform/reports.
// The server's own types reach too far into Node to import here, so the shapes are written out.
import { get, query } from '../../../console/src/api/http.ts';

/** The reports, in the order the pages show them. */
export const REPORTS = ['chats', 'queue', 'first-response', 'response', 'duration', 'messages', 'availability', 'survey', 'robot'] as const;
export type ReportName = (typeof REPORTS)[number];

export const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export const CHANNELS = ['widget', 'im', 'webview', 'operator'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A report's figures by name: counts, seconds, shares 0..1; null when there is nothing to average. */
export type Figures = Record<string, number | null>;

interface Range {
  from: string;
  to: string;
  timezone: string;
}

export type Summary = Range & Record<ReportName, Figures>;

/** One point of a series: `start` (RFC 3339 with the zone's offset, e.g. 2026-03-28T00:00:00+08:00) and the figures. */
export type Point = { start: string } & Record<string, string | number | null>;

export interface Series extends Range {
  report: ReportName;
  interval: Interval;
  total: Figures;
  series: Point[];
}

/** The reports the agent and group tables show for each row. */
export type TableReport = 'chats' | 'first-response' | 'duration' | 'availability' | 'survey';

export type TableRow = { id: number; name: string | null } & Record<TableReport, Figures>;

export interface Table extends Range {
  rows: TableRow[];
}

/** What every report is asked for: the range, the zone and the filters (a partner's roll-up: siteId; the platform's: partnerId). */
export interface ReportQuery {
  from: string;
  to: string;
  timezone: string;
  agentId?: number | undefined;
  groupId?: number | undefined;
  channel?: Channel | undefined;
  siteId?: number | undefined;
  partnerId?: number | undefined;
}

/** A report's address under `base` (`/api/v1/reports`, or a roll-up's), with the query. */
export function reportUrl(base: string, name: ReportName | 'summary' | 'by-agent' | 'by-group', q: ReportQuery, extra: Record<string, string> = {}): string {
  return `${base}/${name}${query({ from: q.from, to: q.to, timezone: q.timezone, agentId: q.agentId, groupId: q.groupId, channel: q.channel, siteId: q.siteId, partnerId: q.partnerId, ...extra })}`;
}

/** A series' CSV download: the same address with `format=csv`. */
export const csvUrl = (base: string, report: ReportName, q: ReportQuery, interval: Interval) => reportUrl(base, report, q, { interval, format: 'csv' });

export const fetchSummary = (base: string, q: ReportQuery, signal: AbortSignal) => get<Summary>(reportUrl(base, 'summary', q), { signal });
export const fetchSeries = (base: string, report: ReportName, q: ReportQuery, interval: Interval, signal: AbortSignal) => get<Series>(reportUrl(base, report, q, { interval }), { signal });
export const fetchTable = (base: string, by: 'agent' | 'group', q: ReportQuery, signal: AbortSignal) => get<Table>(reportUrl(base, `by-${by}`, q), { signal });

/** A series as CSV text, through the API client (so the panel's cookie or the portal's bearer token goes with it). */
export async function fetchCsv(url: string): Promise<string> {
  const text = await get<unknown>(url, { headers: { accept: 'text/csv' } });
  return typeof text === 'string' ? text : '';
}
