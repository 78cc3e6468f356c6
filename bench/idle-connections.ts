// Benchmark (a): memory per idle real-time connection, Parley against a bare `ws` server. Each
// server runs in its own process; the clients run in other processes, so neither's memory counts
// as the other's. Per connection = (server RSS with all connected and settled − RSS before) / N.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IdleClientCommand, IdleClientReport, IdleClientStatus } from './idle-clients.ts';
import type { BenchOptions } from './options.ts';
import { realtimeConnections, startParley } from './parley-server.ts';
import { ask, openFileLimits, sleep, startNode, stopChild, waitForMessage } from './processes.ts';
import type { ServerSample } from './server-probe.ts';
import { addressCount, clientsPerAddress } from './source-addresses.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Files a server holds besides its sockets (stdio, IPC, epoll, the SQLite file, WAL and shm, …).
const fileHeadroom = 200;
const settleMs = 3000;

/** What one server did with the N clients, and its memory before and after. */
export interface ServerFigures {
  connected: number;
  failed: number;
  errors: string[];
  connectSeconds: number;
  connectsPerSecond: number;
  openAfterHold: number;
  closeCodesDuringHold: Record<string, number>;
  /** Parley's own count (its parley_realtime_connections gauge); null for bare ws. */
  serverReportedConnections: number | null;
  before: ServerSample;
  after: ServerSample;
  bytesPerConnection: { rss: number; heapUsed: number; external: number };
}

/** Figures of the idle-connection benchmark. */
export interface IdleConnectionsFigures {
  bareWs: ServerFigures;
  parley: ServerFigures;
  /** Opening the visitor sessions (on a server process that is then restarted, see measureParley). */
  parleyVisitorSessions: { created: number; failed: number; seconds: number; serverAfterwards: ServerSample };
  /** Parley's bytes per connection over bare ws's. */
  ratio: { rss: number; heapUsed: number };
  /** The architecture target: 100,000 idle connections at ≤ 1.5× bare ws's memory per connection. */
  target: { maxRssRatio: number; atConnections: number; measuredAtConnections: number; rssRatioWithinTarget: boolean };
}

type Clients = { process: ChildProcess; from: number; count: number }[];

// Whole source addresses per process, so no address is shared between two processes.
const processShare = (perProcess: number) => Math.max(clientsPerAddress, Math.floor(perProcess / clientsPerAddress) * clientsPerAddress);

function startClients(n: number, perProcess: number): Clients {
  const per = processShare(perProcess);
  const clients: Clients = [];
  for (let from = 0; from < n; from += per) {
    const count = Math.min(per, n - from);
    const child = startNode({ name: `clients ${from}+${count}`, args: [path.join(here, 'idle-clients.ts')], openFiles: count + fileHeadroom });
    clients.push({ process: child, from, count });
  }
  return clients;
}

async function everyClient<T>(clients: Clients, make: (from: number, count: number) => IdleClientCommand, reply: string): Promise<T[]> {
  return Promise.all(clients.map((c) => ask<T>(c.process, make(c.from, c.count), reply, 30 * 60_000)));
}

function sum(reports: IdleClientReport[]): { ok: number; failed: number; errors: string[]; seconds: number } {
  return {
    ok: reports.reduce((n, r) => n + r.ok, 0),
    failed: reports.reduce((n, r) => n + r.failed, 0),
    errors: reports.flatMap((r) => r.errors).slice(0, 5),
    seconds: Math.max(...reports.map((r) => r.seconds)),
  };
}

async function connectAndHold(
  label: string,
  clients: Clients,
  connectCommand: (from: number, count: number) => IdleClientCommand,
  opts: BenchOptions,
  sample: () => Promise<ServerSample>,
): Promise<Omit<ServerFigures, 'serverReportedConnections'>> {
  await sleep(settleMs);
  const before = await sample();
  if (before.openFileLimit !== null && before.openFileLimit < opts.connections + 50) {
    throw new Error(
      `the ${label} server may open only ${before.openFileLimit} files, too few for ${opts.connections} connections; ` +
        'raise the hard limit (ulimit -Hn, needs CAP_SYS_RESOURCE) or lower BENCH_CONNECTIONS',
    );
  }
  log(`${label}: connecting ${opts.connections} clients`);
  const connected = sum(await everyClient<IdleClientReport>(clients, connectCommand, 'connected'));
  log(`${label}: ${connected.ok} connected, ${connected.failed} failed in ${connected.seconds.toFixed(1)} s; holding ${opts.holdSeconds} s`);
  if (connected.errors.length > 0) log(`${label}: first errors: ${connected.errors.join(' | ')}`);
  await sleep(opts.holdSeconds * 1000 + settleMs);
  const status = await everyClient<IdleClientStatus>(clients, () => ({ type: 'status' }), 'status');
  const after = await sample();
  const per = (a: number, b: number) => Math.round((a - b) / Math.max(1, connected.ok));
  const closeCodes: Record<string, number> = {};
  for (const s of status) for (const [code, n] of Object.entries(s.closeCodes)) closeCodes[code] = (closeCodes[code] ?? 0) + n;
  return {
    connected: connected.ok,
    failed: connected.failed,
    errors: connected.errors,
    connectSeconds: connected.seconds,
    connectsPerSecond: Math.round(connected.ok / connected.seconds),
    openAfterHold: status.reduce((n, s) => n + s.open, 0),
    closeCodesDuringHold: closeCodes,
    before,
    after,
    bytesPerConnection: {
      rss: per(after.rss, before.rss),
      heapUsed: per(after.heapUsed, before.heapUsed),
      external: per(after.external, before.external),
    },
  };
}

