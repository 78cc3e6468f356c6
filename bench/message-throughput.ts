// Benchmark (b): operator↔visitor messages per second through the real HTTP API, persisted on
// SQLite, and delivery latency: from the moment the sender starts its POST until the other side's
// real-time socket receives the publication. First a closed loop (one sender per chat, each
// waiting for its message to be delivered and answered) finds the peak; then an open loop offers a
// quarter of that rate, where the target is p99 delivery under 50 ms. With BENCH_BASELINE, the
// peak run is also made against that commit's Parley, alternating with the working tree's.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { type BaselineCommit, extractTree } from './baseline-tree.ts';
import { type BenchChat, chatsPerAgent, openChats } from './chat-setup.ts';
import { requestJson } from './http-client.ts';
import type { BenchOptions } from './options.ts';
import { type ParleyServer, type StartParleyOptions, startParley } from './parley-server.ts';
import { removeTempDir, sleep } from './processes.ts';
import type { ServerSample } from './server-probe.ts';
import { type LatencySummary, summarise } from './stats.ts';

// A message not delivered within this long counts as undelivered.
const deliveryTimeoutMs = 10_000;
// The unique marker in each message's content: publications are matched by it, not by event name.
const markerPattern = /bench-msg-(\d+)\b/g;
// The acceptance target of the comparison: current throughput at most this much below the baseline's.
const maxDropPercent = 10;

/** One measured run. */
export interface PhaseFigures {
  mode: 'closed-loop' | 'open-loop';
  /** Closed loop: senders in flight. Open loop: messages started per second. */
  offered: { concurrentSenders: number } | { messagesPerSecond: number };
  seconds: number;
  messagesSent: number;
  messagesDelivered: number;
  /** Delivered messages per second over the run. */
  messagesPerSecond: number;
  httpErrors: number;
  undelivered: number;
  /** POST start → the receiver's socket has the publication. */
  deliveryLatencyMs: LatencySummary;
  /** POST start → the sender has the 201. */
  httpLatencyMs: LatencySummary;
  /** CPU time of the Parley process (user + system) over wall time; 100 = one core. */
  serverCpuPercent: number;
  /** The same for the bench process that sends and receives. */
  clientCpuPercent: number;
  /** How late Parley's event loop ran during the run (10 ms resolution timer). */
  serverEventLoopDelayMs: ServerSample['eventLoopDelayMs'];
}

interface InFlight {
  receiver: string;
  start: number;
  delivered: number | null;
  answered: number | null;
  ok: boolean;
  done: () => void;
}

interface Recorder {
  delivery: number[];
  http: number[];
  sent: number;
  delivered: number;
  errors: number;
  undelivered: number;
}

const newRecorder = (): Recorder => ({ delivery: [], http: [], sent: 0, delivered: 0, errors: 0, undelivered: 0 });

/** Sends messages and matches their publications; one per benchmark run. */
class Load {
  private readonly inFlight = new Map<number, InFlight>();
  private seq = 0;
  private readonly turn = new Map<number, number>();
  private readonly url: string;
  private readonly agent: http.Agent;

  constructor(url: string, agent: http.Agent) {
    this.url = url;
    this.agent = agent;
  }

  /** Called for every frame any party receives. */
  readonly onFrame = (partyKey: string, frame: string, at: number): void => {
    for (const match of frame.matchAll(markerPattern)) {
      const entry = this.inFlight.get(Number(match[1]));
      // Senders receive their own message too, on their personal channel; only the other side counts.
      if (entry === undefined || entry.receiver !== partyKey || entry.delivered !== null) continue;
      entry.delivered = at;
      if (entry.answered !== null) entry.done();
    }
  };

