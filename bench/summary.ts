// Renders the latest results in bench/results as the Markdown table block of docs/performance.md.
import type { IdleConnectionsFigures, ServerFigures } from './idle-connections.ts';
import type { ComparisonFigures, MessageThroughputFigures, PhaseFigures, Side } from './message-throughput.ts';
import { readResult } from './report.ts';
import type { ReportsFigures } from './reports.ts';
import type { LatencySummary } from './stats.ts';

interface Stored<F> {
  date: string;
  parameters: Record<string, unknown>;
  figures: F;
  code: { commit: string | null; uncommittedChanges: string[] };
  machine: { cpuModel: string; cpuCount: number; totalMemoryBytes: number; node: string };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en') : String(n));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
const ms = (v: number | null) => (v === null ? '–' : `${v} ms`);

function provenance(r: Stored<unknown>): string {
  const m = r.machine;
  const dirty = r.code.uncommittedChanges.length > 0 ? ` plus uncommitted changes to ${r.code.uncommittedChanges.length} file(s)` : '';
  return (
    `Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpuCount}× ${m.cpuModel}, ${gib(m.totalMemoryBytes)}, ` +
    `Node ${m.node}, commit ${r.code.commit?.slice(0, 7) ?? 'unknown'}${dirty}.`
  );
}

function serverRow(name: string, s: ServerFigures): string {
  return (
    `| ${name} | ${count(s.connected)} (${s.failed} failed, ${count(s.openAfterHold)} open after hold) | ${mib(s.before.rss)} | ${mib(s.after.rss)} | ` +
    `**${kib(s.bytesPerConnection.rss)}** | ${kib(s.bytesPerConnection.heapUsed)} | ${count(s.connectsPerSecond)} |`
  );
}

function idleSection(r: Stored<IdleConnectionsFigures>): string {
  const f = r.figures;
  const t = f.target;
  return [
    `### (a) Idle connections: ${count(r.parameters.connections)} per server`,
    '',
    provenance(r),
    '',
    '| server | connections | RSS before | RSS after | RSS per connection | JS heap per connection | connects/s |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    serverRow('bare `ws`', f.bareWs),
    serverRow('Parley', f.parley),
    '',
    `Parley / bare ws per connection: **${f.ratio.rss}×** RSS, ${f.ratio.heapUsed}× JS heap. Target: ≤ ${t.maxRssRatio}× at ` +
      `${t.atConnections.toLocaleString('en')} connections; at ${t.measuredAtConnections.toLocaleString('en')} the RSS ratio is ` +
      `${t.rssRatioWithinTarget ? 'within' : '**over**'} it. Parley's own gauge counted ${count(f.parley.serverReportedConnections)} connections. ` +
      `Opening the ${count(f.parleyVisitorSessions.created)} visitor sessions took ${f.parleyVisitorSessions.seconds.toFixed(1)} s.`,
  ].join('\n');
}

function phaseRow(name: string, p: PhaseFigures): string {
  const offered = 'concurrentSenders' in p.offered ? `${p.offered.concurrentSenders} senders, closed loop` : `${p.offered.messagesPerSecond} msg/s, open loop`;
  const d = p.deliveryLatencyMs;
  return (
    `| ${name} | ${offered} | **${count(p.messagesPerSecond)}** | ${ms(d.p50)} | ${ms(d.p90)} | **${ms(d.p99)}** | ${ms(d.max)} | ` +
    `${ms(p.httpLatencyMs.p50)} / ${ms(p.httpLatencyMs.p99)} | ${p.serverCpuPercent}% / ${p.clientCpuPercent}% | ${p.httpErrors} / ${p.undelivered} |`
  );
}

function comparisonRow(run: string, code: string, rate: number, p50: number | null, p99: number | null, cpu: string): string {
  return `| ${run} | ${code} | **${count(rate)}** | ${ms(p50)} | **${ms(p99)}** | ${cpu} |`;
}

function comparisonSection(r: Stored<MessageThroughputFigures>, c: ComparisonFigures): string {
  const base = c.baseline.commit.slice(0, 7);
  const named = c.baseline.ref === base || c.baseline.commit.startsWith(c.baseline.ref) ? '' : ` (\`${c.baseline.ref}\`)`;
  const current = `working tree at ${r.code.commit?.slice(0, 7) ?? 'unknown'}`;
  const code = (side: Side) => (side === 'baseline' ? `baseline ${base}` : current);
  const change = c.dropPercent >= 0 ? `a drop of ${c.dropPercent}%` : `a gain of ${-c.dropPercent}%`;
  return [
    `#### Peak throughput against commit ${base}${named}`,
    '',
    `${c.runs.length} closed-loop peak runs in pairs of baseline and working tree, each pair in the other order than the one before, each on a fresh server and database with ` +
      `the parameters above; the last is the peak row above. The median rows take the middle of each side's runs (msg/s and p99); ` +
      `the target is judged by the median of the pairs' ratios, as a pair's two runs share the machine's speed of the moment.`,
    '',
    '| run | code | delivered msg/s | delivery p50 | p99 | CPU server |',
    '| --- | --- | --- | --- | --- | --- |',
    ...c.runs.map((run, i) =>
      comparisonRow(String(i + 1), code(run.side), run.peak.messagesPerSecond, run.peak.deliveryLatencyMs.p50, run.peak.deliveryLatencyMs.p99, `${run.peak.serverCpuPercent}%`),
    ),
    comparisonRow('median', `baseline ${base}`, c.medianMessagesPerSecond.baseline, null, c.medianDeliveryP99Ms.baseline, '–'),
    comparisonRow('median', current, c.medianMessagesPerSecond.current, null, c.medianDeliveryP99Ms.current, '–'),
    '',
    ...(c.pairRatios && c.medianPairRatio !== undefined
      ? [
          `Working tree / baseline, pair by pair: ${c.pairRatios.map((x) => `${x}×`).join(', ')}; median **${c.medianPairRatio}×**, ${change} ` +
            `(by the sides' medians: ${c.ratio}×). Target: no more than a ${c.target.maxDropPercent}% drop: ${c.target.met ? 'met' : '**not met**'}.`,
        ]
      : [
          `Working tree / baseline: **${c.ratio}×** the messages per second, ${change}. ` +
            `Target: no more than a ${c.target.maxDropPercent}% drop: ${c.target.met ? 'met' : '**not met**'}.`,
        ]),
  ].join('\n');
}

function throughputSection(r: Stored<MessageThroughputFigures>): string {
  const f = r.figures;
  const comparison = f.comparison ? ['', comparisonSection(r, f.comparison)] : [];
  return [
    `### (b) Message throughput and delivery latency: ${r.parameters.chats} chats, SQLite, ${r.parameters.durationSeconds} s per run`,
    '',
    provenance(r),
    '',
    '| run | offered load | delivered msg/s | delivery p50 | p90 | p99 | max | HTTP 201 p50 / p99 | CPU server / bench | errors / undelivered |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    phaseRow('peak', f.peak),
    phaseRow('quarter of peak', f.quarterLoad),
    '',
    `Target: p99 delivery under ${f.target.maxP99Ms} ms at a quarter of the peak load: ` +
      `${f.target.met ? 'met' : '**not met**'} (${ms(f.target.quarterLoadP99Ms)}). ` +
      `Parley's event loop ran late by up to ${ms(f.peak.serverEventLoopDelayMs.max)} at peak (p99 ${ms(f.peak.serverEventLoopDelayMs.p99)}) ` +
      `and up to ${ms(f.quarterLoad.serverEventLoopDelayMs.max)} at a quarter (p99 ${ms(f.quarterLoad.serverEventLoopDelayMs.p99)}).`,
    ...comparison,
  ].join('\n');
}

function latencyRow(name: string, l: LatencySummary): string {
  return `| ${name} | ${count(l.count)} | ${ms(l.p50)} | ${ms(l.p95)} | **${ms(l.p99)}** | ${ms(l.max)} |`;
}

function reportsSection(r: Stored<ReportsFigures>): string {
  const f = r.figures;
  const h = f.history;
  const l = f.latencyMs;
  const { largest, smallest } = f.bySize;
  const counting = f.counting.method === 'listener' ? "the server's `reports` listener caught up from the first event" : '`npm run reports:rebuild` counted them';
  const met = (ok: boolean, p99: number | null) => `${ok ? 'met' : '**not met**'} (${ms(p99)})`;
  return [
    `### (c) Reports: ${count(h.chats)} chats on ${h.sites} sites of ${h.partners.length} partners over ${h.days} days, SQLite`,
    '',
    provenance(r),
    '',
    `The history: ${count(f.seeding.events)} events (${count(f.seeding.eventsByType['message.created'] ?? 0)} messages), ${count(h.chatsPerSite.min)} to ` +
      `${count(h.chatsPerSite.max)} chats a site (median ${count(h.chatsPerSite.median)}). Appended to the log in ${f.seeding.seconds} s ` +
      `(**${count(f.seeding.eventsPerSecond)} events/s**); ${counting} in ${f.counting.seconds} s (**${count(f.counting.eventsPerSecond)} events/s**), ` +
      `into ${count(f.counting.rollupRows)} rollup rows; the database is then ${gib(f.counting.databaseBytes)}.`,
    '',
    `| request, ${f.query.from} to ${f.query.to} in ${f.query.timezone} (90 days) | requests | p50 | p95 | p99 | max |`,
    '| --- | --- | --- | --- | --- | --- |',
    latencyRow('daily chats series, `GET /api/v1/reports/chats?interval=day`, a random site each', l.chatsDaily),
    latencyRow('summary, `GET /api/v1/reports/summary`, a random site each', l.summary),
    latencyRow(`partner roll-up summary, \`GET /api/v1/platform/partners/:id/reports/summary\`, the ${h.partners.length} partners in turn`, l.partnerSummary),
    latencyRow(`daily chats series, the largest site (${count(largest.chats)} chats)`, largest.chatsDaily),
    latencyRow('summary, the largest site', largest.summary),
    latencyRow(`daily chats series, the smallest site (${count(smallest.chats)} chats)`, smallest.chatsDaily),
    latencyRow('summary, the smallest site', smallest.summary),
    '',
    `Target: p99 under ${f.target.maxP99Ms} ms: the daily series ${met(f.target.chatsDailyMet, l.chatsDaily.p99)}, the summary ${met(f.target.summaryMet, l.summary.p99)}. ` +
      `The platform's summary of every site over the whole history took ${ms(l.platformSummary)} and counted ${count(f.check.chatsCounted)} chats, ` +
      `${f.check.ok ? 'as many as the history ended' : `**against ${count(f.check.chatsEnded)} the history ended**`}. ` +
      `${f.errors > 0 ? `**${f.errors} requests failed** (not in the latencies). ` : ''}` +
      `Load average ${f.loadAverage.beforeRequests.join(' / ')} before the requests, ${f.loadAverage.afterRequests.join(' / ')} after; server RSS ${mib(f.serverRssBytes)}.`,
  ].join('\n');
}

/** The figures block: one section per benchmark that has a result. */
export function renderFigures(): string {
  const idle = readResult('idle-connections') as Stored<IdleConnectionsFigures> | undefined;
  const throughput = readResult('message-throughput') as Stored<MessageThroughputFigures> | undefined;
  const reports = readResult('reports') as Stored<ReportsFigures> | undefined;
  const sections = [idle ? idleSection(idle) : undefined, throughput ? throughputSection(throughput) : undefined, reports ? reportsSection(reports) : undefined];
  return sections.filter((s) => s !== undefined).join('\n\n') || '_No results yet: run `npm run bench`._';
}
