// The reports' pure parts: zone calendars (DST days, half-hour offsets), histogram bins and
// percentiles, CSV, and how the counting attributes a chat's story.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';
import { type Addition, binOf, channelOf, count, type StateCache } from './reports.counting.ts';
import { figuresOf, percentile, Tally } from './reports.figures.ts';
import { type ReportSeries, toCsv } from './reports.service.ts';
import { offsetSegments, QUARTER_MS, slotsOf, ZoneClock } from './reports.time.ts';

test('a DST day in Europe/Berlin has 23 hours in spring and 25 in autumn, each hour an hour long', () => {
  const berlin = new ZoneClock('Europe/Berlin');
  const spring = slotsOf(berlin, '2026-03-29', '2026-03-29', 'hour').slots;
  assert.equal(spring.length, 23);
  assert.deepEqual(
    spring.slice(1, 3).map((s) => s.start),
    ['2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00'],
  );
  for (const s of spring) assert.equal((s.endQuarter - s.firstQuarter) * QUARTER_MS, 3_600_000);
  const autumn = slotsOf(berlin, '2026-10-25', '2026-10-25', 'hour').slots;
  assert.equal(autumn.length, 25);
  assert.deepEqual(
    autumn.slice(2, 4).map((s) => s.start),
    ['2026-10-25T02:00:00+02:00', '2026-10-25T02:00:00+01:00'],
    'the repeated hour twice, told apart by its offset',
  );
  const days = slotsOf(berlin, '2026-03-28', '2026-03-30', 'day').slots;
  assert.deepEqual(
    days.map((d) => (d.endQuarter - d.firstQuarter) / 4),
    [24, 23, 24],
  );
});

test('days in a half-hour zone, Monday weeks and months are cut to the range', () => {
  const kolkata = slotsOf(new ZoneClock('Asia/Kolkata'), '2026-01-31', '2026-02-01', 'day').slots;
  assert.deepEqual(
    kolkata.map((s) => [s.start, new Date(s.firstQuarter * QUARTER_MS).toISOString()]),
    [
      ['2026-01-31T00:00:00+05:30', '2026-01-30T18:30:00.000Z'],
      ['2026-02-01T00:00:00+05:30', '2026-01-31T18:30:00.000Z'],
    ],
  );
  const utc = new ZoneClock('UTC');
  assert.deepEqual(
    slotsOf(utc, '2026-03-05', '2026-03-20', 'week').slots.map((s) => s.start.slice(0, 10)),
    ['2026-03-05', '2026-03-09', '2026-03-16'],
    'the first week starts at the range; the next ones on Mondays',
  );
  const months = slotsOf(utc, '2026-01-15', '2026-03-02', 'month');
  assert.deepEqual(
    months.slots.map((s) => s.start.slice(0, 10)),
    ['2026-01-15', '2026-02-01', '2026-03-01'],
  );
  assert.equal((months.endQuarter - months.firstQuarter) * QUARTER_MS, Date.parse('2026-03-03') - Date.parse('2026-01-15'));
});

test('duration bins are seconds to 10 minutes, 10 s to an hour, minutes beyond; percentiles are nearest-rank bin edges', () => {
  assert.deepEqual(
    [0, 1, 999, 1000, 1001, 600_000, 600_001, 3_600_000, 3_600_001].map(binOf),
    [0, 1, 1, 1, 2, 600, 610, 3600, 3660],
  );
  const bins = new Map([
    [120, 2],
    [180, 1],
    [300, 1],
  ]);
  assert.equal(percentile(bins, 0.5), 120);
  assert.equal(percentile(bins, 0.75), 180);
  assert.equal(percentile(bins, 0.9), 300);
  assert.equal(percentile(new Map(), 0.5), null);
  assert.equal(percentile(new Map([[60, 0]]), 0.5), null, 'a bin taken back to nothing is empty');
});

test('channels: an IM customer’s own label counts as the IM API; no channel is the widget', () => {
  assert.deepEqual(
    [null, 'widget', 'webview', 'operator', 'im', 'wechat'].map(channelOf),
    ['widget', 'widget', 'webview', 'operator', 'im', 'im'],
  );
});

/** Counts events (at the given ISO times) into a fresh state, returning the additions. */
function play(events: [string, Record<string, unknown>][]): Addition[] {
  const memory = new Map<string, unknown>();
  const state: StateCache = { get: (k) => memory.get(k) ?? null, set: (k, v) => void memory.set(k, v) };
  const out: Addition[] = [];
  events.forEach(([at, event], i) => {
    const stored = { id: i + 1, partnerId: 7, at, event: { siteId: 3, ...event } as DomainEvent } satisfies StoredEvent<DomainEvent>;
    count(stored, state, (a) => out.push(a));
  });
  return out;
}

const chat = (status: string, groupId: number | null = null) => ({ status, groupId, channel: null });

