// `npm run migrate`: brings the configured database to the latest schema and exits.
import { ConfigError, loadConfig } from '../config.ts';
import { migrateToLatest } from '../migrations/index.ts';
import { openDatabase } from '../platform/db/database.ts';

try {
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl);
  try {
    const applied = await migrateToLatest(database.db, database.dialect);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
  } finally {
    await database.close();
  }
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
