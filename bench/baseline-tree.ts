// The code of another commit, for comparing throughput against it: its tree is exported with
// `git archive` into a temporary directory, so the working tree (which others may be editing) is
// never checked out or touched, and no worktree is registered in the repository.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './processes.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A commit as named by the user and as git resolves it. */
export interface BaselineCommit {
  /** What BENCH_BASELINE said: a hash, tag, branch or expression such as HEAD~1. */
  ref: string;
  /** The full commit hash it resolved to when the bench started. */
  commit: string;
  /** The first line of its message. */
  subject: string;
}

/** Resolves a commit-ish in this repository; null if git does not know it as a commit. */
export function resolveCommit(ref: string): BaselineCommit | null {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const commit = git('rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`);
    return { ref, commit, subject: git('log', '-1', '--format=%s', commit) };
  } catch {
    return null;
  }
}

function exited(child: ChildProcess, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}: ${stderr.trim()}`))));
  });
}

/**
 * Extracts the commit's tree into a fresh temporary directory (removed when the bench exits) and
 * links this checkout's node_modules into it; returns the directory. The dependencies are shared,
 * not installed again, so this is only right for commits whose package-lock.json matches.
 */
export async function extractTree(commit: string): Promise<string> {
  const dir = makeTempDir('parley-bench-baseline-');
  // git archive | tar -x, as two processes so that either one failing is seen.
  const archive = spawn('git', ['archive', '--format=tar', commit], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
  archive.stdout.pipe(tar.stdin);
  await Promise.all([exited(archive, `git archive ${commit}`), exited(tar, 'tar -x')]);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (!sameDependencies(root, dir)) {
    process.stderr.write(`bench: ${commit.slice(0, 7)} declares other dependencies than the working tree; it runs on this node_modules all the same\n`);
  }
  return dir;
}

// Only the runtime dependencies matter to the server; a changed dev tool does not.
function sameDependencies(a: string, b: string): boolean {
  const deps = (dir: string) => JSON.stringify((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: unknown }).dependencies ?? {});
  return deps(a) === deps(b);
}
