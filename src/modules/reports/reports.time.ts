// Report time: quarter-hour buckets in UTC, and the hours, days, weeks and months of an IANA time
// zone made of them. A zone's offset is read from Intl; it is looked up once per day of a range and
// per quarter hour only on days whose offset changes (a DST day), so a 90-day series asks ~100 times.

export const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** The quarter hour an instant falls in (its number since the epoch). */
export const quarterOf = (ms: number): number => Math.floor(ms / QUARTER_MS);

export type Interval = 'hour' | 'day' | 'week' | 'month';

/** Whether Intl knows the zone (an IANA name such as `Asia/Taipei`, or `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A zone's clock: its offset at an instant, and the instant a local wall time names. */
export class ZoneClock {
  readonly #format: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();
  readonly zone: string;

  constructor(zone: string) {
    this.zone = zone;
    this.#format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  }

  /** The zone's offset from UTC at `ms`, in milliseconds (Taipei: +8 h). */
  offsetAt(ms: number): number {
    const key = quarterOf(ms);
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      const p: Record<string, number> = {};
      for (const part of this.#format.formatToParts(key * QUARTER_MS)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - key * QUARTER_MS;
      this.#offsets.set(key, offset);
    }
    return offset;
  }

  /** The instant of a local wall time (ms as if UTC); in a gap, the first instant after it. */
  instantOf(wallMs: number): number {
    let guess = wallMs - this.offsetAt(wallMs);
    guess = wallMs - this.offsetAt(guess);
    // A wall time that does not exist (the hour skipped in spring): the moment the clock jumps.
    return guess + this.offsetAt(guess) === wallMs ? guess : wallMs - this.offsetAt(guess + QUARTER_MS);
  }
}

/** The wall-clock start (ms as if UTC) of the day, week or month a wall time falls in. */
function wallStart(wall: number, interval: Interval): number {
  const d = new Date(wall);
  switch (interval) {
    case 'hour':
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'week': {
      // Weeks start on Monday (ISO 8601).
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
}

function nextWall(wall: number, interval: Interval): number {
  const d = new Date(wall);
  switch (interval) {
    case 'hour':
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    case 'week':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 7);
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
}

/** One point of a series: where it starts, as a local time with its offset, and its quarters. */
export interface Slot {
  /** RFC 3339 with the zone's offset at that moment, e.g. `2026-12-01T00:00:00+08:00`. */
  start: string;
  firstQuarter: number;
  /** Exclusive. */
  endQuarter: number;
}

function rfc3339(ms: number, offset: number): string {
  const wall = new Date(ms + offset).toISOString().slice(0, 19);
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * The slots of the local dates `from` to `to` (inclusive, `YYYY-MM-DD`) in `clock`'s zone: every
 * hour (a DST day has 23 or 25), day, Monday-started week or month that overlaps the range, cut to it.
 */
export function slotsOf(clock: ZoneClock, from: string, to: string, interval: Interval): { slots: Slot[]; firstQuarter: number; endQuarter: number } {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  const rangeStart = clock.instantOf(Date.UTC(fy, fm - 1, fd));
  const rangeEnd = clock.instantOf(Date.UTC(ty, tm - 1, td + 1));
  const slots: Slot[] = [];
  const push = (start: number, end: number) => slots.push({ start: rfc3339(start, clock.offsetAt(start)), firstQuarter: quarterOf(start), endQuarter: quarterOf(end) });
  if (interval === 'hour') {
    // Hours are an hour of real time each: a spring-forward day has 23, a fall-back day 25 (the
    // repeated hour twice, told apart by its offset).
    for (let start = rangeStart; start < rangeEnd; start += 3_600_000) push(start, Math.min(start + 3_600_000, rangeEnd));
  } else {
    for (let wall = wallStart(rangeStart + clock.offsetAt(rangeStart), interval); ; ) {
      const start = Math.max(clock.instantOf(wall), rangeStart);
      if (start >= rangeEnd) break;
      const next = nextWall(wall, interval);
      push(start, Math.min(clock.instantOf(next), rangeEnd));
      wall = next;
    }
  }
  return { slots, firstQuarter: quarterOf(rangeStart), endQuarter: quarterOf(rangeEnd) };
}

/** Today's local date in the zone (`YYYY-MM-DD`), `days` days back or forward. */
export function localDate(clock: ZoneClock, ms: number, days = 0): string {
  const wall = ms + clock.offsetAt(ms) + days * DAY_MS;
  return new Date(wall).toISOString().slice(0, 10);
}

/** The whole local days from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** A stretch of quarter hours over which the zone's offset does not change. */
export interface OffsetSegment {
  firstQuarter: number;
  /** Exclusive. */
  endQuarter: number;
  /** The zone's offset over the stretch, in minutes. */
  offsetMinutes: number;
}

/**
 * The quarter hours [first, end) cut where the zone's offset changes (at most a few cuts a year):
 * offsets are compared a day apart, and a change is found to the quarter hour by bisection.
 */
export function offsetSegments(clock: ZoneClock, first: number, end: number): OffsetSegment[] {
  const offset = (q: number) => clock.offsetAt(q * QUARTER_MS) / 60_000;
  const segments: OffsetSegment[] = [];
  let start = first;
  let current = offset(first);
  for (let q = first; q < end; ) {
    const next = Math.min(q + 96, end);
    const at = next < end ? offset(next) : current;
    if (at !== current) {
      // The first quarter in (q, next] with the new offset.
      let lo = q;
      let hi = next;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (offset(mid) === current) lo = mid;
        else hi = mid;
      }
      segments.push({ firstQuarter: start, endQuarter: hi, offsetMinutes: current });
      start = hi;
      current = offset(hi);
      q = hi;
      continue;
    }
    q = next;
  }
  segments.push({ firstQuarter: start, endQuarter: end, offsetMinutes: current });
  return segments;
}
