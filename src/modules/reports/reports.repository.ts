// The reports' storage: counting a batch of events into the rollups in one transaction (with the
// state it needs and the position it reached), and reading rollups back summed.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';
import { type Addition, count, keysOf, type StateCache } from './reports.counting.ts';
import type { ReportEvent } from './reports.events.ts';
import type { ReportsTables } from './reports.tables.ts';

type Db = Kysely<ReportsTables>;
type Trx = Transaction<ReportsTables>;

const rowKey = (a: Addition) => `${a.siteId}|${a.metric}|${a.bucket}|${a.agentId}|${a.groupId}|${a.channel}|${a.bin}`;

/** One site's remembered state in a batch: what was loaded, and what the batch changed. */
interface SiteState {
  partnerId: number;
  loaded: Map<string, unknown>;
  changed: Map<string, unknown>;
}

/** Loads the state the events read, by site (a key missing from the table is null). */
async function loadState(trx: Trx, events: StoredEvent<DomainEvent>[]): Promise<Map<number, SiteState>> {
  const sites = new Map<number, SiteState>();
  const wanted = new Map<number, Set<string>>();
  for (const { event, partnerId } of events) {
    if (event.siteId === null || partnerId === null) continue;
    if (!sites.has(event.siteId)) sites.set(event.siteId, { partnerId, loaded: new Map(), changed: new Map() });
    const keys = wanted.get(event.siteId) ?? new Set();
    for (const key of keysOf(event as ReportEvent)) keys.add(key);
    wanted.set(event.siteId, keys);
  }
  for (const [siteId, keys] of wanted) {
    const list = [...keys];
    const site = sites.get(siteId)!;
    for (const key of list) site.loaded.set(key, null);
    for (let i = 0; i < list.length; i += 500) {
      const rows = await trx.selectFrom('report_state').select(['key', 'state']).where('site_id', '=', siteId).where('key', 'in', list.slice(i, i + 500)).execute();
      for (const row of rows) site.loaded.set(row.key, JSON.parse(row.state));
    }
  }
  return sites;
}

/** Sums additions that land on the same row (by `keyOf`). */
function merged(additions: Addition[], keyOf: (a: Addition) => string): Addition[] {
  const rows = new Map<string, Addition>();
  for (const a of additions) {
    const key = keyOf(a);
    const row = rows.get(key);
    if (row) {
      row.n += a.n;
      row.total += a.total;
    } else rows.set(key, { ...a });
  }
  return [...rows.values()];
}

const QUARTERS_A_DAY = 96;

/** Upserts the additions into the quarter-hour rollups and into the site's UTC days. */
async function addAll(trx: Trx, additions: Addition[]): Promise<void> {
  const quarters = merged(additions, rowKey).map((a) => ({ site_id: a.siteId, partner_id: a.partnerId, bucket: a.bucket, metric: a.metric, agent_id: a.agentId, group_id: a.groupId, channel: a.channel, bin: a.bin, n: a.n, total: a.total }));
  for (let i = 0; i < quarters.length; i += 400) {
    await trx
      .insertInto('report_rollups')
      .values(quarters.slice(i, i + 400))
      .onConflict((oc) =>
        oc.columns(['site_id', 'metric', 'bucket', 'agent_id', 'group_id', 'channel', 'bin']).doUpdateSet({
          n: sql`report_rollups.n + excluded.n`,
          total: sql`report_rollups.total + excluded.total`,
        }),
      )
      .execute();
  }
  const dayOf = (a: Addition) => Math.floor(a.bucket / QUARTERS_A_DAY);
  const days = merged(additions, (a) => `${a.siteId}|${a.metric}|${dayOf(a)}|${a.channel}|${a.bin}`).map((a) => ({ site_id: a.siteId, partner_id: a.partnerId, day: dayOf(a), metric: a.metric, channel: a.channel, bin: a.bin, n: a.n, total: a.total }));
  for (let i = 0; i < days.length; i += 400) {
    await trx
      .insertInto('report_days')
      .values(days.slice(i, i + 400))
      .onConflict((oc) =>
        oc.columns(['site_id', 'metric', 'day', 'channel', 'bin']).doUpdateSet({
          n: sql`report_days.n + excluded.n`,
          total: sql`report_days.total + excluded.total`,
        }),
      )
      .execute();
  }
}

/** Writes the state that changed (null: forgotten). */
async function saveState(trx: Trx, sites: Map<number, SiteState>): Promise<void> {
  for (const [siteId, { partnerId, changed }] of sites) {
    const gone = [...changed].filter(([, v]) => v === null).map(([k]) => k);
    for (let i = 0; i < gone.length; i += 500) await trx.deleteFrom('report_state').where('site_id', '=', siteId).where('key', 'in', gone.slice(i, i + 500)).execute();
    const kept = [...changed].filter(([, v]) => v !== null).map(([key, v]) => ({ site_id: siteId, partner_id: partnerId, key, state: JSON.stringify(v) }));
    for (let i = 0; i < kept.length; i += 300) {
      await trx
        .insertInto('report_state')
        .values(kept.slice(i, i + 300))
        .onConflict((oc) => oc.columns(['site_id', 'key']).doUpdateSet({ state: (eb) => eb.ref('excluded.state') }))
        .execute();
    }
  }
}

