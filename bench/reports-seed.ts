// The reports benchmark's seeding process, started by reports.ts on a fresh data directory (after
// the demo CLI, before Parley starts). Through Parley's own services it creates the partners, their
// sites, each site's admin, agents and groups; then it appends the synthetic history
// (reports-history.ts) straight into the `events` table in big transactions, as the event log would
// have appended it, and reports over IPC what it made.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { createParley } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { chatsPerSite, type HistorySite, history } from './reports-history.ts';

/** What the bench asks for (argv[2], as JSON). */
export interface SeedRequest {
  chats: number;
  sites: number;
  days: number;
  seed: number;
}

/** A seeded site, with its admin's credentials for the Report API. */
export interface SeededSite {
  siteId: number;
  partnerId: number;
  timezone: string;
  chats: number;
  agentCount: number;
  groupCount: number;
  admin: { email: string; password: string };
}

/** The IPC answer. */
export interface SeedReport {
  type: 'seeded';
  partners: { partnerId: number; sites: number; chats: number }[];
  sites: SeededSite[];
  tenantsSeconds: number;
  events: number;
  eventsByType: Record<string, number>;
  seedSeconds: number;
  databaseBytes: number;
}

const PASSWORD = 'bench-reports-password';
// Partner shares of the sites: 40%, 30%, 20%, 10%, spread over big and small sites alike.
const PARTNER_OF_SITE = [0, 1, 0, 2, 1, 0, 3, 1, 2, 0];
// Site time zones and their offsets (the history plays without DST); most sites are in Taiwan.
const ZONES: [string, number][] = [
  ['Asia/Taipei', 480],
  ['Asia/Taipei', 480],
  ['Asia/Tokyo', 540],
  ['Asia/Taipei', 480],
  ['Asia/Kolkata', 330],
  ['Asia/Taipei', 480],
  ['Europe/London', 0],
  ['Asia/Taipei', 480],
  ['America/New_York', -300],
  ['Asia/Taipei', 480],
];
const GROUP_NAMES = ['Sales', 'Support', 'Billing'];
// Rows per transaction of the bulk append.
const ROWS_PER_TRANSACTION = 100_000;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Partners, sites, admins, agents and groups, through the services the API uses. */
async function createTenants(request: SeedRequest): Promise<{ sites: (SeededSite & HistorySite)[]; databaseUrl: string }> {
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  const parley = await createParley(config);
  try {
    const { partners, tenancy, agents } = parley.services;
    const partnerIds: number[] = [];
    for (let p = 0; p < 4; p++) {
      const partner = await partners.create({ name: `Bench Partner ${p + 1}`, slug: `bench-partner-${p + 1}`, contactName: 'Bench Contact', contactEmail: `partner-${p + 1}@bench.parley.local` });
      partnerIds.push(partner.id);
    }
    const volumes = chatsPerSite(request.chats, request.sites);
    const sites: (SeededSite & HistorySite)[] = [];
    for (let i = 0; i < request.sites; i++) {
      const partnerId = partnerIds[PARTNER_OF_SITE[i % PARTNER_OF_SITE.length]!]!;
      const site = await tenancy.createSite(partnerId, { company: `Bench Shop ${i + 1}`, website: `https://shop-${i + 1}.bench.example` });
      const admin = { email: `admin@shop-${i + 1}.bench.example`, password: PASSWORD };
      const created = await agents.create({ siteId: site.id, system: true }, { ...admin, name: `Admin ${i + 1}`, role: 'admin' });
      // A handful of agents: three on a small site, up to twelve on the busiest.
      const chats = volumes[i]!;
      const count = Math.min(12, 3 + Math.round(chats / 8000));
      const agentIds = (
        await Promise.all(
          Array.from({ length: count }, (_, a) => agents.create({ siteId: site.id, system: true }, { email: `agent-${a + 1}@shop-${i + 1}.bench.example`, password: PASSWORD, name: `Agent ${a + 1}` })),
        )
      ).map((agent) => agent.id);
      const ctx = { siteId: site.id, actor: { kind: 'agent' as const, agentId: created.id, siteId: site.id, role: 'admin' as const, tokenId: 0, sessionId: 0 } };
      const groups = [];
      for (const [g, name] of GROUP_NAMES.slice(0, chats > 10_000 ? 3 : 2).entries()) {
        const members = agentIds.filter((_, a) => a % 3 === g % 3 || a % 4 === g);
        const group = await agents.createGroup(ctx, { name, agentIds: members });
        groups.push({ id: group.id, agentIds: members });
      }
      const [timezone, offsetMinutes] = ZONES[i % ZONES.length]!;
      sites.push({ siteId: site.id, partnerId, timezone, offsetMinutes, chats, agentCount: count, groupCount: groups.length, admin, agentIds, groups });
      if ((i + 1) % 20 === 0) log(`${i + 1} of ${request.sites} sites created`);
    }
    return { sites, databaseUrl: config.databaseUrl };
  } finally {
    await parley.close();
  }
}

