// The HTTP surface every deployment relies on: probes, docs, OpenAPI, metrics, request ids, and
// the first platform admin.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, client } from './helpers/api.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

test('health, readiness, docs and the OpenAPI document are served', async (t) => {
  const app = await startParley(t);
  assert.deepEqual((await call(app.url, 'GET', '/healthz')).body, { status: 'ok' });
  assert.deepEqual((await call(app.url, 'GET', '/readyz')).body, { status: 'ready' });
  const docs = await call(app.url, 'GET', '/docs/');
  assert.equal(docs.status, 200);
  assert.match(String(docs.body), /swagger/i);

  const spec = await call(app.url, 'GET', '/openapi.json');
  assert.equal(spec.body.openapi, '3.1.0');
  for (const path of ['/api/v1/auth/login', '/api/v1/agents', '/api/v1/chats', '/api/v1/chats/{chatId}/messages', '/api/v1/sites/{siteId}/visitors']) {
    assert.ok(spec.body.paths[path], `OpenAPI documents ${path}`);
  }
  // Every documented operation declares its responses, errors included.
  for (const [path, ops] of Object.entries(spec.body.paths as Record<string, Record<string, { responses?: object }>>)) {
    for (const [method, op] of Object.entries(ops)) assert.ok(op.responses && Object.keys(op.responses).length > 0, `${method} ${path}`);
  }
});

test('readiness reports an unreachable database with 503', async (t) => {
  const app = await startParley(t);
  await app.parley.database.close();
  const res = await call(app.url, 'GET', '/readyz');
  assert.equal(res.status, 503);
});

test('every response carries a request id, and a safe caller id is kept', async (t) => {
  const app = await startParley(t);
  const minted = await call(app.url, 'GET', '/healthz');
  assert.match(minted.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  const kept = await call(app.url, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
  assert.equal(kept.headers.get('x-request-id'), 'trace-123');
  const unsafe = await call(app.url, 'GET', '/healthz', { headers: { 'x-request-id': 'bad id\twith spaces' } });
  assert.notEqual(unsafe.headers.get('x-request-id'), 'bad id\twith spaces');
});

test('metrics show HTTP latency, open connections and chats by status', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site);
  const live = await connectLive(app.url, agent.token);
  t.after(() => live.close());
  const visitor = await openVisitor(app, site.siteId);
  await visitor.api.post('/api/v1/chats', {});

  const text = String((await call(app.url, 'GET', '/metrics')).body);
  assert.match(text, /parley_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/chats"/);
  assert.match(text, /^parley_realtime_connections 1$/m);
  assert.match(text, /^parley_chats\{status="queued"\} 1$/m);
  assert.match(text, /^parley_chats\{status="active"\} 0$/m);
});

test('the first start creates the platform admin from the environment, who can log in', async (t) => {
  const app = await startParley(t, { PARLEY_ADMIN_EMAIL: 'Boss@Example.com', PARLEY_ADMIN_PASSWORD: 'boss-password' });
  const login = await client(app.url).post('/api/v1/platform/login', { email: 'boss@example.com', password: 'boss-password' });
  assert.equal(login.status, 200);
  assert.match(login.body.token, /^plp_/);
  const wrong = await client(app.url).post('/api/v1/platform/login', { email: 'boss@example.com', password: 'nope-nope' });
  assert.equal(wrong.status, 401);
  // A platform token is not an agent token.
  const asAgent = await client(app.url, login.body.token).get('/api/v1/agents');
  assert.equal(asAgent.status, 403);
});

test('an agent of two sites picks the site at login', async (t) => {
  const app = await startParley(t);
  const a = await createSite(app);
  const b = await createSite(app);
  for (const site of [a, b]) {
    await app.parley.services.agents.create({ siteId: site.siteId, system: true }, { email: 'twin@example.com', name: 'Twin', password: 'same-password' });
  }
  const ambiguous = await client(app.url).post('/api/v1/auth/login', { email: 'twin@example.com', password: 'same-password' });
  assert.equal(ambiguous.status, 409);
  assert.deepEqual([...ambiguous.body.siteIds].sort(), [a.siteId, b.siteId].sort());
  const chosen = await client(app.url).post('/api/v1/auth/login', { email: 'twin@example.com', password: 'same-password', siteId: b.siteId });
  assert.equal(chosen.status, 200);
  assert.equal(chosen.body.siteId, b.siteId);
});

test('a visitor keeps its identity when it reopens a session with its token', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const visitor = await openVisitor(app, site.siteId);
  const again = await call(app.url, 'POST', `/api/v1/sites/${site.siteId}/visitors`, { token: visitor.token, body: { email: 'v@example.com' } });
  assert.equal(again.status, 200);
  assert.equal(again.body.visitor.id, visitor.id);
  assert.equal(again.body.visitor.email, 'v@example.com');
  const me = await client(app.url, again.body.token).get('/api/v1/visitors/me');
  assert.equal(me.body.id, visitor.id);
});
