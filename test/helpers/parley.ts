// Starts a real Parley node on an ephemeral port for a test, on SQLite (a fresh file) or, when
// PARLEY_TEST_DB=postgres, on a fresh schema of PARLEY_TEST_DATABASE_URL. Closed when the test ends.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import pg from 'pg';
import { createParley, type Parley, type ParleyOverrides } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';

export interface Running {
  parley: Parley;
  url: string;
  config: Config;
}

/** True when this run targets PostgreSQL. */
export const onPostgres = process.env.PARLEY_TEST_DB === 'postgres';

type Cleanup = () => void | Promise<void>;

/** A database of this test alone: a SQLite file in `dataDir`, or a fresh PostgreSQL schema. */
export async function freshDatabaseUrl(cleanups: Cleanup[], dataDir: string): Promise<string> {
  if (!onPostgres) return `sqlite:${path.join(dataDir, 'parley.db')}`;
  const base = process.env.PARLEY_TEST_DATABASE_URL;
  if (!base) throw new Error('PARLEY_TEST_DB=postgres needs PARLEY_TEST_DATABASE_URL');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  });
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/**
 * Starts Parley for one test; extra environment variables override the defaults, and `overrides`
 * stand in for third-party services (e.g. DNS for custom domains).
 */
export async function startParley(t: TestContext, env: Record<string, string> = {}, overrides: ParleyOverrides = {}): Promise<Running> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
  // Undone in reverse: the node closes before its database and data dir go away.
  const cleanups: Cleanup[] = [() => fs.rmSync(dataDir, { recursive: true, force: true })];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  const config = loadConfig({
    PARLEY_HOST: '127.0.0.1',
    PARLEY_PORT: '0',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_LOG_LEVEL: process.env.PARLEY_TEST_LOG_LEVEL ?? 'silent',
    PARLEY_ADMIN_EMAIL: 'admin@test.parley',
    PARLEY_ADMIN_PASSWORD: 'admin-password',
    DATABASE_URL: await freshDatabaseUrl(cleanups, dataDir),
    ...env,
  });
  const parley = await createParley(config, overrides);
  cleanups.push(() => parley.close());
  const url = await parley.listen();
  return { parley, url, config };
}

/**
 * Stops a node the way a deploy or a crash-free restart does, and starts another on the same
 * database and data directory (on a new port); closed when the test ends.
 */
export async function restartParley(t: TestContext, app: Running): Promise<Running> {
  await app.parley.close();
  const parley = await createParley(app.config);
  t.after(() => parley.close());
  const url = await parley.listen();
  return { parley, url, config: app.config };
}