/** Appends the history to the events table; returns how many rows of each type. */
function appendHistory(file: string, request: SeedRequest, sites: HistorySite[]): Record<string, number> {
  const db = new DatabaseSync(file);
  // A bulk load on a database nobody else has open: no WAL to checkpoint, no fsync per commit.
  db.exec('PRAGMA journal_mode = DELETE');
  db.exec('PRAGMA synchronous = OFF');
  db.exec('PRAGMA cache_size = -262144');
  const insert = db.prepare('insert into events (site_id, partner_id, type, payload, created_at) values (?, ?, ?, ?, ?)');
  const byType: Record<string, number> = {};
  let rows = 0;
  let inTransaction = 0;
  let nextReport = 1_000_000;
  const started = performance.now();
  db.exec('begin');
  for (const batch of history({ sites, days: request.days, now: Date.now(), seed: request.seed })) {
    for (const row of batch) {
      insert.run(row.siteId, row.partnerId, row.type, row.payload, new Date(row.at).toISOString());
      byType[row.type] = (byType[row.type] ?? 0) + 1;
      rows++;
      if (++inTransaction === ROWS_PER_TRANSACTION) {
        db.exec('commit');
        db.exec('begin');
        inTransaction = 0;
      }
    }
    if (rows >= nextReport) {
      const seconds = (performance.now() - started) / 1000;
      log(`${rows.toLocaleString('en')} events appended (${Math.round(rows / seconds).toLocaleString('en')}/s)`);
      nextReport += 1_000_000;
    }
  }
  db.exec('commit');
  // Parley opens its database in WAL mode; it finds it so again.
  db.exec('PRAGMA journal_mode = WAL');
  db.close();
  return byType;
}

try {
  const request = JSON.parse(process.argv[2] ?? '{}') as SeedRequest;
  let started = performance.now();
  const { sites, databaseUrl } = await createTenants(request);
  const tenantsSeconds = (performance.now() - started) / 1000;
  log(`${sites.length} sites of 4 partners with their agents and groups in ${tenantsSeconds.toFixed(1)} s; appending the history`);
  if (!databaseUrl.startsWith('sqlite:')) throw new Error('the reports bench seeds SQLite only');
  const file = databaseUrl.slice('sqlite:'.length);
  started = performance.now();
  const eventsByType = appendHistory(file, request, sites);
  const seedSeconds = (performance.now() - started) / 1000;
  const partners = [...new Set(sites.map((s) => s.partnerId))].map((partnerId) => {
    const own = sites.filter((s) => s.partnerId === partnerId);
    return { partnerId, sites: own.length, chats: own.reduce((n, s) => n + s.chats, 0) };
  });
  const report: SeedReport = {
    type: 'seeded',
    partners,
    sites: sites.map(({ siteId, partnerId, timezone, chats, agentCount, groupCount, admin }) => ({ siteId, partnerId, timezone, chats, agentCount, groupCount, admin })),
    tenantsSeconds,
    events: Object.values(eventsByType).reduce((a, b) => a + b, 0),
    eventsByType,
    seedSeconds,
    databaseBytes: fs.statSync(file).size,
  };
  process.send?.(report, () => process.disconnect());
} catch (err) {
  process.send?.({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.disconnect());
  process.exitCode = 1;
}
