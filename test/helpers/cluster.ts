// Several real Parley processes (src/main.ts, as `npm start` runs it) sharing one database and
// one Redis, and a switchable TCP proxy standing in for the load balancer in front of them.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { freshDatabaseUrl } from './parley.ts';

export const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const node = process.execPath;
const root = path.resolve(import.meta.dirname, '../..');

/** A database the nodes share: a fresh PostgreSQL schema, or one SQLite file (WAL allows several processes). */
export async function sharedDatabase(t: TestContext): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cluster-'));
  const cleanups: (() => void | Promise<void>)[] = [() => fs.rmSync(dir, { recursive: true, force: true })];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return freshDatabaseUrl(cleanups, dir);
}

/** A Redis key prefix of this test alone; its keys are deleted when the test ends. */
export function redisPrefix(t: TestContext): string {
  const prefix = `ptest-${randomBytes(4).toString('hex')}`;
  t.after(async () => {
    const redis = new Redis(redisUrl);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });
  return prefix;
}

/** Runs `npm run demo` against the database: a site with an admin and an agent. */
export function demoSite(databaseUrl: string): {
  siteId: number;
  admin: { email: string; password: string };
  agent: { email: string; password: string };
  imApiKey: string;
  partner: { clientId: string; clientSecret: string };
} {
  const out = spawnSync(node, ['src/cli/demo.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PARLEY_ADMIN_PASSWORD: 'admin-password', PARLEY_LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`demo failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1)!);
}

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  /** Kills the process at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

/** Starts a Parley process on a free port; resolves with its URL once it listens. */
export async function startNode(t: TestContext, env: Record<string, string>): Promise<NodeProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-node-'));
  const child = spawn(node, ['src/main.ts'], {
    cwd: root,
    env: { ...process.env, PARLEY_HOST: '127.0.0.1', PARLEY_PORT: '0', PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (const line of buffered.split('\n')) {
        if (!line.includes('Parley is listening')) continue;
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`node exited (${code}) before listening: ${stderr}`)));
  });
  return {
    url,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A TCP proxy on loopback forwarding to one target at a time; `target(null)` refuses new connections. */
export async function startProxy(t: TestContext) {
  let target: URL | null = null;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (target === null) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    for (const s of open) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Cuts every connection through the proxy at once, as a network failure would. */
    drop(): void {
      for (const s of open) s.destroy();
    },
    /** Where new connections go from now on; existing ones stay where they are. */
    target(url: string | null): void {
      target = url === null ? null : new URL(url);
    },
  };
}
