// Benchmark (b): operator↔visitor messages per second through the real HTTP API, persisted on
// SQLite, and delivery latency: from the moment the sender starts its POST until the other side's
// real-time socket receives the publication. First a closed loop (one sender per chat, each
// waiting for its message to be delivered and answered) finds the peak; then an open loop offers a
// quarter of that rate, where the target is p99 delivery under 50 ms.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { type BenchChat, chatsPerAgent, openChats } from './chat-setup.ts';
import { requestJson } from './http-client.ts';
import type { BenchOptions } from './options.ts';
import { startParley } from './parley-server.ts';
import { sleep } from './processes.ts';
import type { ServerSample } from './server-probe.ts';
import { type LatencySummary, summarise } from './stats.ts';

// A message not delivered within this long counts as undelivered.
const deliveryTimeoutMs = 10_000;
// The unique marker in each message's content: publications are matched by it, not by event name.
const markerPattern = /bench-msg-(\d+)\b/g;

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

/** Figures of the message-throughput benchmark. */
export interface MessageThroughputFigures {
  peak: PhaseFigures;
  quarterLoad: PhaseFigures;
  /** The target: p99 delivery under 50 ms at a quarter of the peak load. */
  target: { maxP99Ms: number; quarterLoadP99Ms: number | null; met: boolean };
}

/** Runs benchmark (b) and returns its figures and parameters. */
export async function runMessageThroughput(opts: BenchOptions): Promise<{ parameters: Record<string, unknown>; figures: MessageThroughputFigures }> {
  const server = await startParley();
  const agent = new http.Agent({ keepAlive: true });
  try {
    const load = new Load(server.url, agent);
    log(`opening ${opts.concurrency} chats through the API`);
    const opened = await openChats(server, opts.concurrency, agent, load.onFrame);
    const { chats } = opened;
    const warmup = opts.warmupSeconds * 1000;
    const run = opts.durationSeconds * 1000;

    log(`warm-up ${opts.warmupSeconds} s, then ${opts.durationSeconds} s closed loop with ${chats.length} senders`);
    await closedLoop(load, chats, warmup, newRecorder());
    const peak = figures('closed-loop', { concurrentSenders: chats.length }, await measure(server, (rec) => closedLoop(load, chats, run, rec)));
    log(`peak: ${describe(peak)}`);

    const quarterRate = Math.max(1, Math.round(peak.messagesPerSecond / 4));
    log(`warm-up ${opts.warmupSeconds} s, then ${opts.durationSeconds} s open loop at ${quarterRate} msg/s`);
    await openLoop(load, chats, quarterRate, warmup, newRecorder());
    const quarterLoad = figures('open-loop', { messagesPerSecond: quarterRate }, await measure(server, (rec) => openLoop(load, chats, quarterRate, run, rec)));
    log(`quarter load: ${describe(quarterLoad)}`);

    opened.close();
    const p99 = quarterLoad.deliveryLatencyMs.p99;
    return {
      parameters: {
        database: 'sqlite (default: DATABASE_URL unset)',
        chats: chats.length,
        agents: Math.ceil(chats.length / chatsPerAgent),
        chatsPerAgent,
        warmupSeconds: opts.warmupSeconds,
        durationSeconds: opts.durationSeconds,
        deliveryTimeoutMs,
        messageBytes: 'about 60 characters of content',
      },
      figures: { peak, quarterLoad, target: { maxP99Ms: 50, quarterLoadP99Ms: p99, met: p99 !== null && p99 < 50 } },
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