  /** Sends one message in the chat, alternating visitor → agent and agent → visitor; settles when delivered and answered, or timed out. */
  async send(chat: BenchChat, rec: Recorder): Promise<void> {
    const n = this.turn.get(chat.chatId) ?? 0;
    this.turn.set(chat.chatId, n + 1);
    const [from, to] = n % 2 === 0 ? [chat.visitor, chat.agent] : [chat.agent, chat.visitor];
    const id = ++this.seq;
    const entry: InFlight = { receiver: to.key, start: 0, delivered: null, answered: null, ok: false, done: () => {} };
    const finished = new Promise<void>((resolve) => {
      entry.done = resolve;
    });
    const timer = setTimeout(() => entry.done(), deliveryTimeoutMs);
    this.inFlight.set(id, entry);
    rec.sent++;
    const body = { type: 'message', data: { content: `Hello from the bench, bench-msg-${id} — how can I help?` } };
    // Only the first few failures are printed; all are counted.
    entry.start = performance.now();
    requestJson('POST', `${this.url}/api/v1/chats/${chat.chatId}/messages`, { token: from.token, body, agent: this.agent }).then(
      (res) => {
        entry.answered = performance.now();
        entry.ok = res.status === 201;
        if (!entry.ok) {
          if (rec.errors++ < 3) process.stderr.write(`message-throughput: POST answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}\n`);
          entry.done();
        } else if (entry.delivered !== null) entry.done();
      },
      (err: unknown) => {
        entry.answered = performance.now();
        if (rec.errors++ < 3) process.stderr.write(`message-throughput: POST failed: ${String(err)}\n`);
        entry.done();
      },
    );
    await finished;
    clearTimeout(timer);
    this.inFlight.delete(id);
    if (entry.answered !== null && entry.ok) rec.http.push(entry.answered - entry.start);
    if (entry.delivered !== null) {
      rec.delivered++;
      rec.delivery.push(entry.delivered - entry.start);
    } else if (entry.ok || entry.answered === null) rec.undelivered++;
  }
}

async function closedLoop(load: Load, chats: BenchChat[], ms: number, rec: Recorder): Promise<void> {
  const end = performance.now() + ms;
  await Promise.all(
    chats.map(async (chat) => {
      while (performance.now() < end) await load.send(chat, rec);
    }),
  );
}

async function openLoop(load: Load, chats: BenchChat[], perSecond: number, ms: number, rec: Recorder): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let started = 0;
  // Messages start on schedule whether or not earlier ones are done, so a slow moment shows in the
  // latencies instead of quietly lowering the offered load.
  while (performance.now() - start < ms) {
    const due = Math.floor(((performance.now() - start) / 1000) * perSecond) + 1;
    for (; started < due; started++) pending.push(load.send(chats[started % chats.length]!, rec));
    await sleep(1);
  }
  await Promise.all(pending);
}

async function measure(
  server: { sample(): Promise<ServerSample> },
  run: (rec: Recorder) => Promise<void>,
): Promise<{ rec: Recorder; seconds: number; serverCpuPercent: number; clientCpuPercent: number; loop: ServerSample['eventLoopDelayMs'] }> {
  const rec = newRecorder();
  const serverBefore = await server.sample();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  await run(rec);
  const seconds = (performance.now() - started) / 1000;
  const clientCpu = process.cpuUsage(clientBefore);
  const serverAfter = await server.sample();
  const serverMicros = serverAfter.cpuUserMicros + serverAfter.cpuSystemMicros - serverBefore.cpuUserMicros - serverBefore.cpuSystemMicros;
  const percent = (micros: number) => Math.round((micros / 1e6 / seconds) * 1000) / 10;
  return {
    rec,
    seconds,
    serverCpuPercent: percent(serverMicros),
    clientCpuPercent: percent(clientCpu.user + clientCpu.system),
    loop: serverAfter.eventLoopDelayMs,
  };
}

function figures(mode: PhaseFigures['mode'], offered: PhaseFigures['offered'], m: Awaited<ReturnType<typeof measure>>): PhaseFigures {
  return {
    mode,
    offered,
    seconds: Math.round(m.seconds * 100) / 100,
    messagesSent: m.rec.sent,
    messagesDelivered: m.rec.delivered,
    messagesPerSecond: Math.round(m.rec.delivered / m.seconds),
    httpErrors: m.rec.errors,
    undelivered: m.rec.undelivered,
    deliveryLatencyMs: summarise(m.rec.delivery),
    httpLatencyMs: summarise(m.rec.http),
    serverCpuPercent: m.serverCpuPercent,
    clientCpuPercent: m.clientCpuPercent,
    serverEventLoopDelayMs: m.loop,
  };
}

function log(line: string): void {
  process.stderr.write(`message-throughput: ${line}\n`);
}

function describe(p: PhaseFigures): string {
  const d = p.deliveryLatencyMs;
  const loop = p.serverEventLoopDelayMs;
  return (
    `${p.messagesPerSecond} msg/s, delivery p50 ${d.p50} ms, p99 ${d.p99} ms, max ${d.max} ms; ` +
    `server CPU ${p.serverCpuPercent}%, event-loop delay p99 ${loop.p99} ms, max ${loop.max} ms`
  );
}

