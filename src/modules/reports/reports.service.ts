// The reports: figures of a site, a partner's sites or every site, summed from the rollups the
// `reports` listener keeps, as totals and as series by hour, day, week or month of a time zone.
import type { Kysely } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import { BadRequest } from '../../platform/errors.ts';
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';
import type { Channel } from './reports.counting.ts';
import { type Figures, figuresOf, METRICS_OF, REPORTS, type ReportName, Tally } from './reports.figures.ts';
import * as repo from './reports.repository.ts';
import type { ReportsTables } from './reports.tables.ts';
import { daysBetween, type Interval, isTimeZone, localDate, offsetSegments, QUARTER_MS, quarterOf, type Slot, slotsOf, ZoneClock } from './reports.time.ts';

export type { Scope } from './reports.repository.ts';

/** What a report is asked for; every field may be left out. */
export interface ReportQuery {
  /** First and last local date, `YYYY-MM-DD`, inclusive; the last 7 days by default. */
  from?: string | undefined;
  to?: string | undefined;
  /** An IANA time zone; UTC by default. */
  timezone?: string | undefined;
  interval?: Interval | undefined;
  agentId?: number | undefined;
  groupId?: number | undefined;
  channel?: Channel | undefined;
}

interface Resolved {
  from: string;
  to: string;
  timezone: string;
  interval: Interval;
  clock: ZoneClock;
}

export interface ReportSeries {
  report: ReportName;
  from: string;
  to: string;
  timezone: string;
  interval: Interval;
  total: Figures;
  /** Each point: `start` (RFC 3339 in the zone) and the report's figures. */
  series: Record<string, string | number | null>[];
}

export type Summary = { from: string; to: string; timezone: string } & Record<ReportName, Figures>;

export interface TableRow {
  id: number;
  name: string | null;
  figures: Record<'chats' | 'first-response' | 'duration' | 'availability' | 'survey', Figures>;
}

