// The reports' storage: counting a batch of events into the rollups in one transaction (with the
// state it needs and the position it reached), and reading rollups back summed.
import { type Kysely, sql, type Transaction } from 'kysely';
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

/** Upserts the additions, summed per rollup row. */
async function addAll(trx: Trx, additions: Addition[]): Promise<void> {
  const rows = new Map<string, Addition>();
  for (const a of additions) {
    const key = rowKey(a);
    const row = rows.get(key);
    if (row) {
      row.n += a.n;
      row.total += a.total;
    } else rows.set(key, { ...a });
  }
  const values = [...rows.values()].map((a) => ({ site_id: a.siteId, partner_id: a.partnerId, bucket: a.bucket, metric: a.metric, agent_id: a.agentId, group_id: a.groupId, channel: a.channel, bin: a.bin, n: a.n, total: a.total }));
  for (let i = 0; i < values.length; i += 400) {
    await trx
      .insertInto('report_rollups')
      .values(values.slice(i, i + 400))
      .onConflict((oc) =>
        oc.columns(['site_id', 'metric', 'bucket', 'agent_id', 'group_id', 'channel', 'bin']).doUpdateSet({
          n: sql`report_rollups.n + excluded.n`,
          total: sql`report_rollups.total + excluded.total`,
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

/**
 * Counts the events after the stored position, in one transaction with the new position: an event
 * delivered again (or counted by a rebuild already) adds nothing. Returns how many were counted.
 */
export async function countEvents(db: Db, events: StoredEvent<DomainEvent>[]): Promise<number> {
  if (events.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    const { position } = await trx.selectFrom('report_position').select('position').where('id', '=', 1).executeTakeFirstOrThrow();
    const fresh = events.filter((e) => e.id > Number(position));
    if (fresh.length === 0) return 0;
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
    await trx.updateTable('report_position').set({ position: fresh.at(-1)!.id }).where('id', '=', 1).execute();
    return fresh.length;
  });
}

/** Forgets every rollup and state, back to before the first event (the rebuild's first step). */
export async function clearAll(db: Db): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('report_rollups').execute();
    await trx.deleteFrom('report_state').execute();
    await trx.updateTable('report_position').set({ position: 0 }).where('id', '=', 1).execute();
  });
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
  /** 0 (or '') when not grouped by it. */
  bucket: number;
  channel: string;
  agentId: number;
  groupId: number;
  n: number;
  total: number;
}

const COLUMN = { bucket: 'bucket', channel: 'channel', agent: 'agent_id', group: 'group_id' } as const;
export type GroupBy = keyof typeof COLUMN;

/** The rollups of the filter summed per metric and bin, and per the columns of `by`. */
export async function sums(db: Db, f: RollupFilter, by: GroupBy[]): Promise<RollupSum[]> {
  const columns = by.map((b) => COLUMN[b]);
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
  const rows = (await q.groupBy(['metric', 'bin', ...columns]).execute()) as { metric: string; bin: number; n: number; total: number; bucket?: number; channel?: string; agent_id?: number; group_id?: number }[];
  return rows.map((r) => ({
    metric: r.metric,
    bin: Number(r.bin),
    bucket: Number(r.bucket ?? 0),
    channel: r.channel ?? '',
    agentId: Number(r.agent_id ?? 0),
    groupId: Number(r.group_id ?? 0),
    n: Number(r.n),
    total: Number(r.total),
  }));
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
