// The figures the report pages show, how each is measured, and how it reads: counts and shares with
// Intl in the chosen language, durations as m:ss (h:mm from an hour on, and always for time online).
import { getLang } from '../../../../console/src/i18n/i18n.ts';
import type { Figures, Interval, ReportName } from '../../api/reports.ts';
import { t } from '../../i18n/i18n.ts';

/** Each report's figures, in the order a card lists them; the first is the card's lead figure. */
export const FIGURES = {
  chats: ['total', 'answered', 'missed', 'abandoned', 'robot', 'offlineMessages', 'widget', 'im', 'webview', 'operator'],
  queue: ['queued', 'abandoned', 'abandonment', 'waitAverage', 'waitP50', 'waitP90'],
  'first-response': ['average', 'count', 'p50', 'p90'],
  response: ['average', 'count'],
  duration: ['average', 'count'],
  messages: ['in', 'out'],
  availability: ['onlineSeconds', 'awaySeconds', 'offlineSeconds', 'chats'],
  survey: ['csat', 'answers', 'satisfied'],
  robot: ['questions', 'answered', 'unknown', 'handovers', 'useful', 'useless'],
} as const satisfies Record<ReportName, readonly string[]>;

/** A figure as `report.name` (`first-response.average`), as the pages' test ids and texts name it. */
export type FigureKey = { [R in ReportName]: `${R}.${(typeof FIGURES)[R][number]}` }[ReportName];

/** counts; shares 0..1; seconds (m:ss, h:mm from an hour); hours (seconds always shown as h:mm). */
export type Unit = 'count' | 'share' | 'seconds' | 'hours';

const SHARES = new Set(['queue.abandonment', 'survey.csat']);
const SECONDS = new Set(['queue.waitAverage', 'queue.waitP50', 'queue.waitP90', 'first-response.average', 'first-response.p50', 'first-response.p90', 'response.average', 'duration.average']);
const HOURS = new Set(['availability.onlineSeconds', 'availability.awaySeconds', 'availability.offlineSeconds']);

export function unitOf(key: string): Unit {
  if (SHARES.has(key)) return 'share';
  if (SECONDS.has(key)) return 'seconds';
  if (HOURS.has(key)) return 'hours';
  return 'count';
}

/** A figure's name in the current language; survey options (`survey.option3`) by their number. */
export function figureLabel(key: string): string {
  const option = /^survey\.option(\d+)$/.exec(key);
  return option ? t('reports.surveyOption', { n: option[1]! }) : t(`reports.f.${key as FigureKey}`);
}

/** The figures of a report's answer in display order: the known ones, then any the server adds (survey options). */
export function figuresOf(report: ReportName, figures: Figures): string[] {
  const known: readonly string[] = FIGURES[report];
  return [...known.map((name) => `${report}.${name}`), ...Object.keys(figures).filter((name) => !known.includes(name)).map((name) => `${report}.${name}`)];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** What a figure reads as: its text and, for a duration, the clock's pattern (m:ss or h:mm). */
export interface Shown {
  text: string;
  pattern: string | null;
}

/** A figure in words for the page; null (nothing to average) is a dash. */
export function formatFigure(value: number | null | undefined, unit: Unit): Shown {
  if (value === null || value === undefined) return { text: t('reports.noValue'), pattern: null };
  const lang = getLang();
  if (unit === 'count') return { text: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value), pattern: null };
  if (unit === 'share') return { text: new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 1 }).format(value), pattern: null };
  const seconds = Math.round(value);
  if (unit === 'seconds' && seconds < 3600) return { text: `${Math.floor(seconds / 60)}:${pad(seconds % 60)}`, pattern: t('reports.unit.mss') };
  const minutes = Math.round(seconds / 60);
  return { text: `${Math.floor(minutes / 60)}:${pad(minutes % 60)}`, pattern: t('reports.unit.hmm') };
}

/** A figure as one string (tables' cells, tooltips): `3:45` with its pattern after it where it has one. */
export function figureText(value: number | null | undefined, unit: Unit): string {
  const shown = formatFigure(value, unit);
  return shown.pattern ? `${shown.text} ${shown.pattern}` : shown.text;
}

/** A series point's period, in the report's zone and the current language (`Mar 28`, `Mar 28, 14:00`, `March 2026`). */
export function periodLabel(start: string, interval: Interval, timeZone: string): string {
  const date = new Date(start);
  const lang = getLang();
  try {
    if (interval === 'hour') return new Intl.DateTimeFormat(lang, { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
    if (interval === 'month') return new Intl.DateTimeFormat(lang, { timeZone, year: 'numeric', month: 'long' }).format(date);
    const day = new Intl.DateTimeFormat(lang, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(date);
    return interval === 'week' ? t('reports.weekOf', { date: day }) : day;
  } catch {
    // A zone this browser does not know: the point's own local time as the server wrote it.
    return start.slice(0, interval === 'hour' ? 16 : 10).replace('T', ' ');
  }
}