/** Longest range of a report, in days; of an hourly series. */
export const MAX_DAYS = 400;
export const MAX_HOURLY_DAYS = 31;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(s: string): boolean {
  return DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

export interface ReportsServiceDeps {
  db: Kysely<ReportsTables>;
  dialect: Dialect;
  /** Now, in milliseconds (a test's clock, or the system's). */
  now: () => number;
}

export interface ReportsService {
  summary(scope: repo.Scope, q: ReportQuery): Promise<Summary>;
  report(scope: repo.Scope, report: ReportName, q: ReportQuery): Promise<ReportSeries>;
  /** Figures per agent or per group of a site over the range (no series). */
  table(scope: repo.Scope, by: 'agent' | 'group', q: ReportQuery): Promise<{ from: string; to: string; timezone: string; rows: Map<number, TableRow['figures']> }>;
  /** Counts events into the rollups (the listener's work). */
  count(events: StoredEvent<DomainEvent>[]): Promise<number>;
  /** Forgets the rollups and counts the whole log again, in batches; returns how many events it read. */
  rebuild(readLog: repo.LogReader): Promise<{ events: number }>;
}

export function createReportsService({ db, dialect, now }: ReportsServiceDeps): ReportsService {
  function resolve(q: ReportQuery): Resolved {
    const timezone = q.timezone ?? 'UTC';
    if (!isTimeZone(timezone)) throw new BadRequest(`timezone "${timezone.slice(0, 60)}" is not an IANA time zone (such as Asia/Taipei or UTC).`, { field: 'timezone' });
    const clock = new ZoneClock(timezone);
    const to = q.to ?? localDate(clock, now());
    const from = q.from ?? (q.to ? localDate(new ZoneClock('UTC'), Date.parse(`${to}T00:00:00Z`), -6) : localDate(clock, now(), -6));
    for (const [field, value] of [['from', from], ['to', to]] as const) {
      if (!validDate(value)) throw new BadRequest(`${field} must be a date, YYYY-MM-DD.`, { field });
    }
    const days = daysBetween(from, to);
    if (days < 1) throw new BadRequest('from must not be after to.', { field: 'from' });
    const interval = q.interval ?? 'day';
    if (days > MAX_DAYS) throw new BadRequest(`A report covers at most ${MAX_DAYS} days.`, { field: 'from' });
    if (interval === 'hour' && days > MAX_HOURLY_DAYS) throw new BadRequest(`An hourly series covers at most ${MAX_HOURLY_DAYS} days.`, { field: 'interval' });
    return { from, to, timezone, interval, clock };
  }

  const filterOf = (scope: repo.Scope, q: ReportQuery, metrics: readonly string[], firstQuarter: number, endQuarter: number): repo.RollupFilter => ({
    scope,
    metrics,
    firstQuarter,
    endQuarter,
    agentId: q.agentId,
    groupId: q.groupId,
    channel: q.channel,
  });

  /** The time agents have been in their current status, up to now, within [from, to) (ms). */
  async function openTimes(scope: repo.Scope, q: ReportQuery): Promise<{ agentId: number; status: string; since: number }[]> {
    // Availability is an agent's own: a group or channel filter does not narrow it.
    const statuses = await repo.agentStatuses(db, scope);
    return statuses.filter((s) => q.agentId === undefined || s.agentId === q.agentId);
  }

  function addOpen(t: Tally, open: { status: string; since: number }[], from: number, to: number): void {
    const end = Math.min(to, now());
    for (const s of open) {
      const ms = end - Math.max(from, s.since);
      if (ms > 0) t.addTime(`agents.${s.status}`, ms);
    }
  }

  /**
   * The tallies of each slot (series) and of the whole range. The database sums local hours (an
   * hourly series) or days (the others), one query per stretch of constant offset (two over a DST
   * change), so a long series reads a few hundred sums, not thousands of quarter hours.
   */
  async function tallies(scope: repo.Scope, q: ReportQuery, r: Resolved, metrics: readonly string[]) {
    const { slots, firstQuarter, endQuarter } = slotsOf(r.clock, r.from, r.to, r.interval);
    const perSlot = slots.map(() => new Tally());
    const total = new Tally();
    const unitMinutes = r.interval === 'hour' ? 60 : 1440;
    for (const segment of offsetSegments(r.clock, firstQuarter, endQuarter)) {
      const local = { offsetMinutes: segment.offsetMinutes, unitMinutes } as const;
      const rows = await repo.sums(db, filterOf(scope, q, metrics, segment.firstQuarter, segment.endQuarter), ['channel'], local);
      for (const row of rows) {
        // The unit's start in this stretch (a day that began before the stretch starts with it).
        const start = Math.max(row.local * unitMinutes * 60_000 - segment.offsetMinutes * 60_000, segment.firstQuarter * QUARTER_MS);
        const i = slotIndex(slots, quarterOf(start));
        if (i < 0) continue;
        perSlot[i]!.add(row.metric, row.bin, row.channel, row.n, row.total);
        total.add(row.metric, row.bin, row.channel, row.n, row.total);
      }
    }
    if (metrics.some((m) => m.startsWith('agents.'))) {
      const open = await openTimes(scope, q);
      for (const [i, slot] of slots.entries()) addOpen(perSlot[i]!, open, slot.firstQuarter * QUARTER_MS, slot.endQuarter * QUARTER_MS);
      addOpen(total, open, firstQuarter * QUARTER_MS, endQuarter * QUARTER_MS);
    }
    return { slots, perSlot, total };
  }

  return {
    async summary(scope, q) {
      const r = resolve(q);
      const metrics = [...new Set(REPORTS.flatMap((name) => METRICS_OF[name]))];
      const { slots } = slotsOf(r.clock, r.from, r.to, 'month');
      const firstQuarter = slots[0]!.firstQuarter;
      const endQuarter = slots.at(-1)!.endQuarter;
      const rows = await repo.totals(db, filterOf(scope, q, metrics, firstQuarter, endQuarter));
      const total = new Tally();
      for (const row of rows) total.add(row.metric, row.bin, row.channel, row.n, row.total);
      addOpen(total, await openTimes(scope, q), firstQuarter * QUARTER_MS, endQuarter * QUARTER_MS);
      const summary = { from: r.from, to: r.to, timezone: r.timezone } as Summary;
      for (const name of REPORTS) summary[name] = figuresOf(name, total);
      return summary;
    },

    async report(scope, report, q) {
      const r = resolve(q);
      const { slots, perSlot, total } = await tallies(scope, q, r, METRICS_OF[report]);
      return {
        report,
        from: r.from,
        to: r.to,
        timezone: r.timezone,
        interval: r.interval,
        total: figuresOf(report, total),
        series: slots.map((slot, i) => ({ start: slot.start, ...figuresOf(report, perSlot[i]!) })),
      };
    },

    async table(scope, by, q) {
      const r = resolve(q);
      const { slots } = slotsOf(r.clock, r.from, r.to, 'month');
      const firstQuarter = slots[0]!.firstQuarter;
      const endQuarter = slots.at(-1)!.endQuarter;
      const names = ['chats', 'first-response', 'duration', 'availability', 'survey'] as const;
      const metrics = names.flatMap((name) => METRICS_OF[name]);
      const rows = await repo.sums(db, filterOf(scope, q, metrics, firstQuarter, endQuarter), ['channel', by]);
      const tallies = new Map<number, Tally>();
      const of = (id: number) => {
        let t = tallies.get(id);
        if (!t) {
          t = new Tally();
          tallies.set(id, t);
        }
        return t;
      };
      for (const row of rows) {
        const id = by === 'agent' ? row.agentId : row.groupId;
        if (id !== 0) of(id).add(row.metric, row.bin, row.channel, row.n, row.total);
      }
      if (by === 'agent') for (const s of await openTimes(scope, q)) addOpen(of(s.agentId), [s], firstQuarter * QUARTER_MS, endQuarter * QUARTER_MS);
      const out = new Map<number, TableRow['figures']>();
      for (const [id, t] of tallies) out.set(id, Object.fromEntries(names.map((name) => [name, figuresOf(name, t)])) as TableRow['figures']);
      return { from: r.from, to: r.to, timezone: r.timezone, rows: out };
    },

    count: (events) => repo.countEvents(db, dialect, events),

    rebuild: async (readLog) => ({ events: await repo.rebuild(db, dialect, readLog) }),
  };
}

/** The slot a quarter hour falls in (slots are in order and touch); -1 outside them. */
function slotIndex(slots: Slot[], bucket: number): number {
  let lo = 0;
  let hi = slots.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = slots[mid]!;
    if (bucket < s.firstQuarter) hi = mid - 1;
    else if (bucket >= s.endQuarter) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** A series as CSV (RFC 4180): a header of the figures' names, then one line per point. */
export function toCsv(series: ReportSeries): string {
  const columns = new Set<string>();
  for (const point of series.series) for (const key of Object.keys(point)) columns.add(key);
  for (const key of Object.keys(series.total)) columns.add(key);
  const header = ['start', ...[...columns].filter((c) => c !== 'start')];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  const lines = [header.join(',')];
  // A survey option nobody chose in a point is 0 there; a figure with nothing to average is empty.
  for (const point of series.series) lines.push(header.map((h) => cell(h in point ? (point as Record<string, unknown>)[h] : 0)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
