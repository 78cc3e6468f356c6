// Starts Parley the way `npm start` runs it (src/main.ts, configured by environment variables) in
// its own process, on a fresh SQLite database in a temporary directory, with server-probe.ts
// preloaded for memory samples. The demo CLI seeds a partner, a site and a site admin first (and a
// benchmark may seed more before the server starts).
// Both come from the working tree, or from another source tree (a baseline commit's; the probe is
// always this checkout's, so both sides are measured alike).
import { type ChildProcess, execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { requestJson } from './http-client.ts';
import { ask, makeTempDir, removeTempDir, sleep, startNode, stopChild } from './processes.ts';
import type { ServerSample } from './server-probe.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const probe = pathToFileURL(path.join(root, 'bench', 'server-probe.ts')).href;

/** What `npm run demo` prints on its last line. */
export interface DemoSite {
  partnerId: number;
  siteId: number;
  admin: { email: string; password: string };
  agent: { email: string; password: string };
}

/** A running Parley server process. */
export interface ParleyServer {
  url: string;
  wsUrl: string;
  site: DemoSite;
  process: ChildProcess;
  /** Memory and CPU of the server process after a forced GC. */
  sample(): Promise<ServerSample>;
  /** Stops this process and starts a fresh one on the same database (same site, same visitor tokens). */
  restart(): Promise<ParleyServer>;
  /** Stops the server (SIGTERM: Parley closes its connections and database) and removes its data. */
  stop(): Promise<void>;
}

export interface StartParleyOptions {
  /** Open files the server process needs (connections plus headroom). */
  openFiles?: number;
  maxOldSpaceMb?: number;
  /** Tree whose src/cli/demo.ts and src/main.ts are run (see baseline-tree.ts); this checkout by default. */
  sourceRoot?: string;
  /** Prefix of the server's output lines on the bench's stderr; "parley" by default. */
  label?: string;
  /** More PARLEY_* variables for the demo CLI, anything `prepare` runs, and the server. */
  env?: Record<string, string>;
  /** Runs after the demo CLI and before the server starts, on its database (the reports bench seeds it here). */
  prepare?: (p: { env: NodeJS.ProcessEnv; dataDir: string; site: DemoSite }) => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

// Only the variables the bench sets: a developer's own PARLEY_* or DATABASE_URL must not leak in.
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PARLEY_') && key !== 'DATABASE_URL' && key !== 'REDIS_URL') env[key] = value;
  }
  return { ...env, ...extra };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Parley exited with ${child.exitCode} during start-up`);
    try {
      if ((await requestJson('GET', `${url}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`Parley did not answer /healthz within ${timeoutMs} ms`);
}

/** Seeds a fresh database with the demo CLI, then starts src/main.ts on it and waits until it is healthy. */
export async function startParley(opts: StartParleyOptions = {}): Promise<ParleyServer> {
  const source = opts.sourceRoot ?? root;
  const dataDir = makeTempDir('parley-bench-');
  const env = cleanEnv({
    PARLEY_HOST: '127.0.0.1',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_ADMIN_EMAIL: 'admin@bench.parley.local',
    PARLEY_ADMIN_PASSWORD: 'bench-admin-password',
    // The bench logs in each of its agents once; the per-account limit is not what it measures.
    PARLEY_LOGIN_RATE_LIMIT: '10000',
    ...opts.env,
  });
  try {
    const demo = await promisify(execFile)(process.execPath, [path.join(source, 'src/cli/demo.ts')], { cwd: source, env });
    const site = JSON.parse(demo.stdout.trim().split('\n').at(-1) ?? '') as DemoSite;
    await opts.prepare?.({ env, dataDir, site });
    return await launch({ env, dataDir, site, source, opts });
  } catch (err) {
    removeTempDir(dataDir);
    throw err;
  }
}

async function launch(p: { env: NodeJS.ProcessEnv; dataDir: string; site: DemoSite; source: string; opts: StartParleyOptions }): Promise<ParleyServer> {
  const port = await freePort();
  const child = startNode({
    name: p.opts.label ?? 'parley',
    args: ['--expose-gc', `--max-old-space-size=${p.opts.maxOldSpaceMb ?? 8192}`, '--import', probe, path.join(p.source, 'src/main.ts')],
    env: { ...p.env, PARLEY_PORT: String(port) },
    cwd: p.source,
    openFiles: p.opts.openFiles,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child, 30_000);
  } catch (err) {
    await stopChild(child, 1000);
    throw err;
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/connection/websocket`,
    site: p.site,
    process: child,
    sample: async () => (await ask<{ sample: ServerSample }>(child, { type: 'sample' }, 'sample', 60_000)).sample,
    async restart() {
      await stopChild(child, 15_000);
      return launch(p);
    },
    async stop() {
      await stopChild(child, 15_000);
      removeTempDir(p.dataDir);
    },
  };
}

/** The server's own count of connected real-time clients, from its Prometheus metrics. */
export async function realtimeConnections(url: string): Promise<number | null> {
  const res = await requestJson('GET', `${url}/metrics`);
  const match = /^parley_realtime_connections\s+(\d+)/m.exec(String(res.body));
  return match ? Number(match[1]) : null;
}
