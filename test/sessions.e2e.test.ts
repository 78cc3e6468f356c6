// Sessions end where they should: a revoked token's real-time connections close, a closed site
// locks its agents and visitors out, and the connect reply tells the client when its token expires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

test('logging out closes the real-time connections of that token and leaves other sessions alone', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site);
  const second = await client(app.url).post('/api/v1/auth/login', { email: agent.email, password: agent.password });
  const liveA = await connectLive(app.url, agent.token);
  const liveB = await connectLive(app.url, second.body.token);
  t.after(() => {
    liveA.close();
    liveB.close();
  });

  const closed = new Promise<{ code: number }>((resolve) => liveA.client.once('disconnected', resolve));
  assert.equal((await agent.api.post('/api/v1/auth/logout')).status, 204);
  assert.equal((await closed).code, 3500);
  assert.equal(liveB.client.state, 'connected');
  assert.equal((await client(app.url, second.body.token).get('/api/v1/agents/me')).status, 200);
});

test('a closed site locks out its agents and visitors, on REST and real time', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site);
  const visitor = await openVisitor(app, site.siteId);
  // Closed the way its partner closes it (the Partner API's PUT with ifClose), so every node hears of it.
  await app.parley.services.partnerSites.update(site.partnerId, { kind: 'system', id: null }, site.siteId, { ifClose: true });

  assert.equal((await agent.api.get('/api/v1/agents/me')).status, 401);
  assert.equal((await visitor.api.get('/api/v1/visitors/me')).status, 401);
  assert.equal((await client(app.url).post('/api/v1/auth/login', { email: agent.email, password: agent.password })).status, 401);
  assert.equal((await client(app.url).post(`/api/v1/sites/${site.siteId}/visitors`, {})).status, 404);
  await assert.rejects(connectLive(app.url, agent.token), /3500/);
});

test('the connect reply carries the token expiry for agents and visitors', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site);
  const visitor = await openVisitor(app, site.siteId);
  for (const token of [agent.token, visitor.token]) {
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/connection/websocket`);
    await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }));
    const reply = new Promise<string>((resolve) => ws.addEventListener('message', (e) => resolve(String(e.data)), { once: true }));
    ws.send(JSON.stringify({ id: 1, connect: { token } }));
    const connect = JSON.parse((await reply).split('\n')[0]!).connect;
    ws.close();
    assert.equal(connect.expires, true);
    assert.ok(connect.ttl > 3600, `ttl ${connect.ttl}`);
  }
});