/** The listener's position row, locked for the transaction on PostgreSQL (SQLite runs one write transaction at a time). */
async function lockPosition(trx: Trx, dialect: Dialect): Promise<{ position: number; rebuildUntil: number }> {
  const q = trx.selectFrom('report_position').select(['position', 'rebuild_until']).where('id', '=', 1);
  const row = await (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirstOrThrow();
  return { position: Number(row.position), rebuildUntil: Number(row.rebuild_until) };
}

/** Counts the events after `position` in the running transaction; returns the new position and how many it counted. */
async function countWithin(trx: Trx, events: StoredEvent<DomainEvent>[], position: number): Promise<{ position: number; counted: number }> {
  const fresh = events.filter((e) => e.id > position);
  if (fresh.length === 0) return { position, counted: 0 };
  const sites = await loadState(trx, fresh);
  const additions: Addition[] = [];
  for (const stored of fresh) {
    const site = stored.event.siteId === null ? undefined : sites.get(stored.event.siteId);
    if (!site) continue;
    const state: StateCache = {
      get: (key) => site.loaded.get(key) ?? null,
      set: (key, value) => {
        site.loaded.set(key, value);
        site.changed.set(key, value);
      },
    };
    count(stored, state, (a) => additions.push(a));
  }
  await addAll(trx, additions);
  await saveState(trx, sites);
  const last = fresh.at(-1)!.id;
  await trx.updateTable('report_position').set({ position: last }).where('id', '=', 1).execute();
  return { position: last, counted: fresh.length };
}

/**
 * The listener's work: counts the events after the stored position, in one transaction with the
 * new position, so an event delivered again adds nothing. While a rebuild runs it counts nothing:
 * the rebuild reads the whole log, these events too. Returns how many it counted.
 */
export async function countEvents(db: Db, dialect: Dialect, events: StoredEvent<DomainEvent>[]): Promise<number> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const { position, rebuildUntil } = await lockPosition(trx, dialect);
    if (rebuildUntil > Date.now()) return 0;
    return (await countWithin(trx, events, position)).counted;
  });
}

/** Reads the log after an event id, through the given transaction when there is one (SQLite has one connection). */
export type LogReader = (after: number, limit: number, trx?: Trx) => Promise<StoredEvent<DomainEvent>[]>;

/** How long a rebuild holds the listener off without renewing (a rebuild that died lets it go on after this). */
const REBUILD_LEASE_MS = 5 * 60_000;

/**
 * Forgets every rollup and counts the log again from its first event, in batches; the listener
 * holds off meanwhile. The last batch and the release are one transaction, so no event is left
 * between the rebuild's last read and the listener's next. Returns how many events it read.
 */
export async function rebuild(db: Db, dialect: Dialect, readLog: LogReader): Promise<number> {
  const lease = () => Date.now() + REBUILD_LEASE_MS;
  await db.transaction().execute(async (trx) => {
    await lockPosition(trx, dialect);
    await trx.deleteFrom('report_rollups').execute();
    await trx.deleteFrom('report_days').execute();
    await trx.deleteFrom('report_state').execute();
    await trx.updateTable('report_position').set({ position: 0, rebuild_until: lease() }).where('id', '=', 1).execute();
  });
  let read = 0;
  let after = 0;
  for (;;) {
    const batch = await readLog(after, 2000);
    if (batch.length < 2000) break;
    await db.transaction().execute(async (trx) => {
      const { position } = await lockPosition(trx, dialect);
      await countWithin(trx, batch, position);
      await trx.updateTable('report_position').set({ rebuild_until: lease() }).where('id', '=', 1).execute();
    });
    read += batch.length;
    after = batch.at(-1)!.id;
  }
  await db.transaction().execute(async (trx) => {
    let { position } = await lockPosition(trx, dialect);
    for (;;) {
      const batch = await readLog(after, 2000, trx);
      if (batch.length === 0) break;
      position = (await countWithin(trx, batch, position)).position;
      read += batch.length;
      after = batch.at(-1)!.id;
    }
    await trx.updateTable('report_position').set({ rebuild_until: 0 }).where('id', '=', 1).execute();
  });
  return read;
}

export async function position(db: Db): Promise<number> {
  const row = await db.selectFrom('report_position').select('position').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.position);
}

/** Which sites' rollups a query sums: one site, a partner's, or every site. */
export type Scope = { siteId: number } | { partnerId: number } | { all: true };

export interface RollupFilter {
  scope: Scope;
  metrics: readonly string[];
  firstQuarter: number;
  endQuarter: number;
  agentId?: number | undefined;
  groupId?: number | undefined;
  channel?: string | undefined;
}

export interface RollupSum {
  metric: string;
  bin: number;
  /** The local hour or day number (see `local`); 0 when not grouped by it. */
  local: number;
  channel: string;
  agentId: number;
  groupId: number;
  n: number;
  total: number;
}

