// One ordered migration set for both databases. Each migration receives a context that hides the
// few type differences (identity columns, booleans, timestamps) between SQLite and PostgreSQL.
import { type ColumnDataType, type ColumnDefinitionBuilder, type Expression, type Kysely, sql } from 'kysely';
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration';
import type { Dialect } from '../platform/db/database.ts';
import * as m0001 from './0001_tenancy.ts';
import * as m0002 from './0002_operator.ts';
import * as m0003 from './0003_token_sessions.ts';
import * as m0004 from './0004_im.ts';
import * as m0005 from './0005_partners.ts';
import * as m0006 from './0006_sso.ts';
import * as m0007 from './0007_console.ts';
import * as m0008 from './0008_events.ts';
import * as m0009 from './0009_control_panel.ts';
import * as m0010 from './0010_embed_origins.ts';
import * as m0011 from './0011_webview.ts';
import * as m0012 from './0012_reports.ts';

export interface MigrationContext {
  dialect: Dialect;
  types: {
    id: ColumnDataType;
    ref: ColumnDataType;
    bool: ColumnDataType;
    ts: ColumnDataType;
    now: Expression<unknown>;
  };
  true: Expression<unknown>;
  false: Expression<unknown>;
  identity(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
}

interface Step {
  // biome-ignore lint/suspicious/noExplicitAny: migrations see the schema of their own time
  up(db: Kysely<any>, ctx: MigrationContext): Promise<void>;
}

const steps: Record<string, Step> = {
  '0001_tenancy': m0001,
  '0002_operator': m0002,
  '0003_token_sessions': m0003,
  '0004_im': m0004,
  '0005_partners': m0005,
  '0006_sso': m0006,
  '0007_console': m0007,
  '0008_events': m0008,
  '0009_control_panel': m0009,
  '0010_embed_origins': m0010,
  '0011_webview': m0011,
  '0012_reports': m0012,
};

function context(dialect: Dialect): MigrationContext {
  const pgsql = dialect === 'postgres';
  return {
    dialect,
    types: {
      id: pgsql ? 'bigint' : 'integer',
      ref: pgsql ? 'bigint' : 'integer',
      bool: pgsql ? 'boolean' : 'integer',
      ts: pgsql ? 'timestamptz' : 'text',
      now: pgsql ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    },
    true: pgsql ? sql`true` : sql`1`,
    false: pgsql ? sql`false` : sql`0`,
    identity: (c) => (pgsql ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()),
  };
}

/** Builds a Kysely migrator over Parley's migration set for the given dialect. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function createMigrator(db: Kysely<any>, dialect: Dialect): Promise<Migrator> {
  const ctx = context(dialect);
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of Object.entries(steps)) out[name] = { up: (d) => step.up(d, ctx) };
      return out;
    },
  };
  // Kysely looks for its bookkeeping tables in every schema; pin them to the one in use, so a
  // database whose search_path names another schema (as each test run's does) is migrated there.
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({ db, provider, ...(migrationTableSchema && { migrationTableSchema }) });
}

/** Runs every pending migration; throws with the failing migration's error. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const { error, results } = await (await createMigrator(db, dialect)).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
