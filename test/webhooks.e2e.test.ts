// Durable webhooks, end to end: deliveries written in a transaction reach a real HTTP receiver
// signed, in order per customer, retried under the same delivery id until a 200, dead after the
// retry period and re-sent on request; the site admins' API shows and controls them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createParley } from '../src/app.ts';
import type { NewDelivery } from '../src/modules/webhooks/index.ts';
import { verifySignature } from '../src/modules/webhooks/index.ts';
import { call, client } from './helpers/api.ts';
import { eventually, type Received, receiver } from './helpers/receiver.ts';
import { createAgent, createSite, openVisitor, type TestSite } from './helpers/factories.ts';
import { type Running, startParley } from './helpers/parley.ts';

// Fast retries for tests; the defaults (10 s timeout, a day of retries) are checked in config.test.ts.
// The timeout stays well above a loopback round trip on a busy machine, so that only the test of
// slow answers sees attempts time out.
const FAST = {
  PARLEY_WEBHOOK_POLL_MS: '50',
  PARLEY_WEBHOOK_BACKOFF_BASE_MS: '20',
  PARLEY_WEBHOOK_BACKOFF_MAX_MS: '200',
  PARLEY_WEBHOOK_TIMEOUT_MS: '2000',
};

const unique = () => randomBytes(4).toString('hex');

/** A customer of the IM API: a visitor with a customer token. */
async function customer(app: Running, site: TestSite, token = `cust-${unique()}`) {
  const row = await app.parley.database.db
    .insertInto('visitors')
    .values({ site_id: site.siteId, customer_token: token, name: 'Customer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { visitorId: row.id, token };
}

/** A reply notification shaped as the IM API's spec has it. */
function reply(customerToken: string, content: string) {
  return { customer_token: customerToken, assign_type: 'agent', message: { type: 'message', message_id: unique(), data: { content } } };
}

/** Writes deliveries in one transaction, the way message writers do, then wakes the worker. */
async function enqueue(app: Running, ...inputs: NewDelivery[]): Promise<(string | null)[]> {
  const { webhooks } = app.parley.services;
  const ids = await app.parley.database.db.transaction().execute(async (trx) => {
    const out: (string | null)[] = [];
    for (const input of inputs) out.push(await webhooks.enqueue(trx, input));
    return out;
  });
  webhooks.kick();
  return ids;
}

const delivery = (siteId: number, c: { visitorId: number; token: string }, content: string): NewDelivery => ({
  siteId,
  visitorId: c.visitorId,
  chatId: null,
  messageId: null,
  event: 'message.replied',
  body: reply(c.token, content),
});

async function setup(t: TestContext, env: Record<string, string> = {}) {
  const app = await startParley(t, { ...FAST, ...env });
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const hook = await receiver(t);
  const put = await admin.put('/api/v1/im/webhook', { callbackUrl: hook.url });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  return { app, site, admin, hook };
}

const contentOf = (r: Received) => JSON.parse(r.body).message.data.content as string;

test('a reply is POSTed signed with the secret the API shows, and a rotated secret applies at once', async (t) => {
  const { app, site, admin, hook } = await setup(t);
  const settings = await admin.get('/api/v1/im/webhook');
  assert.equal(settings.status, 200);
  assert.equal(settings.body.callbackUrl, hook.url);
  assert.equal(settings.body.signingSecretVersion, 1);
  assert.match(settings.body.signingSecret, /^[0-9a-f]{64}$/);

  const c = await customer(app, site);
  const before = Math.floor(Date.now() / 1000);
  const body = reply(c.token, 'hello');
  const [id] = await enqueue(app, { siteId: site.siteId, visitorId: c.visitorId, chatId: null, messageId: null, event: 'message.replied', body });
  assert.match(id ?? '', /^[0-9a-f-]{36}$/);
  await eventually(() => hook.seen.length === 1, 'the delivery');

  const got = hook.seen[0]!;
  assert.equal(got.method, 'POST');
  assert.equal(got.url, '/parley/callback');
  assert.equal(got.deliveryId, id);
  assert.equal(got.contentType, 'application/json');
  assert.match(got.userAgent, /^Parley-Webhooks\/\d+\.\d+\.\d+/);
  assert.ok(Number(got.timestamp) >= before - 1 && Number(got.timestamp) <= Math.floor(Date.now() / 1000) + 1, got.timestamp);
  assert.match(got.signature, /^v1=[0-9a-f]{64}$/);
  assert.deepEqual(JSON.parse(got.body), body);
  assert.equal(verifySignature(settings.body.signingSecret, got), true);
  assert.equal(verifySignature('0'.repeat(64), got), false);

  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${id}`)).body.status === 'delivered', 'delivered');
  const shown = (await admin.get(`/api/v1/im/deliveries/${id}`)).body;
  assert.equal(shown.deliveryId, id);
  assert.equal(shown.event, 'message.replied');
  assert.equal(shown.customerToken, c.token);
  assert.equal(shown.attempts, 1);
  assert.equal(shown.lastStatus, 200);
  assert.equal(shown.lastError, null);
  assert.equal(shown.nextAttemptAt, null);
  assert.ok(shown.deliveredAt);
  assert.deepEqual(shown.body, body);

  const rotated = await admin.post('/api/v1/im/webhook/rotate-secret');
  assert.equal(rotated.status, 200);
  assert.equal(rotated.body.signingSecretVersion, 2);
  assert.notEqual(rotated.body.signingSecret, settings.body.signingSecret);
  assert.deepEqual((await admin.get('/api/v1/im/webhook')).body, rotated.body);
  const [second] = await enqueue(app, delivery(site.siteId, c, 'after rotation'));
  await eventually(() => hook.of(second!).length === 1, 'the delivery after rotation');
  const after = hook.of(second!)[0]!;
  assert.equal(verifySignature(rotated.body.signingSecret, after), true);
  assert.equal(verifySignature(settings.body.signingSecret, after), false);
});

test('a callback that does not answer 200 is retried under the same delivery id until it does', async (t) => {
  const { app, site, admin, hook } = await setup(t);
  const secret = (await admin.get('/api/v1/im/webhook')).body.signingSecret;
  // 500, then 204 (not 200), then a redirect (not followed), then 200.
  const answers = [500, 204, 302];
  hook.answer(() => answers.shift() ?? 200);
  const c = await customer(app, site);
  const [id] = await enqueue(app, delivery(site.siteId, c, 'retry me'));

  await eventually(() => hook.seen.some((r) => r.answered === 200), 'a successful attempt');
  assert.deepEqual(hook.seen.map((r) => r.answered), [500, 204, 302, 200]);
  for (const r of hook.seen) {
    assert.equal(r.deliveryId, id);
    assert.equal(r.url, '/parley/callback', 'the redirect is not followed');
    assert.equal(contentOf(r), 'retry me');
    assert.equal(verifySignature(secret, r), true);
  }
  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${id}`)).body.status === 'delivered', 'delivered');
  const shown = (await admin.get(`/api/v1/im/deliveries/${id}`)).body;
  assert.equal(shown.attempts, 4);
  assert.equal(shown.lastStatus, 200);
  await sleep(300);
  assert.equal(hook.seen.length, 4, 'nothing more is sent once delivered');
});

