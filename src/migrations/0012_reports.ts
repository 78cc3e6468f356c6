// Reports (docs/reports.md): rollups the `reports` listener keeps from the event log, the per-chat
// and per-agent state it needs between events, and how far into the log it has counted.
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './index.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was, not the current DB type
type AnyDb = Kysely<any>;

/** Adds the report rollups and the listener's state. */
export async function up(db: AnyDb, m: MigrationContext): Promise<void> {
  const { ref } = m.types;
  const big = m.dialect === 'postgres' ? 'bigint' : 'integer';
  // One row per quarter hour (UTC), metric, histogram bin and agent, group and channel: quarter
  // hours let any time zone's hours and days be summed from them, half- and quarter-hour offsets too.
  await db.schema
    .createTable('report_rollups')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('partner_id', ref, (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('agent_id', ref, (c) => c.notNull())
    .addColumn('group_id', ref, (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bin', 'integer', (c) => c.notNull())
    .addColumn('n', big, (c) => c.notNull())
    .addColumn('total', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('report_rollups_pk', ['site_id', 'metric', 'bucket', 'agent_id', 'group_id', 'channel', 'bin'])
    // SQLite keeps the rows in key order: a site's metric over a range is one contiguous read, with
    // its counts, and no lookup per row (PostgreSQL gets a covering index instead, below).
    .$call((t) => (m.dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  if (m.dialect === 'postgres') {
    await sql`create index report_rollups_site on report_rollups (site_id, metric, bucket) include (agent_id, group_id, channel, bin, n, total)`.execute(db);
  }
  // The partner's roll-up and every partner's: the same, by partner, and for all.
  await db.schema.createIndex('report_rollups_partner').on('report_rollups').columns(['partner_id', 'metric', 'bucket', 'channel', 'bin', 'n', 'total']).execute();
  await db.schema.createIndex('report_rollups_metric').on('report_rollups').columns(['metric', 'bucket', 'channel', 'bin', 'n', 'total']).execute();

  // The same summed per UTC day, without agents and groups: a summary over many days reads these
  // (and quarter hours only at its ends), a site's day being one row where its quarter hours are many.
  await db.schema
    .createTable('report_days')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('partner_id', ref, (c) => c.notNull())
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bin', 'integer', (c) => c.notNull())
    .addColumn('n', big, (c) => c.notNull())
    .addColumn('total', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('report_days_pk', ['site_id', 'metric', 'day', 'channel', 'bin'])
    .$call((t) => (m.dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  if (m.dialect === 'postgres') {
    await sql`create index report_days_site on report_days (site_id, metric, day) include (channel, bin, n, total)`.execute(db);
  }
  await db.schema.createIndex('report_days_partner').on('report_days').columns(['partner_id', 'metric', 'day', 'channel', 'bin', 'n', 'total']).execute();
  await db.schema.createIndex('report_days_metric').on('report_days').columns(['metric', 'day', 'channel', 'bin', 'n', 'total']).execute();

  // What the listener remembers between events, by key: a chat's story so far (`chat:<id>`, its
  // figures are counted when it ends), an agent's status and since when (`agent:<id>`), and the
  // survey answer or robot rating an answer again replaces (`survey:<chat>`, `rating:<message>`).
  await db.schema
    .createTable('report_state')
    .addColumn('site_id', ref, (c) => c.notNull().references('sites.id').onDelete('cascade'))
    .addColumn('partner_id', ref, (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_state_pk', ['site_id', 'key'])
    .execute();

  // The last event counted, written with what it changed: a repeated delivery counts nothing twice.
  await db.schema
    .createTable('report_position')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('position', big, (c) => c.notNull())
    // A rebuild under way holds the listener off until then (ms since the epoch; 0: none).
    .addColumn('rebuild_until', big, (c) => c.notNull())
    .execute();
  await db.insertInto('report_position').values({ id: 1, position: 0, rebuild_until: 0 }).execute();
}