test('a chat is counted when it ends, in the quarter hour of its request, for the agent who had it last', () => {
  const added = play([
    ['2026-03-28T10:07:00Z', { name: 'chat.requested', chatId: 1, chat: chat('queued') }],
    ['2026-03-28T10:07:00Z', { name: 'chat.queued', chatId: 1, chat: chat('queued', 4) }],
    ['2026-03-28T10:09:30Z', { name: 'chat.assigned', chatId: 1, agentId: 11, chat: chat('assigned', 4) }],
    ['2026-03-28T10:10:00Z', { name: 'chat.accepted', chatId: 1, agentId: 11, chat: chat('active', 4) }],
    ['2026-03-28T10:11:00Z', { name: 'message.created', chatId: 1, message: { senderKind: 'visitor' } }],
    ['2026-03-28T10:12:00Z', { name: 'message.created', chatId: 1, message: { senderKind: 'agent' } }],
    ['2026-03-28T10:30:00Z', { name: 'chat.ended', chatId: 1, chat: chat('ended', 4) }],
  ]);
  const requestQuarter = Date.parse('2026-03-28T10:00:00Z') / QUARTER_MS;
  const ended = added.filter((a) => a.bucket === requestQuarter && ['chats', 'chats.answered', 'queue.wait', 'firstResponse', 'response', 'duration'].includes(a.metric));
  assert.deepEqual(
    ended.map((a) => [a.metric, a.agentId, a.groupId, a.channel, a.bin, a.n, a.total]),
    [
      ['chats', 11, 4, 'widget', 0, 1, 0],
      ['chats.answered', 11, 4, 'widget', 0, 1, 0],
      ['queue.wait', 11, 4, 'widget', 150, 1, 150_000],
      ['firstResponse', 11, 4, 'widget', 300, 1, 300_000],
      ['response', 11, 4, 'widget', 0, 1, 60_000],
      ['duration', 11, 4, 'widget', 0, 1, 1_200_000],
    ],
  );
});

test('an agent’s time in a status is split over the quarter hours it spans', () => {
  const added = play([
    ['2026-03-28T10:10:00Z', { name: 'agent.statusChanged', agentId: 5, status: 'online' }],
    ['2026-03-28T10:40:00Z', { name: 'agent.statusChanged', agentId: 5, status: 'away' }],
  ]);
  assert.deepEqual(
    added.map((a) => [new Date(a.bucket * QUARTER_MS).toISOString().slice(11, 16), a.metric, a.total / 60_000]),
    [
      ['10:00', 'agents.online', 5],
      ['10:15', 'agents.online', 15],
      ['10:30', 'agents.online', 10],
    ],
  );
});

test('answering the survey again takes the first answer back where it was counted', () => {
  const added = play([
    ['2026-03-28T10:00:00Z', { name: 'survey.answered', chatId: 1, agentId: 5, optionId: 1, satisfied: true }],
    ['2026-03-28T11:00:00Z', { name: 'survey.answered', chatId: 1, agentId: 5, optionId: 4, satisfied: false }],
  ]);
  const t = new Tally();
  for (const a of added) t.add(a.metric, a.bin, a.channel, a.n, a.total);
  assert.deepEqual(figuresOf('survey', t), { answers: 1, satisfied: 0, csat: 0, option4: 1 });
});

test('CSV: a header of every figure, empty cells for nothing to average, quotes where needed', () => {
  const series: ReportSeries = {
    report: 'first-response',
    from: '2026-03-28',
    to: '2026-03-29',
    timezone: 'UTC',
    interval: 'day',
    total: { count: 1, average: 30, p50: 30, p90: 30 },
    series: [
      { start: '2026-03-28T00:00:00+00:00', count: 1, average: 30, p50: 30, p90: 30 },
      { start: '2026-03-29T00:00:00+00:00', count: 0, average: null, p50: null, p90: null },
    ],
  };
  assert.equal(toCsv(series), 'start,count,average,p50,p90\r\n2026-03-28T00:00:00+00:00,1,30,30,30\r\n2026-03-29T00:00:00+00:00,0,,,\r\n');
});

test('offset segments cut a range where the clocks change, to the quarter hour', () => {
  const q = (iso: string) => Date.parse(iso) / QUARTER_MS;
  assert.deepEqual(offsetSegments(new ZoneClock('Europe/Berlin'), q('2026-03-20T00:00:00Z'), q('2026-04-10T00:00:00Z')), [
    { firstQuarter: q('2026-03-20T00:00:00Z'), endQuarter: q('2026-03-29T01:00:00Z'), offsetMinutes: 60 },
    { firstQuarter: q('2026-03-29T01:00:00Z'), endQuarter: q('2026-04-10T00:00:00Z'), offsetMinutes: 120 },
  ]);
  assert.equal(offsetSegments(new ZoneClock('Asia/Taipei'), q('2026-01-01T00:00:00Z'), q('2026-12-31T00:00:00Z')).length, 1, 'no DST: one stretch');
  assert.equal(offsetSegments(new ZoneClock('America/New_York'), q('2026-01-01T00:00:00Z'), q('2026-12-31T00:00:00Z')).length, 3, 'spring and autumn');
});