test('a failing delivery is shown pending with its last error while it waits for its retry', async (t) => {
  const { app, site, admin, hook } = await setup(t);
  hook.answer(() => 503);
  const c = await customer(app, site);
  const [id] = await enqueue(app, delivery(site.siteId, c, 'later'));
  await eventually(() => hook.seen.length >= 2, 'two attempts');
  const shown = (await admin.get(`/api/v1/im/deliveries/${id}`)).body;
  assert.equal(shown.status, 'pending');
  assert.ok(shown.attempts >= 1);
  assert.equal(shown.lastStatus, 503);
  assert.match(shown.lastError, /503/);
  assert.ok(shown.nextAttemptAt);
  assert.ok(Date.parse(shown.giveUpAt) > Date.now() + 23 * 3600_000, 'retried for a day by default');
  // The same request is not resent by hand while it is still being retried.
  const early = await admin.post(`/api/v1/im/deliveries/${id}/resend`);
  assert.equal(early.status, 409);
  assert.equal(early.body.type, 'urn:parley:problem:invalid-state');
});

test("one customer's replies arrive in order, while a failing customer does not hold up another", async (t) => {
  const { app, site, hook } = await setup(t);
  const a = await customer(app, site);
  const b = await customer(app, site);
  let aDown = true;
  hook.answer((r) => (JSON.parse(r.body).customer_token === a.token && aDown ? 500 : 200));

  await enqueue(app, delivery(site.siteId, a, 'a1'), delivery(site.siteId, a, 'a2'), delivery(site.siteId, a, 'a3'));
  await enqueue(app, delivery(site.siteId, b, 'b1'), delivery(site.siteId, b, 'b2'));
  const fromA = () => hook.seen.filter((r) => JSON.parse(r.body).customer_token === a.token);
  const fromB = () => hook.seen.filter((r) => JSON.parse(r.body).customer_token === b.token);

  await eventually(() => fromB().length === 2 && fromA().length >= 3, "b's replies and a few failed attempts of a's first");
  assert.deepEqual(fromB().map(contentOf), ['b1', 'b2']);
  assert.deepEqual([...new Set(fromA().map(contentOf))], ['a1'], "a's later replies wait behind its first");

  aDown = false;
  await eventually(() => fromA().filter((r) => r.answered === 200).length === 3, "a's replies");
  const delivered = fromA().filter((r) => r.answered === 200).map(contentOf);
  assert.deepEqual(delivered, ['a1', 'a2', 'a3']);
  // Nothing of a's was sent before the one ahead of it had been accepted.
  const order = fromA().map(contentOf);
  assert.ok(order.indexOf('a2') > order.lastIndexOf('a1'), order.join(','));
  assert.ok(order.indexOf('a3') > order.lastIndexOf('a2'), order.join(','));
  await sleep(300);
  assert.equal(fromB().length, 2, 'each of b was sent once');
});