/** Which code a peak run measured. */
export type Side = 'baseline' | 'current';

/** One closed-loop peak run of the comparison, on its own fresh server and database. */
export interface ComparisonRun {
  side: Side;
  peak: PhaseFigures;
}

/** The working tree's peak throughput against a baseline commit's, from interleaved runs. */
export interface ComparisonFigures {
  baseline: BaselineCommit;
  /** In the order they ran (pairs, each in the other order than the one before). */
  runs: ComparisonRun[];
  /** Median delivered messages per second of each side's runs. */
  medianMessagesPerSecond: Record<Side, number>;
  /** Median of each side's runs' p99 delivery latency. */
  medianDeliveryP99Ms: Record<Side, number | null>;
  /** Current median / baseline median. */
  ratio: number;
  /**
   * Each pair's current / baseline, in run order. A pair's two runs are next to each other, so a
   * machine whose speed drifts during the comparison moves both alike; the median of these is
   * what the target is judged by (absent in results stored before it existed).
   */
  pairRatios?: number[];
  medianPairRatio?: number;
  /** How far the median pair ratio is below 1, in percent; negative when the working tree is faster. */
  dropPercent: number;
  target: { maxDropPercent: number; met: boolean };
}

/** Figures of the message-throughput benchmark. */
export interface MessageThroughputFigures {
  /** The working tree's peak; with a comparison, its last run, on whose server the quarter load then ran. */
  peak: PhaseFigures;
  quarterLoad: PhaseFigures;
  /** The target: p99 delivery under 50 ms at a quarter of the peak load. */
  target: { maxP99Ms: number; quarterLoadP99Ms: number | null; met: boolean };
  /** Against BENCH_BASELINE's commit; null when it is unset. */
  comparison: ComparisonFigures | null;
}

interface Session {
  server: ParleyServer;
  load: Load;
  chats: BenchChat[];
}

// Each run gets a fresh server on a fresh database with freshly opened chats, so no run inherits
// another's database growth, heap or JIT state.
async function withSession<T>(opts: BenchOptions, agent: http.Agent, server: StartParleyOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const started = await startParley(server);
  try {
    const load = new Load(started.url, agent);
    log(`opening ${opts.concurrency} chats through the API`);
    const opened = await openChats(started, opts.concurrency, agent, load.onFrame);
    try {
      return await body({ server: started, load, chats: opened.chats });
    } finally {
      opened.close();
    }
  } finally {
    await started.stop();
  }
}

async function peakRun(opts: BenchOptions, { server, load, chats }: Session): Promise<PhaseFigures> {
  log(`warm-up ${opts.warmupSeconds} s, then ${opts.durationSeconds} s closed loop with ${chats.length} senders`);
  await closedLoop(load, chats, opts.warmupSeconds * 1000, newRecorder());
  const run = opts.durationSeconds * 1000;
  return figures('closed-loop', { concurrentSenders: chats.length }, await measure(server, (rec) => closedLoop(load, chats, run, rec)));
}

async function quarterRun(opts: BenchOptions, { server, load, chats }: Session, peak: PhaseFigures): Promise<PhaseFigures> {
  const rate = Math.max(1, Math.round(peak.messagesPerSecond / 4));
  log(`warm-up ${opts.warmupSeconds} s, then ${opts.durationSeconds} s open loop at ${rate} msg/s`);
  await openLoop(load, chats, rate, opts.warmupSeconds * 1000, newRecorder());
  const run = opts.durationSeconds * 1000;
  return figures('open-loop', { messagesPerSecond: rate }, await measure(server, (rec) => openLoop(load, chats, rate, run, rec)));
}

