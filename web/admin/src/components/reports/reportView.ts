// What a report page shows, kept in its address so that a link reopens the same view: the days
// (from, to), the time zone, the charts' step and the filters the page offers. Parameters the page
// does not own (the panel's siteId, onlyDisplayBody) stay as they are.
import { useCallback, useEffect, useState } from 'react';
import { CHANNELS, type Channel, INTERVALS, type Interval, type ReportQuery } from '../../api/reports.ts';

export interface ReportView extends ReportQuery {
  interval: Interval;
}

/** The filters a page offers: a site's agent, group and channel; a partner's roll-up its site; the platform's its partner. */
export type FilterKey = 'agentId' | 'groupId' | 'channel' | 'siteId' | 'partnerId';

/** The browser's own time zone (the default), or UTC when it does not say. */
export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The date (YYYY-MM-DD) it is now in `timeZone`; today in UTC for a zone the browser does not know. */
export function todayIn(timeZone: string, now = Date.now()): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  } catch {
    return new Date(now).toISOString().slice(0, 10);
  }
}

/** A YYYY-MM-DD date moved by whole days. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[1-9][0-9]{0,15}$/;

/**
 * The view an address asks for. Left out: the last 7 days up to today, in the browser's zone, by
 * day. A date or zone the server will refuse is kept, so that its answer says why at the picker.
 */
export function viewOf(search: string, filters: readonly FilterKey[]): ReportView {
  const p = new URLSearchParams(search);
  const timezone = p.get('timezone') || browserZone();
  const to = p.get('to') || todayIn(timezone);
  const from = p.get('from') || (DATE.test(to) ? addDays(to, -6) : to);
  const interval = INTERVALS.find((i) => i === p.get('interval')) ?? 'day';
  const view: ReportView = { from, to, timezone, interval };
  const id = (key: Exclude<FilterKey, 'channel'>) => {
    const v = p.get(key);
    return filters.includes(key) && v !== null && ID.test(v) ? Number(v) : undefined;
  };
  view.agentId = id('agentId');
  view.groupId = id('groupId');
  view.siteId = id('siteId');
  view.partnerId = id('partnerId');
  const channel = p.get('channel');
  if (filters.includes('channel')) view.channel = CHANNELS.find((c): c is Channel => c === channel);
  return view;
}

/** The address of a view: this page's path, its other parameters kept, the view's put in. */
export function addressOf(view: ReportView, filters: readonly FilterKey[], at: { pathname: string; search: string } = location): string {
  const p = new URLSearchParams(at.search);
  for (const key of ['from', 'to', 'timezone', 'interval', ...filters] as const) {
    const value = view[key];
    if (value === undefined || value === '') p.delete(key);
    else p.set(key, String(value));
  }
  return `${at.pathname}?${p.toString()}`;
}

/**
 * The view of this page's address and a way to change it: a change goes into the address (replacing
 * it, so that Back still leaves the page), and the browser's Back and Forward bring views back.
 */
export function useReportView(filters: readonly FilterKey[]): [ReportView, (change: Partial<ReportView>) => void] {
  const [view, setView] = useState(() => viewOf(location.search, filters));

  useEffect(() => {
    // The address carries the whole view from the start, so that a copied link shows the same days.
    history.replaceState(history.state, '', addressOf(view, filters));
  }, [view, filters]);

  useEffect(() => {
    const back = () => setView(viewOf(location.search, filters));
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, [filters]);

  const change = useCallback((next: Partial<ReportView>) => setView((v) => ({ ...v, ...next })), []);
  return [view, change];
}