test('a delivery past its retry period is dead, listed as dead, lets the next one go, and is re-sent by resend', async (t) => {
  const { app, site, admin, hook } = await setup(t, { PARLEY_WEBHOOK_RETRY_PERIOD_SECONDS: '1' });
  const secret = (await admin.get('/api/v1/im/webhook')).body.signingSecret;
  let down = true;
  hook.answer(() => (down ? 503 : 200));
  const c = await customer(app, site);
  const [first, second] = await enqueue(app, delivery(site.siteId, c, 'first'), delivery(site.siteId, c, 'second'));

  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${first}`)).body.status === 'dead', 'the first to die');
  // With the head dead, the customer's next delivery goes (and, the app still down, dies too).
  await eventually(() => hook.of(second!).length > 0, 'the second to be tried');
  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${second}`)).body.status === 'dead', 'the second to die');

  const dead = await admin.get('/api/v1/im/deliveries?status=dead');
  assert.equal(dead.status, 200);
  assert.deepEqual(dead.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId), [second, first], 'newest first');
  const shown = dead.body.deliveries[1];
  assert.equal(shown.status, 'dead');
  assert.ok(shown.deadAt);
  assert.equal(shown.lastStatus, 503);
  assert.ok(shown.attempts >= 1);
  assert.equal(shown.attempts, hook.of(first!).length, 'every attempt counted');
  assert.equal((await admin.get('/api/v1/im/deliveries?status=pending')).body.deliveries.length, 0);

  down = false;
  const sentBefore = hook.of(first!).length;
  const resent = await admin.post(`/api/v1/im/deliveries/${first}/resend`);
  assert.equal(resent.status, 200, JSON.stringify(resent.body));
  assert.equal(resent.body.deliveryId, first);
  assert.ok(['pending', 'delivered'].includes(resent.body.status));
  await eventually(() => hook.of(first!).some((r) => r.answered === 200), 'the re-sent delivery');
  assert.equal(hook.of(first!).length, sentBefore + 1);
  assert.equal(verifySignature(secret, hook.of(first!).at(-1)!), true);
  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${first}`)).body.status === 'delivered', 'delivered after resend');
  const after = (await admin.get(`/api/v1/im/deliveries/${first}`)).body;
  assert.equal(after.attempts, sentBefore + 1, 'attempts are kept');
  assert.equal(after.deadAt, null);
  assert.equal(hook.of(second!).at(-1)?.answered, 503, 'the other dead one stays dead until re-sent');

  const again = await admin.post(`/api/v1/im/deliveries/${first}/resend`);
  assert.equal(again.status, 409);
  assert.equal(again.body.type, 'urn:parley:problem:invalid-state');
});

test('a slow callback counts as failed and the same delivery is sent again', async (t) => {
  const { app, site, admin, hook } = await setup(t, { PARLEY_WEBHOOK_TIMEOUT_MS: '500' });
  let slow = true;
  hook.answer(() => {
    // The first answer is a 200, but four times the timeout late.
    const answer = slow ? { status: 200, delayMs: 2000 } : 200;
    slow = false;
    return answer;
  });
  const c = await customer(app, site);
  const [id] = await enqueue(app, delivery(site.siteId, c, 'slowly'));
  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${id}`)).body.status === 'delivered', 'delivered');
  await eventually(() => hook.seen.length >= 2, 'both attempts to reach the receiver');
  assert.ok(hook.seen.every((r) => r.deliveryId === id));
  const shown = (await admin.get(`/api/v1/im/deliveries/${id}`)).body;
  assert.ok(shown.attempts >= 2, 'the late 200 did not count');
  assert.equal(shown.lastStatus, 200);
});

