// The processes and temporary directories the bench starts. Everything registered here is killed
// or removed when the bench exits, whether it finishes, fails or is interrupted.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function cleanUpNow(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

// 'exit' handlers must be synchronous: SIGKILL and rmSync are.
process.on('exit', cleanUpNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`\nbench: ${signal}, stopping the servers and clients\n`);
    process.exit(130);
  });
}

/** A fresh temporary directory, removed when the bench exits (or earlier with removeTempDir). */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Removes a directory made by makeTempDir. */
export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** The open-file limits of this process, from /proc (Linux); undefined where /proc is absent. */
export function openFileLimits(): { soft: number; hard: number } | undefined {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const [soft, hard] = (line ?? '').split(/\s{2,}/).slice(1, 3).map((v) => (v === 'unlimited' ? Infinity : Number(v)));
    return soft !== undefined && hard !== undefined ? { soft, hard } : undefined;
  } catch {
    return undefined;
  }
}

export interface NodeChildOptions {
  /** Prefix of the child's output lines on the bench's stderr. */
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Working directory of the child; the bench's own by default. */
  cwd?: string;
  /** Open files the child needs; the shell wrapper tries to raise the limits to this first. */
  openFiles?: number;
}

/**
 * Starts `node <args>` with an IPC channel. A shell wrapper tries to raise `ulimit -n` (hard and
 * soft) to `openFiles` before exec'ing node, because Node has no setrlimit; node itself then
 * raises its soft limit to the hard one. Raising the hard limit needs CAP_SYS_RESOURCE.
 */
export function startNode(opts: NodeChildOptions): ChildProcess {
  const want = opts.openFiles ?? 0;
  const script = 'if [ "$0" -gt "$(ulimit -Hn)" ]; then ulimit -Hn "$0" 2>/dev/null; fi; exec "$@"';
  const child = spawn('/bin/sh', ['-c', script, String(want), process.execPath, ...opts.args], {
    env: opts.env ?? process.env,
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') process.stderr.write(`  [${opts.name}] ${line}\n`);
    });
  }
  return child;
}

/** Resolves with the child's next IPC message of type `type`. */
export function waitForMessage<T>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no "${type}" from child ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (msg: unknown) => {
      if (typeof msg !== 'object' || msg === null) return;
      const got = (msg as { type?: unknown; error?: unknown }).type;
      if (got === type) finish(undefined, msg as T);
      else if (got === 'failed') finish(new Error(`child ${child.pid} failed: ${String((msg as { error?: unknown }).error)}`));
    };
    const onExit = (code: number | null) => finish(new Error(`child ${child.pid} exited (${code}) before "${type}"`));
    function finish(err: Error | undefined, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends an IPC message and resolves with the first reply of type `replyType`. */
export function ask<T>(child: ChildProcess, message: { type: string }, replyType: string, timeoutMs: number): Promise<T> {
  const reply = waitForMessage<T>(child, replyType, timeoutMs);
  child.send(message);
  return reply;
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
