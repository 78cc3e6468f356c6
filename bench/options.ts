// The bench's knobs, read from environment variables. The defaults finish in about 22 minutes on a
// 2-core machine whose open-file limit is 20,000, most of it the reports benchmark counting its
// history (see docs/performance.md).
import { type BaselineCommit, resolveCommit } from './baseline-tree.ts';

/** What one `npm run bench` measures and for how long. */
export interface BenchOptions {
  /** Idle real-time connections held by each server (BENCH_CONNECTIONS). */
  connections: number;
  /** Seconds the idle connections are held before the "after" sample; above the 25 s ping interval (BENCH_HOLD_SECONDS). */
  holdSeconds: number;
  /** Most sockets one client process opens (BENCH_CLIENTS_PER_PROCESS). */
  clientsPerProcess: number;
  /** Concurrent chats, each a closed-loop sender, in the peak-throughput run (BENCH_CONCURRENCY). */
  concurrency: number;
  /** Measured seconds of each message-throughput run (BENCH_DURATION_SECONDS). */
  durationSeconds: number;
  /** Unmeasured seconds before each message-throughput run, for the JIT and caches (BENCH_WARMUP_SECONDS). */
  warmupSeconds: number;
  /** Benchmarks to run, by name; all when BENCH_ONLY is unset. */
  only: string[];
  /**
   * A commit whose Parley the peak-throughput runs are compared against, interleaved with the
   * working tree's (BENCH_BASELINE, any git commit-ish); null for no comparison.
   */
  baseline: BaselineCommit | null;
  /**
   * Baseline/working-tree pairs of peak runs in a comparison (BENCH_ROUNDS). Alternating, rather
   * than all of one side and then the other, spreads slow drift of a shared machine over both sides.
   */
  rounds: number;
  /** Chats in the reports benchmark's synthetic history (BENCH_REPORT_CHATS). */
  reportChats: number;
  /** Sites they are spread over (BENCH_REPORT_SITES). */
  reportSites: number;
  /** Measured requests of each kind in the reports benchmark, after its warm-up (BENCH_REPORT_REQUESTS). */
  reportRequests: number;
  /**
   * How the reports benchmark has Parley count its history (BENCH_REPORT_COUNTING): `rebuild`, with
   * `npm run reports:rebuild` before the server starts, or `listener`, by the running server's
   * `reports` listener catching up from the start of the log.
   */
  reportCounting: 'rebuild' | 'listener';
}

export const benchmarkNames = ['idle-connections', 'message-throughput', 'reports'] as const;

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min} (got "${raw}")`);
  return n;
}

// Resolved here, before anything runs, so a mistyped commit fails in a second and not after (a).
function baseline(env: NodeJS.ProcessEnv): BaselineCommit | null {
  const ref = env.BENCH_BASELINE?.trim() ?? '';
  if (ref === '') return null;
  const resolved = resolveCommit(ref);
  if (resolved === null) throw new Error(`BENCH_BASELINE must name a commit of this repository (got "${ref}")`);
  return resolved;
}

function counting(env: NodeJS.ProcessEnv): BenchOptions['reportCounting'] {
  const raw = env.BENCH_REPORT_COUNTING?.trim() || 'rebuild';
  if (raw !== 'rebuild' && raw !== 'listener') throw new Error(`BENCH_REPORT_COUNTING must be rebuild or listener (got "${raw}")`);
  return raw;
}

/** Reads the options; throws naming the variable when one is not usable. */
export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const only = (env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of only) {
    if (!(benchmarkNames as readonly string[]).includes(name)) {
      throw new Error(`BENCH_ONLY names an unknown benchmark "${name}" (known: ${benchmarkNames.join(', ')})`);
    }
  }
  return {
    connections: whole(env, 'BENCH_CONNECTIONS', 19_000, 1),
    holdSeconds: whole(env, 'BENCH_HOLD_SECONDS', 30, 0),
    clientsPerProcess: whole(env, 'BENCH_CLIENTS_PER_PROCESS', 10_000, 1),
    concurrency: whole(env, 'BENCH_CONCURRENCY', 32, 1),
    durationSeconds: whole(env, 'BENCH_DURATION_SECONDS', 20, 1),
    warmupSeconds: whole(env, 'BENCH_WARMUP_SECONDS', 3, 0),
    rounds: whole(env, 'BENCH_ROUNDS', 3, 1),
    reportChats: whole(env, 'BENCH_REPORT_CHATS', 1_000_000, 1),
    reportSites: whole(env, 'BENCH_REPORT_SITES', 100, 1),
    reportRequests: whole(env, 'BENCH_REPORT_REQUESTS', 500, 1),
    reportCounting: counting(env),
    only: only.length > 0 ? only : [...benchmarkNames],
    baseline: baseline(env),
  };
}
