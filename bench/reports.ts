// Benchmark (c): the Report API over a big history. A synthetic history of BENCH_REPORT_CHATS chats
// over ~120 days on BENCH_REPORT_SITES sites of 4 partners is appended straight into the event log
// of a fresh SQLite database (reports-seed.ts), the reports count it (`npm run reports:rebuild`, the
// rebuild every deployment runs over its own log), and then Parley serves the Report API from the
// rollups: a 90-day daily series and the summary for random sites, and partners' roll-ups.
import { spawn } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { expectJson, requestJson } from './http-client.ts';
import type { BenchOptions } from './options.ts';
import { type ParleyServer, startParley } from './parley-server.ts';
import { sleep, startNode, waitForMessage } from './processes.ts';
import { random } from './reports-history.ts';
import type { SeededSite, SeedReport } from './reports-seed.ts';
import { type LatencySummary, summarise } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAYS = 120;
const SEED = 21;
const WARMUP_REQUESTS = 50;
const TIMEZONE = 'Asia/Taipei';
const MAX_P99_MS = 100;

/** Figures of the reports benchmark. */
export interface ReportsFigures {
  history: { chats: number; sites: number; partners: { partnerId: number; sites: number; chats: number }[]; days: number; chatsPerSite: { min: number; median: number; max: number } };
  seeding: { events: number; eventsByType: Record<string, number>; tenantsSeconds: number; seconds: number; eventsPerSecond: number; databaseBytes: number };
  counting: { method: 'rebuild' | 'listener'; events: number; seconds: number; eventsPerSecond: number; rollupRows: number; stateRows: number; databaseBytes: number };
  /** What the Report API was asked (dates are Taipei's, `to` is today there). */
  query: { from: string; to: string; timezone: string; requests: number; warmupRequests: number };
  latencyMs: {
    /** GET /api/v1/reports/chats?interval=day over 90 days, one random site per request. */
    chatsDaily: LatencySummary;
    /** GET /api/v1/reports/summary over the same range. */
    summary: LatencySummary;
    /** GET /api/v1/platform/partners/:id/reports/summary: a partner's roll-up over its sites, each partner in turn. */
    partnerSummary: LatencySummary;
    /** GET /api/v1/platform/reports/summary over the whole history, all sites, once. */
    platformSummary: number;
  };
  /** The biggest and smallest site's own figures (the same requests, 20 each). */
  bySize: { largest: { siteId: number; chats: number; chatsDaily: LatencySummary; summary: LatencySummary }; smallest: { siteId: number; chats: number; chatsDaily: LatencySummary; summary: LatencySummary } };
  /** The platform summary's chat total against the chats the history ended (they must match). */
  check: { chatsEnded: number; chatsCounted: number; ok: boolean };
  errors: number;
  loadAverage: { beforeRequests: number[]; afterRequests: number[] };
  serverRssBytes: number;
  target: { maxP99Ms: number; chatsDailyMet: boolean; summaryMet: boolean };
}

function log(line: string): void {
  process.stderr.write(`reports: ${line}\n`);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const load = () => os.loadavg().map(round2);

/** Today's date in the zone, and `days` days before it (YYYY-MM-DD). */
function localDates(zone: string, days: number): { from: string; to: string } {
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  const to = day(Date.now());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** Runs a CLI of src/cli with the server's environment; resolves with its last stdout line as JSON. */
function runCli<T>(file: string, env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'src/cli', file)], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as T);
      } catch (err) {
        reject(err);
      }
    });
  });
}

interface Counted {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/** Seeds the history; with `rebuild`, counts it too, on the database the server will then open. */
async function prepare(opts: BenchOptions, env: NodeJS.ProcessEnv, file: string): Promise<{ seeded: SeedReport; counted: Counted | null }> {
  log(`seeding ${opts.reportChats.toLocaleString('en')} chats over ${DAYS} days on ${opts.reportSites} sites`);
  const request = { chats: opts.reportChats, sites: opts.reportSites, days: DAYS, seed: SEED };
  const child = startNode({ name: 'reports-seed', args: [path.join(root, 'bench', 'reports-seed.ts'), JSON.stringify(request)], env });
  const seeded = await waitForMessage<SeedReport>(child, 'seeded', 3 * 3600_000);
  log(`${seeded.events.toLocaleString('en')} events appended in ${seeded.seedSeconds.toFixed(1)} s`);
  if (opts.reportCounting === 'listener') {
    // A listener seen for the first time starts at the newest event; this one has been here since
    // the first, as if the node had been down while the history happened.
    const db = new DatabaseSync(file);
    db.prepare("insert into event_cursors (listener, position) values ('reports', 0)").run();
    db.close();
    return { seeded, counted: null };
  }
  log('counting them: npm run reports:rebuild');
  const counted = await runCli<Counted>('reports-rebuild.ts', env);
  log(`counted ${counted.events.toLocaleString('en')} events in ${counted.seconds} s (${counted.eventsPerSecond.toLocaleString('en')}/s)`);
  return { seeded, counted };
}

/** Waits until the running server's `reports` listener has passed the whole log; its rate from `since`. */
async function listenerCaughtUp(file: string, since: number): Promise<Counted> {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const top = Number((db.prepare('select max(id) as id from events').get() as { id: number }).id);
    const cursor = db.prepare("select position from event_cursors where listener = 'reports'");
    let reported = performance.now();
    for (;;) {
      const position = Number((cursor.get() as { position: number } | undefined)?.position ?? 0);
      const seconds = (performance.now() - since) / 1000;
      if (position >= top) return { events: top, seconds: round2(seconds), eventsPerSecond: Math.round(top / seconds) };
      if (performance.now() - reported > 30_000) {
        log(`the reports listener is at event ${position.toLocaleString('en')} of ${top.toLocaleString('en')} (${Math.round(position / seconds).toLocaleString('en')}/s)`);
        reported = performance.now();
      }
      await sleep(250);
    }
  } finally {
    db.close();
  }
}