/** The middle value (the mean of the two middle ones for an even count): one disturbed run does not move it. */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function compare(baseline: BaselineCommit, runs: ComparisonRun[]): ComparisonFigures {
  const of = (side: Side) => runs.filter((r) => r.side === side).map((r) => r.peak);
  const rate = (side: Side) => median(of(side).map((p) => p.messagesPerSecond));
  const p99s = (side: Side) => of(side).map((p) => p.deliveryLatencyMs.p99).filter((v) => v !== null);
  const p99 = (side: Side) => (p99s(side).length > 0 ? Math.round(median(p99s(side)) * 100) / 100 : null);
  const ratio = rate('current') / rate('baseline');
  const pairRatios: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const pair = [runs[i]!, runs[i + 1]!];
    const current = pair.find((r) => r.side === 'current')?.peak.messagesPerSecond;
    const base = pair.find((r) => r.side === 'baseline')?.peak.messagesPerSecond;
    if (current !== undefined && base) pairRatios.push(Math.round((current / base) * 1000) / 1000);
  }
  const medianPairRatio = Math.round(median(pairRatios) * 1000) / 1000;
  const dropPercent = Math.round((1 - medianPairRatio) * 1000) / 10;
  return {
    baseline,
    runs,
    medianMessagesPerSecond: { baseline: Math.round(rate('baseline')), current: Math.round(rate('current')) },
    medianDeliveryP99Ms: { baseline: p99('baseline'), current: p99('current') },
    ratio: Math.round(ratio * 1000) / 1000,
    pairRatios,
    medianPairRatio,
    dropPercent,
    target: { maxDropPercent, met: dropPercent <= maxDropPercent },
  };
}

function serverFor(side: Side, baselineRoot: string | null): StartParleyOptions {
  if (side === 'current') return {};
  if (baselineRoot === null) throw new Error('a baseline run without a baseline tree');
  return { sourceRoot: baselineRoot, label: 'parley-baseline' };
}

// The sides of the comparison's runs before the last (which is always the working tree's), in
// pairs that alternate their order (…, current baseline, baseline current): a slow drift of a shared
// machine, or whatever favours a first or second run, then falls on both sides alike.
function sidesBeforeLast(withBaseline: boolean, rounds: number): Side[] {
  if (!withBaseline) return [];
  const sides: Side[] = [];
  for (let i = 0; i < rounds; i++) sides.push(...((rounds - 1 - i) % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const)));
  return sides.slice(0, -1);
}

/** Runs benchmark (b) and returns its figures and parameters. */
export async function runMessageThroughput(opts: BenchOptions): Promise<{ parameters: Record<string, unknown>; figures: MessageThroughputFigures }> {
  const agent = new http.Agent({ keepAlive: true });
  const baselineRoot = opts.baseline === null ? null : await extractTree(opts.baseline.commit);
  try {
    const sides = sidesBeforeLast(baselineRoot !== null, opts.rounds);
    const total = sides.length + 1;
    const runs: ComparisonRun[] = [];
    for (const [i, side] of sides.entries()) {
      log(`run ${i + 1} of ${total}: ${side === 'baseline' ? `baseline ${opts.baseline?.commit.slice(0, 7)}` : 'working tree'}`);
      const peak = await withSession(opts, agent, serverFor(side, baselineRoot), (session) => peakRun(opts, session));
      log(`${side} peak: ${describe(peak)}`);
      runs.push({ side, peak });
    }

    if (total > 1) log(`run ${total} of ${total}: working tree, then its quarter-load run on the same server`);
    // The quarter-load run follows the working tree's peak on the same server, as without a baseline.
    const { peak, quarterLoad } = await withSession(opts, agent, serverFor('current', baselineRoot), async (session) => {
      const peak = await peakRun(opts, session);
      log(`peak: ${describe(peak)}`);
      const quarterLoad = await quarterRun(opts, session, peak);
      log(`quarter load: ${describe(quarterLoad)}`);
      return { peak, quarterLoad };
    });
    runs.push({ side: 'current', peak });

    const comparison = opts.baseline === null ? null : compare(opts.baseline, runs);
    if (comparison !== null) {
      log(`current / baseline: ${comparison.ratio} by the medians, ${comparison.medianPairRatio} by the median pair (drop ${comparison.dropPercent}%, target at most ${maxDropPercent}%)`);
    }
    const p99 = quarterLoad.deliveryLatencyMs.p99;
    return {
      parameters: {
        database: 'sqlite (default: DATABASE_URL unset)',
        chats: opts.concurrency,
        agents: Math.ceil(opts.concurrency / chatsPerAgent),
        chatsPerAgent,
        warmupSeconds: opts.warmupSeconds,
        durationSeconds: opts.durationSeconds,
        deliveryTimeoutMs,
        messageBytes: 'about 60 characters of content',
        baseline: opts.baseline,
        comparisonRounds: opts.baseline === null ? 0 : opts.rounds,
      },
      figures: { peak, quarterLoad, target: { maxP99Ms: 50, quarterLoadP99Ms: p99, met: p99 !== null && p99 < 50 }, comparison },
    };
  } finally {
    agent.destroy();
    if (baselineRoot !== null) removeTempDir(baselineRoot);
  }
}
