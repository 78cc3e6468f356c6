// A client process of the idle-connection benchmark, started by idle-connections.ts so that client
// memory is never counted as the server's. Driven over IPC: open visitor sessions through Parley's
// API, open real-time connections (authenticated Centrifugo connects, or plain sockets for the
// bare-ws baseline), report how many are still open, close them.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { connectCentrifugo } from './centrifugo-client.ts';
import { requestJson } from './http-client.ts';
import { sourceAddress } from './source-addresses.ts';

/** Commands this process takes; clients are numbered globally from `from`. */
export type IdleClientCommand =
  | { type: 'visitors'; httpUrl: string; siteId: number; from: number; count: number }
  | { type: 'connect'; wsUrl: string; from: number; count: number; authenticated: boolean }
  | { type: 'status' }
  | { type: 'close' };

/** The answer to 'visitors' and to 'connect'. */
export interface IdleClientReport {
  type: 'visitors' | 'connected';
  ok: number;
  failed: number;
  errors: string[];
  seconds: number;
}

/** The answer to 'status'. */
export interface IdleClientStatus {
  type: 'status';
  open: number;
  closeCodes: Record<string, number>;
}

// Enough handshakes in flight to keep the server busy, few enough to stay inside its accept backlog.
const inFlight = 100;
const tokens = new Map<number, string>();
const sockets: WebSocket[] = [];
const closeCodes: Record<string, number> = {};
let open = 0;

async function forEachLimited(from: number, count: number, work: (i: number) => Promise<void>): Promise<IdleClientReport> {
  const started = performance.now();
  const errors: string[] = [];
  let ok = 0;
  let next = from;
  const worker = async () => {
    while (next < from + count) {
      const i = next++;
      try {
        await work(i);
        ok++;
      } catch (err) {
        if (errors.length < 5) errors.push(String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { type: 'visitors', ok, failed: count - ok, errors, seconds: (performance.now() - started) / 1000 };
}

async function openVisitor(agent: http.Agent, httpUrl: string, siteId: number, i: number): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const res = await requestJson('POST', `${httpUrl}/api/v1/sites/${siteId}/visitors`, {
      body: { name: `Idle visitor ${i}` },
      agent,
      localAddress: sourceAddress(i),
    });
    if (res.status === 201) {
      tokens.set(i, (res.body as { token: string }).token);
      return;
    }
    if (res.status !== 429 || attempt >= 3) throw new Error(`visitor ${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
}

async function connect(wsUrl: string, i: number, authenticated: boolean): Promise<void> {
  const token = authenticated ? tokens.get(i) : undefined;
  if (authenticated && token === undefined) throw new Error(`client ${i} has no visitor token`);
  const socket = await connectCentrifugo({
    url: wsUrl,
    token,
    localAddress: sourceAddress(i),
    onClose: (code) => {
      open--;
      closeCodes[code] = (closeCodes[code] ?? 0) + 1;
    },
  });
  sockets.push(socket);
  open++;
}

async function handle(cmd: IdleClientCommand): Promise<object> {
  switch (cmd.type) {
    case 'visitors': {
      // Keep-alive per source address, then closed: the server's "before" sample must not hold them.
      const agent = new http.Agent({ keepAlive: true });
      const report = await forEachLimited(cmd.from, cmd.count, (i) => openVisitor(agent, cmd.httpUrl, cmd.siteId, i));
      agent.destroy();
      return report;
    }
    case 'connect':
      return { ...(await forEachLimited(cmd.from, cmd.count, (i) => connect(cmd.wsUrl, i, cmd.authenticated))), type: 'connected' };
    case 'status':
      return { type: 'status', open, closeCodes } satisfies IdleClientStatus;
    case 'close':
      for (const socket of sockets) socket.terminate();
      return { type: 'closed' };
  }
}

process.on('message', (cmd: IdleClientCommand) => {
  void handle(cmd).then(
    (reply) => process.send?.(reply),
    (err: unknown) => process.send?.({ type: 'failed', error: String(err) }),
  );
});
