// A real HTTP server standing in for a customer's application that receives Parley's webhooks,
// and a polling helper for what it eventually sees.
import http from 'node:http';
import type { TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Received {
  deliveryId: string;
  timestamp: string;
  signature: string;
  userAgent: string;
  contentType: string;
  method: string;
  url: string;
  body: string;
  /** What the receiver answered. */
  answered: number;
}

export type Answer = (req: Omit<Received, 'answered'>) => number | { status: number; delayMs: number };

/** A real HTTP server standing in for the customer's app; `answer` decides each response. */
export async function receiver(t: TestContext) {
  const seen: Received[] = [];
  const state: { answer: Answer } = { answer: () => 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        deliveryId: String(req.headers['x-parley-delivery'] ?? ''),
        timestamp: String(req.headers['x-parley-timestamp'] ?? ''),
        signature: String(req.headers['x-parley-signature'] ?? ''),
        userAgent: String(req.headers['user-agent'] ?? ''),
        contentType: String(req.headers['content-type'] ?? ''),
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const a = state.answer(r);
      const { status, delayMs } = typeof a === 'number' ? { status: a, delayMs: 0 } : a;
      const send = () => {
        seen.push({ ...r, answered: status });
        if (status >= 300 && status < 400) res.setHeader('location', '/moved');
        res.writeHead(status).end(status === 200 ? '' : 'nope');
      };
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/parley/callback`,
    seen,
    answer(fn: Answer) {
      state.answer = fn;
    },
    of: (deliveryId: string) => seen.filter((r) => r.deliveryId === deliveryId),
  };
}

/** Polls until `check` holds; the deadline only stops a hang. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

