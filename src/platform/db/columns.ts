// Column shapes every module's tables use. Booleans read back as 0/1 on SQLite and true/false on
// PostgreSQL: read them through `flag()`.
import type { ColumnType, Generated } from 'kysely';

export type Id = Generated<number>;
export type Flag = ColumnType<boolean | number, boolean | undefined, boolean>;
export type CreatedAt = ColumnType<string, string | undefined, never>;
export type Timestamp = ColumnType<string, string | undefined, string>;

/** Reads a boolean column the same way on SQLite (0/1) and PostgreSQL (true/false). */
export function flag(v: boolean | number): boolean {
  return v === true || v === 1;
}
