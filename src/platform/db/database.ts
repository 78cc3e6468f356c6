// Opens the configured database (embedded SQLite or PostgreSQL) behind one Kysely instance.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { openSqlite } from './node-sqlite.ts';

export type Dialect = 'sqlite' | 'postgres';

/**
 * A connection or a transaction as one module hands it to another through a door, so that the
 * call joins the caller's transaction. The callee types it with its own tables: a `Kysely<any>` is
 * assignable to any `Kysely<T>`, so no module sees another's tables through it.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; typed by the module that receives it
export type Executor = Kysely<any>;

/** The database of a node; `DB` is every table of every module (src/modules/tables.ts). */
export interface Database<DB> {
  db: Kysely<DB>;
  dialect: Dialect;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /**
   * PostgreSQL only: calls `onAppended` whenever any node commits events to this schema's log
   * (LISTEN on the trigger's NOTIFY, on a connection of its own that is re-opened if lost);
   * resolves to the unsubscribe. SQLite has none: one process writes, others poll.
   */
  notifications?: ((onAppended: () => void) => Promise<() => Promise<void>>) | undefined;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (ids, counts) as strings and timestamps as Dates; Parley uses numbers
// (ids stay below 2^53) and ISO-8601 strings on both databases.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v) => new Date(`${v}Z`).toISOString());

/** Opens the database named by a `sqlite:<file>` or `postgres://…` URL. */
export function openDatabase<DB>(databaseUrl: string, onPoolError: (err: Error) => void = () => {}): Database<DB> {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: openSqlite(file) }) });
    return wrap(db, 'sqlite');
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle client that loses its server must not crash the process; the pool replaces it.
  pool.on('error', onPoolError);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { ...wrap(db, 'postgres'), notifications: (onAppended) => listenForEvents(databaseUrl, onAppended, onPoolError) };
}

/** Holds a LISTEN connection for the event log's NOTIFY; re-opens it a second after a failure. */
async function listenForEvents(databaseUrl: string, onAppended: () => void, onError: (err: Error) => void): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const open = async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    c.on('error', (err) => {
      onError(err);
      void c.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void open().catch(onError), 1000);
    });
    await c.connect();
    // Every test (or tenant) schema shares the channel; the payload says whose log moved.
    const { rows } = await c.query<{ schema: string }>('select current_schema() as schema');
    const schema = rows[0]?.schema;
    c.on('notification', (n) => {
      if (n.payload === schema) onAppended();
    });
    await c.query('listen parley_events');
    client = c;
    // Events may have committed while the connection was down.
    onAppended();
  };
  await open();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

function wrap<DB>(db: Kysely<DB>, dialect: Dialect): Database<DB> {
  return {
    db,
    dialect,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

/** True for a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  if (e?.code === '23505') return true; // PostgreSQL unique_violation
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
  return e?.errcode === 2067 || e?.errcode === 1555;
}
