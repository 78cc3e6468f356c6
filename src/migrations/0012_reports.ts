// Reports (docs/reports.md): rollups the `reports` listener keeps from the event log, the per-chat
// and per-agent state it needs between events, and how far into the log it has counted.
import type { Kysely } from 'kysely';
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
    .execute();
  await db.schema.createIndex('report_rollups_partner').on('report_rollups').columns(['partner_id', 'metric', 'bucket']).execute();
  await db.schema.createIndex('report_rollups_metric').on('report_rollups').columns(['metric', 'bucket']).execute();

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
    .execute();
  await db.insertInto('report_position').values({ id: 1, position: 0 }).execute();
}