const COLUMN = { channel: 'channel', agent: 'agent_id', group: 'group_id' } as const;
export type GroupBy = keyof typeof COLUMN;

/**
 * Groups by local hours or days: the quarter hours shifted by a fixed offset (the zone's over the
 * filter's stretch) and counted in units of `unitMinutes` (60 or 1440) since the epoch.
 */
export interface LocalUnits {
  offsetMinutes: number;
  unitMinutes: 60 | 1440;
}

/** The rollups of the filter summed per metric and bin, per the columns of `by`, and per local unit when asked. */
export async function sums(db: Db, f: RollupFilter, by: GroupBy[], local?: LocalUnits): Promise<RollupSum[]> {
  const columns = by.map((b) => COLUMN[b]);
  // Whole numbers of our own making, written into the SQL (an integer division on both databases).
  const unit = local ? sql<number>`(bucket * 15 + ${sql.lit(Math.trunc(local.offsetMinutes))}) / ${sql.lit(local.unitMinutes)}` : undefined;
  let q = db
    .selectFrom('report_rollups')
    .select((eb) => ['metric', 'bin', ...columns, eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('total').as('total')])
    .where('metric', 'in', f.metrics)
    .where('bucket', '>=', f.firstQuarter)
    .where('bucket', '<', f.endQuarter);
  if ('siteId' in f.scope) q = q.where('site_id', '=', f.scope.siteId);
  else if ('partnerId' in f.scope) q = q.where('partner_id', '=', f.scope.partnerId);
  if (f.agentId !== undefined) q = q.where('agent_id', '=', f.agentId);
  if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
  if (f.channel !== undefined) q = q.where('channel', '=', f.channel);
  const grouped = unit ? q.select(unit.as('local')).groupBy(['metric', 'bin', ...columns]).groupBy(unit) : q.groupBy(['metric', 'bin', ...columns]);
  const rows = (await grouped.execute()) as { metric: string; bin: number; n: number; total: number; local?: number; channel?: string; agent_id?: number; group_id?: number }[];
  return rows.map((r) => ({
    metric: r.metric,
    bin: Number(r.bin),
    local: Number(r.local ?? 0),
    channel: r.channel ?? '',
    agentId: Number(r.agent_id ?? 0),
    groupId: Number(r.group_id ?? 0),
    n: Number(r.n),
    total: Number(r.total),
  }));
}

/**
 * The rollups of the filter summed per metric, bin and channel, for a filter with no agent or group:
 * whole UTC days from the day rollups (a site's day is one row per metric, channel and bin, where
 * its quarter hours are many), the quarter hours before the first and after the last from the
 * quarter-hour ones.
 */
export async function totals(db: Db, f: RollupFilter): Promise<RollupSum[]> {
  if (f.agentId !== undefined || f.groupId !== undefined) return sums(db, f, ['channel']);
  const firstDay = Math.ceil(f.firstQuarter / QUARTERS_A_DAY);
  const endDay = Math.floor(f.endQuarter / QUARTERS_A_DAY);
  if (endDay <= firstDay) return sums(db, f, ['channel']);
  const edges = [
    { ...f, endQuarter: firstDay * QUARTERS_A_DAY },
    { ...f, firstQuarter: endDay * QUARTERS_A_DAY },
  ].filter((e) => e.endQuarter > e.firstQuarter);
  let q = db
    .selectFrom('report_days')
    .select((eb) => ['metric', 'bin', 'channel', eb.fn.sum<number>('n').as('n'), eb.fn.sum<number>('total').as('total')])
    .where('metric', 'in', f.metrics)
    .where('day', '>=', firstDay)
    .where('day', '<', endDay);
  if ('siteId' in f.scope) q = q.where('site_id', '=', f.scope.siteId);
  else if ('partnerId' in f.scope) q = q.where('partner_id', '=', f.scope.partnerId);
  if (f.channel !== undefined) q = q.where('channel', '=', f.channel);
  const days = (await q.groupBy(['metric', 'bin', 'channel']).execute()).map((r) => ({ metric: r.metric, bin: Number(r.bin), local: 0, channel: r.channel, agentId: 0, groupId: 0, n: Number(r.n), total: Number(r.total) }));
  const parts = await Promise.all(edges.map((e) => sums(db, e, ['channel'])));
  return [...days, ...parts.flat()];
}

/** Agents' current statuses and since when (the open stretch of time the rollups do not hold yet). */
export async function agentStatuses(db: Db, scope: Scope): Promise<{ siteId: number; agentId: number; status: string; since: number }[]> {
  let q = db.selectFrom('report_state').select(['site_id', 'key', 'state']).where('key', 'like', 'agent:%');
  if ('siteId' in scope) q = q.where('site_id', '=', scope.siteId);
  else if ('partnerId' in scope) q = q.where('partner_id', '=', scope.partnerId);
  const rows = await q.execute();
  return rows.map((r) => {
    const s = JSON.parse(r.state) as { status: string; since: number };
    return { siteId: Number(r.site_id), agentId: Number(r.key.slice('agent:'.length)), status: s.status, since: s.since };
  });
}