test('a delivery left leased by a node that died mid-send is sent again, same id, once the lease runs out', async (t) => {
  const { app, site, admin, hook } = await setup(t);
  const c = await customer(app, site);
  const { webhooks } = app.parley.services;
  const leaseUntil = new Date(Date.now() + 4000).toISOString();
  const id = await app.parley.database.db.transaction().execute(async (trx) => {
    const deliveryId = await webhooks.enqueue(trx, delivery(site.siteId, c, 'orphan'));
    // What a node holds while it sends; it crashed before recording the outcome.
    await trx.updateTable('webhook_deliveries').set({ lease_until: leaseUntil }).where('delivery_id', '=', deliveryId!).execute();
    return deliveryId;
  });
  webhooks.kick();
  await sleep(500);
  assert.equal(hook.seen.length, 0, 'not sent while another node holds it');
  await eventually(() => hook.seen.length === 1, 'the orphaned delivery');
  assert.equal(hook.seen[0]!.deliveryId, id);
  await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${id}`)).body.status === 'delivered', 'delivered');
});

test('two nodes sharing the database send each delivery once, in order per customer', async (t) => {
  const { app, site, hook } = await setup(t, { PARLEY_WEBHOOK_CONCURRENCY: '2' });
  const other = await createParley({ ...app.config, port: 0 });
  try {
    await other.listen();
    const customers = await Promise.all([1, 2, 3, 4].map(() => customer(app, site)));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      for (const c of customers) ids.push((await enqueue(app, delivery(site.siteId, c, `${c.token}#${i}`)))[0]!);
      other.services.webhooks.kick();
    }
    await eventually(() => hook.seen.length >= ids.length, 'every delivery');
    await sleep(300);
    assert.deepEqual(hook.seen.map((r) => r.deliveryId).sort(), [...ids].sort(), 'each exactly once');
    for (const c of customers) {
      const got = hook.seen.filter((r) => JSON.parse(r.body).customer_token === c.token).map(contentOf);
      assert.deepEqual(got, [0, 1, 2, 3, 4].map((i) => `${c.token}#${i}`));
    }
  } finally {
    await other.close();
  }
});

test('a site without a callback URL gets no deliveries written', async (t) => {
  const app = await startParley(t, FAST);
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const initial = await admin.get('/api/v1/im/webhook');
  assert.equal(initial.body.callbackUrl, null);
  const c = await customer(app, site);
  assert.deepEqual(await enqueue(app, delivery(site.siteId, c, 'nowhere')), [null]);

  // Set, then cleared: again nothing is written.
  assert.equal((await admin.put('/api/v1/im/webhook', { callbackUrl: 'https://example.com/hook' })).status, 200);
  const cleared = await admin.put('/api/v1/im/webhook', { callbackUrl: null });
  assert.equal(cleared.status, 200);
  assert.equal(cleared.body.callbackUrl, null);
  assert.deepEqual(await enqueue(app, delivery(site.siteId, c, 'still nowhere')), [null]);

  const rows = await app.parley.database.db.selectFrom('webhook_deliveries').select('id').execute();
  assert.equal(rows.length, 0);
  assert.deepEqual((await admin.get('/api/v1/im/deliveries')).body, { deliveries: [], nextCursor: null });
});

