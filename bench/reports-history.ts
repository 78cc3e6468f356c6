// A synthetic history for the reports benchmark: the domain events a few months of live chat would
// have left in the log, in the shapes Parley writes them (docs/events.md), in time order. Each site
// has a time zone, a daily and weekly rhythm, agents on shifts and groups; chats come from the
// widget, IM, WebView and the operator API, some start with the robot, some wait in the queue and
// some are abandoned there, some are missed, a few transferred, and some get a survey answer.
// Deterministic for a given seed (and `now`), so two runs count the same history.

/** A site as the history uses it (created beforehand through Parley's services). */
export interface HistorySite {
  siteId: number;
  partnerId: number;
  /** The site's local time, as a fixed offset from UTC in minutes (+480: Taipei). */
  offsetMinutes: number;
  /** How many chats it gets over the whole history. */
  chats: number;
  agentIds: number[];
  groups: { id: number; agentIds: number[] }[];
}

/** One row for the `events` table, as the event log would have appended it. */
export interface LogRow {
  siteId: number;
  partnerId: number;
  type: string;
  /** The event without its name and site (encodeEvent's `payload`). */
  payload: string;
  at: number;
}

export interface HistoryOptions {
  sites: HistorySite[];
  /** Local days of history per site, the last one being the site's today (cut at `now`). */
  days: number;
  now: number;
  seed: number;
}

import { between, type Counters, pick, playChat, type Scene } from './reports-chat.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same history. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Chats per local hour of the day, relative: quiet nights, a morning and an afternoon peak, an evening one.
const HOUR_WEIGHTS = [0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.6, 1.2, 2, 2.6, 2.6, 2, 2.3, 2.6, 2.6, 2.4, 2, 1.6, 1.8, 2.1, 2, 1.4, 0.7];
const HOUR_CDF = HOUR_WEIGHTS.map((_, h) => HOUR_WEIGHTS.slice(0, h + 1).reduce((a, b) => a + b, 0) / HOUR_WEIGHTS.reduce((a, b) => a + b, 0));
// Sunday first, as Date#getUTCDay counts.
const WEEKDAY_WEIGHTS = [0.55, 1, 1.05, 1, 1, 0.95, 0.65];

/** The share of a day's chats that arrive before `ms` into the local day. */
function dayShareBefore(ms: number): number {
  const h = Math.min(23, Math.floor(ms / HOUR));
  const below = h === 0 ? 0 : HOUR_CDF[h - 1]!;
  return below + (HOUR_CDF[h]! - below) * ((ms - h * HOUR) / HOUR);
}

/** A time into the local day drawn from the hourly rhythm, below `limit` (a day's share). */
function timeOfDay(rnd: () => number, limit = 1): number {
  const u = rnd() * limit;
  let h = 0;
  while (h < 23 && HOUR_CDF[h]! < u) h++;
  const below = h === 0 ? 0 : HOUR_CDF[h - 1]!;
  return Math.floor((h + (u - below) / (HOUR_CDF[h]! - below)) * HOUR);
}


/** One agent's working day from local midnight `day0`: online, a break away, online again, offline. */
function playShift(s: Scene, agentId: number, day0: number, weekend: boolean): void {
  const { rnd, site } = s;
  if (rnd() > (weekend ? 0.4 : 0.85)) return;
  const start = day0 + 7 * HOUR + between(rnd, 0, 6 * HOUR);
  const end = start + 7 * HOUR + between(rnd, 0, 2 * HOUR);
  const pause = start + 3 * HOUR + between(rnd, 0, HOUR);
  const steps: [number, string][] = [
    [start, 'online'],
    [pause, 'away'],
    [pause + between(rnd, 20 * MINUTE, 60 * MINUTE), 'online'],
    [end, 'offline'],
  ];
  for (const [at, status] of steps) if (at < s.now) s.push({ siteId: site.siteId, partnerId: site.partnerId, type: 'agent.statusChanged', at, payload: JSON.stringify({ agentId, status }) });
}

/** Offline messages of a day, left outside the busy hours. */
function playOfflineMessage(s: Scene, at: number): void {
  const { rnd, site } = s;
  if (at >= s.now) return;
  const group = site.groups.length > 0 && rnd() < 0.5 ? pick(rnd, site.groups).id : null;
  s.push({
    siteId: site.siteId,
    partnerId: site.partnerId,
    type: 'offlineMessage.left',
    at,
    payload: JSON.stringify({ visitorId: ++s.ids.visitor, offlineMessageId: ++s.ids.offline, groupId: group, channel: rnd() < 0.8 ? null : 'line' }),
  });
}

/** How many of `total` fall on each day, for day weights: whole numbers that add up to `total` exactly. */
function spread(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  let given = 0;
  return weights.map((w) => {
    cumulative += w;
    const upTo = Math.round((cumulative / sum) * total);
    const n = upTo - given;
    given = upTo;
    return n;
  });
}

/** The number of chats each site gets: a long tail (weight 1 / rank^0.7), adding up to `total` exactly. */
export function chatsPerSite(total: number, sites: number): number[] {
  return spread(
    total,
    Array.from({ length: sites }, (_, i) => (i + 1) ** -0.7),
  );
}

/**
 * The history, in batches of rows in time order (each batch after the one before). Days are each
 * site's local days; a batch holds everything before the earliest moment the next day can start.
 */
export function* history(opts: HistoryOptions): Generator<LogRow[]> {
  const ids: Counters = { chat: 0, visitor: 0, message: 0, offline: 0 };
  const plans = opts.sites.map((site, i) => {
    const offset = site.offsetMinutes * MINUTE;
    const localNow = opts.now + offset;
    const today = Math.floor(localNow / DAY) * DAY;
    // Local midnight (as UTC ms) of each day, oldest first; the volume grows slowly over the months.
    const days = Array.from({ length: opts.days }, (_, d) => today - (opts.days - 1 - d) * DAY);
    const todayShare = dayShareBefore(localNow - today);
    const weights = days.map((day, d) => WEEKDAY_WEIGHTS[new Date(day).getUTCDay()]! * (0.85 + (0.3 * d) / opts.days) * (d === opts.days - 1 ? todayShare : 1));
    return { site, offset, days, todayShare, perDay: spread(site.chats, weights), rnd: random(opts.seed * 1000 + i) };
  });
  let pending: LogRow[] = [];
  for (let d = 0; d < opts.days; d++) {
    for (const p of plans) {
      const scene: Scene = { site: p.site, rnd: p.rnd, ids, now: opts.now, push: (row) => pending.push(row) };
      const day0 = p.days[d]! - p.offset;
      const weekend = [0, 6].includes(new Date(p.days[d]!).getUTCDay());
      const last = d === opts.days - 1;
      for (const agentId of p.site.agentIds) playShift(scene, agentId, day0, weekend);
      for (let i = 0; i < p.perDay[d]!; i++) playChat(scene, day0 + timeOfDay(p.rnd, last ? p.todayShare : 1));
      const offline = Math.round(p.perDay[d]! * 0.03);
      for (let i = 0; i < offline; i++) playOfflineMessage(scene, day0 + between(p.rnd, 0, 8 * HOUR));
    }
    // Stable: a chat's events with the same millisecond keep their order.
    pending.sort((a, b) => a.at - b.at);
    const nextDayStarts = d === opts.days - 1 ? Number.POSITIVE_INFINITY : Math.min(...plans.map((p) => p.days[d + 1]! - p.offset));
    let cut = 0;
    while (cut < pending.length && pending[cut]!.at < nextDayStarts) cut++;
    if (cut > 0) yield pending.slice(0, cut);
    pending = pending.slice(cut);
  }
}
