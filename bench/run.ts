// `npm run bench`: runs every benchmark (or those in BENCH_ONLY) once, writes
// bench/results/<name>.json for each, and regenerates the figures table in docs/performance.md.
// Never part of `npm test`. Knobs: see options.ts and docs/performance.md.
import { runIdleConnections } from './idle-connections.ts';
import { runMessageThroughput } from './message-throughput.ts';
import { readOptions } from './options.ts';
import { runReports } from './reports.ts';
import { renderFigures } from './summary.ts';
import { updatePerformanceDoc, writeResult } from './report.ts';

const benchmarks = {
  'idle-connections': runIdleConnections,
  'message-throughput': runMessageThroughput,
  reports: runReports,
} as const;

async function main(): Promise<void> {
  const options = readOptions();
  process.stderr.write(`bench: ${JSON.stringify(options)}\n`);
  for (const name of options.only as (keyof typeof benchmarks)[]) {
    const started = new Date();
    process.stderr.write(`\nbench: ${name} started ${started.toISOString()}\n`);
    const { parameters, figures } = await benchmarks[name](options);
    const file = writeResult(name, started, parameters, figures);
    process.stderr.write(`bench: ${name} written to ${file}\n`);
  }
  const table = renderFigures();
  process.stdout.write(`\n${table}\n`);
  if (!updatePerformanceDoc(table)) process.stderr.write('bench: docs/performance.md has no figures markers; table printed above only\n');
}

// Either way, the exit handler in processes.ts kills any child still running and removes temp dirs.
try {
  await main();
  process.exit(0);
} catch (err) {
  process.stderr.write(`\nbench: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}