test('only the site admins see and control its webhooks; another site sees none of them', async (t) => {
  const { app, site, admin, hook } = await setup(t);
  const c = await customer(app, site);
  const [id] = await enqueue(app, delivery(site.siteId, c, 'private'));
  await eventually(() => hook.seen.length === 1, 'the delivery');

  const agent = await createAgent(app, site);
  const visitor = await openVisitor(app, site.siteId);
  const routes: [string, string, unknown?][] = [
    ['GET', '/api/v1/im/webhook'],
    ['PUT', '/api/v1/im/webhook', { callbackUrl: 'https://evil.example.com/' }],
    ['POST', '/api/v1/im/webhook/rotate-secret'],
    ['GET', '/api/v1/im/deliveries'],
    ['GET', `/api/v1/im/deliveries/${id}`],
    ['POST', `/api/v1/im/deliveries/${id}/resend`],
  ];
  for (const [method, path, body] of routes) {
    assert.equal((await call(app.url, method, path, { body })).status, 401, `${method} ${path} without a token`);
    assert.equal((await call(app.url, method, path, { token: agent.token, body })).status, 403, `${method} ${path} as an agent`);
    assert.equal((await call(app.url, method, path, { token: visitor.token, body })).status, 403, `${method} ${path} as a visitor`);
  }

  const otherSite = await createSite(app);
  const other = client(app.url, otherSite.admin.token);
  assert.equal((await other.get(`/api/v1/im/deliveries/${id}`)).status, 404);
  const resend = await other.post(`/api/v1/im/deliveries/${id}/resend`);
  assert.equal(resend.status, 404);
  assert.equal(resend.body.type, 'urn:parley:problem:not-found');
  assert.deepEqual((await other.get('/api/v1/im/deliveries')).body.deliveries, []);
  assert.equal((await other.get(`/api/v1/im/deliveries?customerToken=${c.token}`)).body.deliveries.length, 0);
  assert.notEqual((await other.get('/api/v1/im/webhook')).body.signingSecret, (await admin.get('/api/v1/im/webhook')).body.signingSecret);
  assert.equal((await admin.get(`/api/v1/im/deliveries/${crypto.randomUUID()}`)).status, 404);

  // Nothing changed: the URL, the secret version and the delivery are as they were.
  const settings = (await admin.get('/api/v1/im/webhook')).body;
  assert.equal(settings.callbackUrl, hook.url);
  assert.equal(settings.signingSecretVersion, 1);
  assert.equal((await admin.get(`/api/v1/im/deliveries/${id}`)).body.status, 'delivered');
});

test('the delivery list filters by status and customer and pages newest first', async (t) => {
  const { app, site, admin, hook } = await setup(t);
  const a = await customer(app, site);
  const b = await customer(app, site);
  const ids = await enqueue(app, ...[1, 2, 3].map((i) => delivery(site.siteId, a, `a${i}`)), delivery(site.siteId, b, 'b1'));
  await eventually(() => hook.seen.length === 4, 'every delivery');
  await eventually(async () => (await admin.get('/api/v1/im/deliveries?status=delivered')).body.deliveries.length === 4, 'all delivered');

  const page1 = await admin.get(`/api/v1/im/deliveries?customerToken=${a.token}&limit=2`);
  assert.equal(page1.status, 200);
  assert.deepEqual(page1.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId), [ids[2], ids[1]]);
  assert.equal(typeof page1.body.nextCursor, 'number');
  const page2 = await admin.get(`/api/v1/im/deliveries?customerToken=${a.token}&limit=2&before=${page1.body.nextCursor}`);
  assert.deepEqual(page2.body.deliveries.map((d: { deliveryId: string }) => d.deliveryId), [ids[0]]);
  assert.equal(page2.body.nextCursor, null);
  const ofB = (await admin.get(`/api/v1/im/deliveries?customerToken=${b.token}`)).body.deliveries;
  assert.deepEqual(ofB.map((d: { customerToken: string; body: { message: { data: { content: string } } } }) => [d.customerToken, d.body.message.data.content]), [[b.token, 'b1']]);
  assert.equal((await admin.get('/api/v1/im/deliveries?status=dead')).body.deliveries.length, 0);
});

test('bad webhook input is refused with 400 and changes nothing', async (t) => {
  const { admin, hook } = await setup(t);
  const bad: unknown[] = [
    { callbackUrl: 'ftp://example.com/hook' },
    { callbackUrl: 'javascript:alert(1)' },
    { callbackUrl: 'not a url' },
    { callbackUrl: `https://example.com/${'x'.repeat(2000)}` },
    { callbackUrl: 42 },
    {},
    { callbackUrl: 'https://example.com/', extra: true },
  ];
  for (const body of bad) {
    const res = await admin.put('/api/v1/im/webhook', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  }
  for (const query of ['limit=0', 'limit=201', 'status=lost', 'before=abc', 'before=0', 'colour=red']) {
    const res = await admin.get(`/api/v1/im/deliveries?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal(res.body.type, 'urn:parley:problem:validation-failed', query);
  }
  for (const path of ['/api/v1/im/deliveries/not-a-uuid', '/api/v1/im/deliveries/123']) {
    assert.equal((await admin.get(path)).status, 400, path);
    assert.equal((await admin.post(`${path}/resend`)).status, 400, `${path}/resend`);
  }
  assert.equal((await admin.get('/api/v1/im/webhook')).body.callbackUrl, hook.url);
});
