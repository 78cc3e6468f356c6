// Adapts node:sqlite's DatabaseSync to the small interface Kysely's SqliteDialect drives, so the
// embedded default needs no native addon.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

function bindable(value: unknown): SQLInputValue {
  // node:sqlite binds numbers, bigints, strings, bytes and null only.
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}

// Kysely prepares a statement for every query; preparing is a fifth of the server's busy CPU at
// peak (docs/performance.md), so the prepared statements of recent SQL texts are kept and reused.
// Reuse is safe for all() and run(), which finish before returning on this one thread; iterate()
// gets a statement of its own, since an open iterator holds its statement.
const cachedStatements = 256;

class Statement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;
  readonly #fresh: () => StatementSync;
  constructor(stmt: StatementSync, reader: boolean, fresh: () => StatementSync) {
    this.#stmt = stmt;
    this.reader = reader;
    this.#fresh = fresh;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...parameters.map(bindable));
  }
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#stmt.run(...parameters.map(bindable));
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#fresh().iterate(...parameters.map(bindable));
  }
}

/** Opens a SQLite file with WAL, foreign keys and a busy timeout, wrapped for Kysely. */
export function openSqlite(file: string): SqliteDatabase {
  const db = new DatabaseSync(file, { timeout: 5000 });
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA synchronous = NORMAL');
  // SQLite's own lower() folds ASCII only; searches fold every script, as PostgreSQL's lower() does.
  db.function('lower', { deterministic: true }, (v) => (typeof v === 'string' ? v.toLowerCase() : v));
  // Least recently used first: a hit moves its entry to the end.
  const cache = new Map<string, { stmt: StatementSync; reader: boolean }>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string) => {
      let entry = cache.get(sql);
      if (entry === undefined) {
        const stmt = db.prepare(sql);
        entry = { stmt, reader: stmt.columns().length > 0 };
        if (cache.size >= cachedStatements) cache.delete(cache.keys().next().value!);
      } else {
        cache.delete(sql);
      }
      cache.set(sql, entry);
      return new Statement(entry.stmt, entry.reader, () => db.prepare(sql));
    },
  };
}