async function closeClients(clients: Clients): Promise<void> {
  await Promise.allSettled(clients.map((c) => ask(c.process, { type: 'close' }, 'closed', 60_000)));
  await Promise.all(clients.map((c) => stopChild(c.process, 5000)));
}

async function measureBareWs(opts: BenchOptions): Promise<ServerFigures> {
  const probe = pathToFileURL(path.join(here, 'server-probe.ts')).href;
  const server = startNode({
    name: 'bare-ws',
    args: ['--expose-gc', '--max-old-space-size=8192', '--import', probe, path.join(here, 'bare-ws-server.ts')],
    openFiles: opts.connections + fileHeadroom,
  });
  const clients = startClients(opts.connections, opts.clientsPerProcess);
  try {
    const { port } = await waitForMessage<{ port: number }>(server, 'listening', 30_000);
    const wsUrl = `ws://127.0.0.1:${port}/`;
    const sample = async () => (await ask<{ sample: ServerSample }>(server, { type: 'sample' }, 'sample', 60_000)).sample;
    const figures = await connectAndHold('bare ws', clients, (from, count) => ({ type: 'connect', wsUrl, from, count, authenticated: false }), opts, sample);
    return { ...figures, serverReportedConnections: null };
  } finally {
    await closeClients(clients);
    await stopChild(server);
  }
}

async function measureParley(opts: BenchOptions): Promise<{ figures: ServerFigures; visitors: IdleConnectionsFigures['parleyVisitorSessions'] }> {
  let parley = await startParley({ openFiles: opts.connections + fileHeadroom });
  const clients = startClients(opts.connections, opts.clientsPerProcess);
  try {
    const { site } = parley;
    log(`parley: opening ${opts.connections} visitor sessions through POST /api/v1/sites/${site.siteId}/visitors`);
    const httpUrl = parley.url;
    const made = sum(
      await everyClient<IdleClientReport>(clients, (from, count) => ({ type: 'visitors', httpUrl, siteId: site.siteId, from, count }), 'visitors'),
    );
    log(`parley: ${made.ok} visitor sessions in ${made.seconds.toFixed(1)} s (${made.failed} failed)`);
    if (made.failed > 0) log(`parley: first errors: ${made.errors.join(' | ')}`);
    // A fresh process on the same database, so "before" is Parley as started, not Parley after
    // 19,000 HTTP requests whose freed memory the connections would then reuse unseen.
    await sleep(settleMs);
    const afterSessions = await parley.sample();
    log(`parley: RSS after the sessions ${(afterSessions.rss / 2 ** 20).toFixed(0)} MiB; restarting the server on the same database`);
    parley = await parley.restart();
    const { url, wsUrl } = parley;
    const figures = await connectAndHold(
      'parley',
      clients,
      (from, count) => ({ type: 'connect', wsUrl, from, count, authenticated: true }),
      opts,
      parley.sample,
    );
    const reported = await realtimeConnections(url);
    return { figures: { ...figures, serverReportedConnections: reported }, visitors: { created: made.ok, failed: made.failed, seconds: made.seconds, serverAfterwards: afterSessions } };
  } finally {
    await closeClients(clients);
    await parley.stop();
  }
}

function log(line: string): void {
  process.stderr.write(`idle-connections: ${line}\n`);
}

// The servers check their actual limit before connecting (connectAndHold); this only says why it may be short.
function warnAboutOpenFileLimit(connections: number): void {
  const limits = openFileLimits();
  if (limits === undefined || connections + fileHeadroom <= limits.hard) return;
  log(`${connections} connections need ${connections + fileHeadroom} open files, above the hard limit ${limits.hard}; the servers will try to raise it`);
}

/** Runs benchmark (a) and returns its figures and parameters. */
export async function runIdleConnections(opts: BenchOptions): Promise<{ parameters: Record<string, unknown>; figures: IdleConnectionsFigures }> {
  warnAboutOpenFileLimit(opts.connections);
  const bareWs = await measureBareWs(opts);
  const { figures: parley, visitors } = await measureParley(opts);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const rssRatio = ratio(parley.bytesPerConnection.rss, bareWs.bytesPerConnection.rss);
  return {
    parameters: {
      connections: opts.connections,
      holdSeconds: opts.holdSeconds,
      clientProcesses: Math.ceil(opts.connections / processShare(opts.clientsPerProcess)),
      sourceAddresses: addressCount(opts.connections),
      clientsPerSourceAddress: clientsPerAddress,
      // Parley's default (PARLEY_WS_PING_INTERVAL), which the bench leaves as is; the hold spans one ping.
      parleyPingIntervalSeconds: 25,
      openFileLimits: openFileLimits() ?? null,
    },
    figures: {
      bareWs,
      parley,
      parleyVisitorSessions: visitors,
      ratio: { rss: rssRatio, heapUsed: ratio(parley.bytesPerConnection.heapUsed, bareWs.bytesPerConnection.heapUsed) },
      target: { maxRssRatio: 1.5, atConnections: 100_000, measuredAtConnections: opts.connections, rssRatioWithinTarget: rssRatio <= 1.5 },
    },
  };
}
