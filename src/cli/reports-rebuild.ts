// `npm run reports:rebuild`: forgets the report rollups and counts the whole event log again into
// the configured database (docs/reports.md), then prints one JSON object on its last line. Safe
// while Parley runs: the nodes' `reports` listener holds off until the rebuild has read the log.
import { performance } from 'node:perf_hooks';
import { createParley } from '../app.ts';
import { ConfigError, loadConfig } from '../config.ts';

try {
  const config = { ...loadConfig(), logLevel: 'warn' as const };
  const parley = await createParley(config);
  try {
    const started = performance.now();
    const { events } = await parley.services.reports.rebuildFromLog();
    const seconds = Math.round((performance.now() - started) / 10) / 100;
    const perSecond = seconds > 0 ? Math.round(events / seconds) : events;
    process.stdout.write(`Counted the event log into the reports: ${events} events in ${seconds} s (${perSecond} events/s).\n`);
    process.stdout.write(`${JSON.stringify({ events, seconds, eventsPerSecond: perSecond })}\n`);
  } finally {
    await parley.close();
  }
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