/** Rows of the reports' tables and the database's size once counted. */
function storage(file: string): { rollupRows: number; stateRows: number; databaseBytes: number } {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const count = (table: string) => Number((db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n);
    const pages = db.prepare('pragma page_count').get() as { page_count: number };
    const size = db.prepare('pragma page_size').get() as { page_size: number };
    return { rollupRows: count('report_rollups'), stateRows: count('report_state'), databaseBytes: pages.page_count * size.page_size };
  } finally {
    db.close();
  }
}

/** Times `count` sequential GETs; each call of `next` names the URL and token of one. */
async function timeRequests(count: number, agent: http.Agent, next: () => { url: string; token: string }, errors: { n: number }): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const { url, token } = next();
    const started = performance.now();
    const res = await requestJson('GET', url, { token, agent });
    const ms = performance.now() - started;
    if (res.status === 200) samples.push(ms);
    else if (errors.n++ < 3) log(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`);
  }
  return samples;
}

/** Runs benchmark (c) and returns its figures and parameters. */
export async function runReports(opts: BenchOptions): Promise<{ parameters: Record<string, unknown>; figures: ReportsFigures }> {
  let prepared: Awaited<ReturnType<typeof prepare>> | undefined;
  let file = '';
  let launched = 0;
  const server: ParleyServer = await startParley({
    // The seeded log reaches 120 days back: the retention job must not prune it under the bench.
    // The Report API's per-caller limit (600 a minute) is not what the bench measures.
    env: { PARLEY_EVENT_RETENTION_HOURS: String(365 * 24), PARLEY_REPORTS_RATE_LIMIT: '100000' },
    prepare: async ({ env, dataDir }) => {
      file = path.join(dataDir, 'parley.db');
      prepared = await prepare(opts, env, file);
      launched = performance.now();
    },
  });
  const agent = new http.Agent({ keepAlive: true });
  try {
    const { seeded } = prepared!;
    if (prepared!.counted === null) log('the server is counting the log (its reports listener catches up from the first event)');
    const counted = prepared!.counted ?? (await listenerCaughtUp(file, launched));
    if (prepared!.counted === null) log(`counted ${counted.events.toLocaleString('en')} events in ${counted.seconds} s (${counted.eventsPerSecond.toLocaleString('en')}/s)`);
    const stored = storage(file);
    const api = (p: string) => `${server.url}/api/v1${p}`;
    const sites = seeded.sites;
    log(`logging in ${sites.length} site admins and the platform admin`);
    const tokens = new Map<number, string>();
    for (const site of sites) tokens.set(site.siteId, (await expectJson<{ token: string }>(200, 'POST', api('/auth/login'), { body: site.admin, agent })).token);
    const platform = await expectJson<{ token: string }>(200, 'POST', api('/platform/login'), { body: { email: 'admin@bench.parley.local', password: 'bench-admin-password' }, agent });

    const { from, to } = localDates(TIMEZONE, 89);
    const range = `from=${from}&to=${to}&timezone=${encodeURIComponent(TIMEZONE)}`;
    const rnd = random(SEED);
    const anySite = () => sites[Math.floor(rnd() * sites.length)]!;
    const chatsOf = (site: SeededSite) => ({ url: api(`/reports/chats?${range}&interval=day`), token: tokens.get(site.siteId)! });
    const summaryOf = (site: SeededSite) => ({ url: api(`/reports/summary?${range}`), token: tokens.get(site.siteId)! });
    let turn = 0;
    const partnerSummary = () => {
      const partner = seeded.partners[turn++ % seeded.partners.length]!;
      return { url: api(`/platform/partners/${partner.partnerId}/reports/summary?${range}`), token: platform.token };
    };
    const errors = { n: 0 };

    log(`warm-up: ${WARMUP_REQUESTS} requests of each kind`);
    await timeRequests(WARMUP_REQUESTS, agent, () => chatsOf(anySite()), errors);
    await timeRequests(WARMUP_REQUESTS, agent, () => summaryOf(anySite()), errors);
    const loadBefore = load();
    log(`measuring: ${opts.reportRequests} daily series and ${opts.reportRequests} summaries, alternating, random sites (load ${loadBefore.join(' ')})`);
    const chatsDaily: number[] = [];
    const summary: number[] = [];
    for (let i = 0; i < opts.reportRequests; i++) {
      chatsDaily.push(...(await timeRequests(1, agent, () => chatsOf(anySite()), errors)));
      summary.push(...(await timeRequests(1, agent, () => summaryOf(anySite()), errors)));
    }
    const partnerCount = Math.max(seeded.partners.length, Math.round(opts.reportRequests / 10));
    log(`measuring: ${partnerCount} partner roll-up summaries`);
    const partner = await timeRequests(partnerCount, agent, partnerSummary, errors);

    const bySite = async (site: SeededSite) => ({
      siteId: site.siteId,
      chats: site.chats,
      chatsDaily: summarise(await timeRequests(20, agent, () => chatsOf(site), errors)),
      summary: summarise(await timeRequests(20, agent, () => summaryOf(site), errors)),
    });
    const sorted = [...sites].sort((a, b) => b.chats - a.chats);
    const largest = await bySite(sorted[0]!);
    const smallest = await bySite(sorted.at(-1)!);

    // The whole history, every site, in UTC with a day to spare on each side.
    const whole = localDates('UTC', DAYS + 2);
    const wholeTo = new Date(Date.parse(`${whole.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const started = performance.now();
    const all = await expectJson<{ chats: { total: number } }>(200, 'GET', api(`/platform/reports/summary?from=${whole.from}&to=${wholeTo}`), { token: platform.token, agent });
    const platformMs = performance.now() - started;
    const loadAfter = load();
    const sample = await server.sample();

    const chats = summarise(chatsDaily);
    const summaries = summarise(summary);
    const volumes = sites.map((s) => s.chats).sort((a, b) => a - b);
    const chatsEnded = seeded.eventsByType['chat.ended'] ?? 0;
    log(`daily series p50 ${chats.p50} ms, p99 ${chats.p99} ms; summary p50 ${summaries.p50} ms, p99 ${summaries.p99} ms; load ${loadAfter.join(' ')}`);
    return {
      parameters: {
        database: 'sqlite (default: DATABASE_URL unset)',
        chats: opts.reportChats,
        sites: opts.reportSites,
        partners: seeded.partners.length,
        days: DAYS,
        seed: SEED,
        requests: opts.reportRequests,
        warmupRequests: WARMUP_REQUESTS,
        timezone: TIMEZONE,
        counting: opts.reportCounting === 'rebuild' ? 'npm run reports:rebuild (src/cli/reports-rebuild.ts) before the server starts' : "the server's reports listener, from the first event",
      },
      figures: {
        history: { chats: opts.reportChats, sites: sites.length, partners: seeded.partners, days: DAYS, chatsPerSite: { min: volumes[0]!, median: volumes[Math.floor(volumes.length / 2)]!, max: volumes.at(-1)! } },
        seeding: {
          events: seeded.events,
          eventsByType: seeded.eventsByType,
          tenantsSeconds: round2(seeded.tenantsSeconds),
          seconds: round2(seeded.seedSeconds),
          eventsPerSecond: Math.round(seeded.events / seeded.seedSeconds),
          databaseBytes: seeded.databaseBytes,
        },
        counting: { method: opts.reportCounting, ...counted, ...stored },
        query: { from, to, timezone: TIMEZONE, requests: opts.reportRequests, warmupRequests: WARMUP_REQUESTS },
        latencyMs: { chatsDaily: chats, summary: summaries, partnerSummary: summarise(partner), platformSummary: round2(platformMs) },
        bySize: { largest, smallest },
        check: { chatsEnded, chatsCounted: all.chats.total, ok: all.chats.total === chatsEnded },
        errors: errors.n,
        loadAverage: { beforeRequests: loadBefore, afterRequests: loadAfter },
        serverRssBytes: sample.rss,
        target: { maxP99Ms: MAX_P99_MS, chatsDailyMet: chats.p99 !== null && chats.p99 < MAX_P99_MS, summaryMet: summaries.p99 !== null && summaries.p99 < MAX_P99_MS },
      },
    };
  } finally {
    agent.destroy();
    await server.stop();
  }
}
