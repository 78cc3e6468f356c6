// Preloaded with `node --expose-gc --import` into each server the bench measures (Parley's own
// src/main.ts and the bare ws server), so the figures come from inside the server process without
// changing it: on an IPC "sample" request it forces garbage collection, then reports its memory,
// CPU time and open-file limit.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** One server's memory (bytes) and CPU time (µs since it started), taken after a forced GC. */
export interface ServerSample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  openFileLimit: number | null;
  gcForced: boolean;
  /** How late the event loop ran timers since the previous sample (ms): what every client waited extra. */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
}

// Every client of a Node server waits while its one event loop is busy; this shows how long.
// The histogram holds the intervals between ticks of a 10 ms timer, so lateness is that minus 10 ms.
const resolutionMs = 10;
const loopDelay = monitorEventLoopDelay({ resolution: resolutionMs });
loopDelay.enable();
const lateMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - resolutionMs) * 100) / 100);

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function openFileLimit(): number | null {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === undefined || soft === 'unlimited' ? null : Number(soft);
}

/** Collects garbage twice (the second pass frees what finalizers of the first released), then samples. */
export async function takeSample(): Promise<ServerSample> {
  const eventLoopDelayMs = { p50: lateMs(loopDelay.percentile(50)), p99: lateMs(loopDelay.percentile(99)), max: lateMs(loopDelay.max) };
  const gc = globalThis.gc;
  if (gc) {
    gc();
    await nextTurn();
    gc();
  }
  // Reset after the forced GC: its pause is the bench's doing, not the server's.
  loopDelay.reset();
  const m = process.memoryUsage();
  const cpu = process.cpuUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    cpuUserMicros: cpu.user,
    cpuSystemMicros: cpu.system,
    openFileLimit: openFileLimit(),
    gcForced: gc !== undefined,
    eventLoopDelayMs,
  };
}

const send = process.send?.bind(process);
if (send) {
  process.on('message', (msg: unknown) => {
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'sample') {
      void takeSample().then((sample) => send({ type: 'sample', sample }));
    }
  });
  // Parley's main.ts does not know about the IPC channel; without this it would keep the process
  // alive after Parley closes. Its SIGTERM handler calls process.exit() anyway.
  process.channel?.unref();
}
