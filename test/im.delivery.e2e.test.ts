// Replies survive a bad callback and a crash: the application answers 500, then takes longer than
// the 10 s limit, then is down while the Parley process is killed and started again, then comes
// back. Every reply reaches it, under the same delivery id on every retry, in order, and once per
// delivery id in the application's view. Real processes (`npm start`), a real receiver.
import assert from 'node:assert/strict';
import http from 'node:http';
import { type TestContext, test } from 'node:test';
import { verifySignature } from '../src/modules/webhooks/index.ts';
import { call } from './helpers/api.ts';
import { demoSite, sharedDatabase, startNode } from './helpers/cluster.ts';
import { imClient, ok } from './helpers/im.ts';
import { eventually } from './helpers/receiver.ts';

type Mode = 'fail' | 'slow' | 'ok';

interface Arrival {
  deliveryId: string;
  timestamp: string;
  signature: string;
  body: string;
  mode: Mode;
  answered?: number;
}

/** The customer's application: answers as `mode` says, can go down and come back on the same port. */
async function application(t: TestContext) {
  const arrivals: Arrival[] = [];
  let mode: Mode = 'ok';
  let server: http.Server | undefined;
  let port = 0;
  const open = async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const a: Arrival = {
          deliveryId: String(req.headers['x-parley-delivery']),
          timestamp: String(req.headers['x-parley-timestamp']),
          signature: String(req.headers['x-parley-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
          mode,
        };
        arrivals.push(a);
        const answer = (status: number) => {
          a.answered = status;
          res.writeHead(status).end();
        };
        if (a.mode === 'fail') answer(500);
        else if (a.mode === 'ok') answer(200);
        // Slower than Parley waits: the late 200 means the app did take it, so a retry must be recognisable.
        else setTimeout(() => res.writable && answer(200), 11_000).unref();
      });
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server!.address() as { port: number }).port;
  };
  const close = () =>
    new Promise<void>((resolve) => {
      server?.closeAllConnections();
      server?.close(() => resolve());
      server = undefined;
    });
  await open();
  t.after(close);
  return {
    url: () => `http://127.0.0.1:${port}/replies`,
    arrivals,
    set: (m: Mode) => {
      mode = m;
    },
    down: close,
    up: open,
    /** Delivery ids the app accepted (answered 200), each once, in the order first accepted. */
    accepted: () => [...new Set(arrivals.filter((a) => a.answered === 200).map((a) => a.deliveryId))],
  };
}

test('replies reach the app exactly once each, in order, through 500s, a timeout, an outage and a crash', async (t) => {
  const databaseUrl = await sharedDatabase(t);
  // `npm run demo` prints the site, its admin and an IM API key.
  const demo = demoSite(databaseUrl);
  const env = { DATABASE_URL: databaseUrl, PARLEY_WEBHOOK_POLL_MS: '50', PARLEY_WEBHOOK_BACKOFF_BASE_MS: '20', PARLEY_WEBHOOK_BACKOFF_MAX_MS: '200' };
  let node = await startNode(t, env);
  const app = await application(t);

  const login = await call(node.url, 'POST', '/api/v1/auth/login', { body: demo.admin });
  const admin = (method: string, path: string, body?: unknown) => call(node.url, method, path, { token: login.body.token, body });
  assert.equal((await admin('PUT', '/api/v1/im/webhook', { callbackUrl: app.url() })).status, 200);
  const secret = (await admin('GET', '/api/v1/im/webhook')).body.signingSecret as string;
  for (const n of [1, 2, 3]) {
    const q = await admin('POST', '/api/v1/robot/questions', { title: `What is plan number ${n}?`, answer: `Plan ${n} is the answer.` });
    assert.equal(q.status, 201, JSON.stringify(q.body));
  }

  const customer = 'resilient-1';
  let api = imClient(node.url, demo.imApiKey);
  const session = ok(await api.post('/im/sessions', { customer_token: customer })).assign_info.im_sub_session_id;
  const ask = (n: number) => api.post('/im/messages', { customer_token: customer, im_sub_session_id: session, data: { content: `What is plan number ${n}?` } });

  // 1. The app fails with 500: the first reply is retried under one delivery id.
  app.set('fail');
  ok(await ask(1));
  await eventually(() => app.arrivals.filter((a) => a.mode === 'fail').length >= 3, 'three failed attempts');
  const first = app.arrivals[0]!.deliveryId;
  assert.ok(app.arrivals.every((a) => a.deliveryId === first), 'nothing else goes before the first reply');

  // 2. The app answers too late: Parley gives up on the attempt after 10 s and tries again.
  app.set('slow');
  ok(await ask(2));
  await eventually(() => app.arrivals.filter((a) => a.mode === 'slow').length >= 2, 'a timed-out attempt and its retry', 60_000);

  // 3. The app is down, and the Parley process crashes and comes back meanwhile.
  await app.down();
  await node.kill();
  node = await startNode(t, env);
  api = imClient(node.url, demo.imApiKey);
  ok(await ask(3));
  const pending = async () => (await call(node.url, 'GET', '/api/v1/im/deliveries?status=pending', { token: login.body.token })).body;
  // The token survived the restart (it is in the database); the outbox still holds all three.
  await eventually(async () => (await pending()).deliveries?.length === 3, 'three pending deliveries after the restart', 60_000);

  // 4. The app is back: everything arrives.
  app.set('ok');
  await app.up();
  await eventually(() => app.accepted().length === 3, 'all three replies accepted', 90_000);

  // Every request was signed; the app's view has each reply once, in the order they were written.
  for (const a of app.arrivals) assert.ok(verifySignature(secret, a), 'every attempt carries a valid signature');
  const bodies = app.accepted().map((id) => JSON.parse(app.arrivals.find((a) => a.deliveryId === id)!.body));
  assert.deepEqual(
    bodies.map((b) => b.message.data.answer),
    ['Plan 1 is the answer.', 'Plan 2 is the answer.', 'Plan 3 is the answer.'],
  );
  assert.equal(app.accepted()[0], first, 'the reply retried since the first 500 kept its delivery id');
  // In order on the wire too: no attempt of a later reply before the earlier one was delivered.
  const order = app.arrivals.map((a) => app.accepted().indexOf(a.deliveryId));
  assert.deepEqual(order, [...order].sort((x, y) => x - y));
  const delivered = (await call(node.url, 'GET', '/api/v1/im/deliveries?status=delivered', { token: login.body.token })).body.deliveries;
  assert.equal(delivered.length, 3);
  assert.ok(delivered.every((d: { attempts: number }) => d.attempts >= 1));
});
