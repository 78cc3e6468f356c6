// Where results go: bench/results/<name>.json, one file per benchmark, each with the machine and
// the code it ran on; and the figures table in docs/performance.md, between two markers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFileLimits } from './processes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const resultsDir = path.join(root, 'bench', 'results');
const docPath = path.join(root, 'docs', 'performance.md');
const startMarker = '<!-- bench:figures:start -->';
const endMarker = '<!-- bench:figures:end -->';

/** The machine and code a result was measured on. */
export function environment(): Record<string, unknown> {
  const cpus = os.cpus();
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  return {
    machine: {
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
      totalMemoryBytes: os.totalmem(),
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      openFileLimits: openFileLimits() ?? null,
      loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
    },
    code: {
      commit: git('rev-parse', 'HEAD'),
      // Other people edit src/ while benches run: note what differed from the commit.
      uncommittedChanges: (git('status', '--porcelain', '--', 'src') ?? '').split('\n').filter((l) => l !== ''),
    },
  };
}

/** Writes bench/results/<name>.json; returns its path. */
export function writeResult(name: string, started: Date, parameters: Record<string, unknown>, figures: unknown): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.json`);
  const result = { name, date: started.toISOString(), ...environment(), parameters, figures };
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** Reads a result written by writeResult, if there is one. */
export function readResult(name: string): Record<string, unknown> | undefined {
  const file = path.join(resultsDir, `${name}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

/** Replaces the generated block of docs/performance.md with `markdown`; false if the markers are missing. */
export function updatePerformanceDoc(markdown: string): boolean {
  if (!fs.existsSync(docPath)) return false;
  const doc = fs.readFileSync(docPath, 'utf8');
  const start = doc.indexOf(startMarker);
  const end = doc.indexOf(endMarker);
  if (start < 0 || end < start) return false;
  const next = `${doc.slice(0, start + startMarker.length)}\n${markdown.trim()}\n${doc.slice(end)}`;
  fs.writeFileSync(docPath, next);
  return true;
}
