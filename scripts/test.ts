// `npm test`: every test file on the embedded SQLite database, then again on PostgreSQL when
// PARLEY_TEST_DATABASE_URL is set. Ends with one "N passed, N failed" line over all runs.
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';

const files = [...globSync('src/**/*.test.ts'), ...globSync('test/**/*.test.ts')].sort();
const runs: { name: string; env: Record<string, string> }[] = [{ name: 'SQLite', env: { PARLEY_TEST_DB: 'sqlite' } }];
if (process.env.PARLEY_TEST_DATABASE_URL) runs.push({ name: 'PostgreSQL', env: { PARLEY_TEST_DB: 'postgres' } });

let passed = 0;
let failed = 0;
for (const run of runs) {
  process.stdout.write(`\n=== ${files.length} test files on ${run.name} ===\n`);
  const result = spawnSync(
    process.execPath,
    ['--test', '--test-timeout=120000', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=.test-tap.log', ...files],
    { env: { ...process.env, ...run.env }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  process.stdout.write(result.stdout);
  const count = (label: string) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(result.stdout)?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail');
  if (result.status !== 0 && count('fail') === 0) failed += 1; // the runner itself failed
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
