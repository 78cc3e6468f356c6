// The agents' visitor list: who has the widget open now (a real-time connection), the pages they
// open, capture and release, invitations, and who may see and do what: visitors nothing of it,
// agents only their own site's visitors, banned visitors never listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Json, on, onlineAgent } from './helpers/console.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive, type LiveClient } from './helpers/realtime.ts';

async function listed(api: { get(path: string): Promise<{ status: number; body: Json }> }): Promise<Json[]> {
  const res = await api.get('/api/v1/visitors');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.visitors;
}

/** Closes a visitor's connection and waits until the site hears it went offline. */
async function leave(visitorLive: LiveClient, agentLive: LiveClient, visitorId: number): Promise<void> {
  visitorLive.close();
  await on(agentLive, 'clientOffline', (d) => d.clientId === visitorId);
}

test('a visitor with the widget open is listed online, its pages are followed, and it leaves the list when it goes', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site, { name: 'Alice' });
  const agentLive = await connectLive(app.url, agent.token);
  t.after(() => agentLive.close());

  const visitor = await openVisitor(app, site.siteId, 'Anna');
  assert.equal((await listed(agent.api)).length, 0, 'a visitor without a connection is not on the site');
  const visitorLive = await connectLive(app.url, visitor.token, '/connection/websocket');
  t.after(() => visitorLive.close());

  const online = await on(agentLive, 'clientOnline', (d) => d.clientId === visitor.id);
  assert.equal(online.visitor.id, visitor.id);
  assert.equal(online.visitor.name, 'Anna');
  assert.equal(online.visitor.online, true);
  const [row] = await listed(agent.api);
  assert.deepEqual([row.id, row.name, row.online, row.pageViews, row.capturedBy, row.chat], [visitor.id, 'Anna', true, 0, null, null]);

  // The first page of the visit: where it came from, and the browser's zone and language.
  const first = { url: 'https://shop.example/', title: 'Shop', referrer: 'https://search.example/?q=shoes', timezone: 'Europe/Berlin', language: 'de-DE' };
  assert.equal((await visitor.api.post('/api/v1/visitors/me/pageviews', first)).status, 204);
  const viewed = await on(agentLive, 'clientPageViewed', (d) => d.clientId === visitor.id && d.visitor.pageViews === 1);
  assert.deepEqual([viewed.visitor.currentUrl, viewed.visitor.currentTitle, viewed.visitor.referrer], [first.url, 'Shop', first.referrer]);

  // The next page keeps the visit's referrer.
  const second = { url: 'https://shop.example/shoes', title: 'Shoes', referrer: 'https://shop.example/', timezone: 'Europe/Berlin', language: 'de-DE' };
  assert.equal((await visitor.api.post('/api/v1/visitors/me/pageviews', second)).status, 204);
  await on(agentLive, 'clientPageViewed', (d) => d.clientId === visitor.id && d.visitor.pageViews === 2);
  const [now] = await listed(agent.api);
  assert.equal(now.currentUrl, second.url);
  assert.equal(now.currentTitle, 'Shoes');
  assert.equal(now.pageViews, 2);
  assert.equal(now.referrer, first.referrer, 'the visit came from the search, not from its own first page');
  assert.deepEqual([now.location.timezone, now.location.language], ['Europe/Berlin', 'de-DE']);
  assert.ok(now.visitStartedAt);

  // Not a page of the web: refused, nothing changes.
  assert.equal((await visitor.api.post('/api/v1/visitors/me/pageviews', { url: 'javascript:alert(1)' })).status, 400);
  assert.equal((await listed(agent.api))[0].currentUrl, second.url);

  // The most recently active first.
  const ben = await openVisitor(app, site.siteId, 'Ben');
  const benLive = await connectLive(app.url, ben.token);
  t.after(() => benLive.close());
  await on(agentLive, 'clientOnline', (d) => d.clientId === ben.id);
  assert.deepEqual((await listed(agent.api)).map((v) => v.name), ['Ben', 'Anna']);
  assert.equal((await visitor.api.post('/api/v1/visitors/me/pageviews', { url: 'https://shop.example/cart' })).status, 204);
  assert.deepEqual((await listed(agent.api)).map((v) => v.name), ['Anna', 'Ben']);

  await leave(visitorLive, agentLive, visitor.id);
  assert.deepEqual((await listed(agent.api)).map((v) => v.name), ['Ben'], 'gone when its last connection closed');
  await leave(benLive, agentLive, ben.id);
  assert.deepEqual(await listed(agent.api), []);
});

test('capture keeps a visitor listed after it leaves, release lets it go; both are announced', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await createAgent(app, site, { name: 'Alice' });
  const bob = await createAgent(app, site, { name: 'Bob' });
  const bobLive = await connectLive(app.url, bob.token);
  t.after(() => bobLive.close());
  const visitor = await openVisitor(app, site.siteId, 'Anna');
  const visitorLive = await connectLive(app.url, visitor.token);
  await on(bobLive, 'clientOnline', (d) => d.clientId === visitor.id);

  const captured = await alice.api.post(`/api/v1/visitors/${visitor.id}/capture`);
  assert.equal(captured.status, 200, JSON.stringify(captured.body));
  assert.equal(captured.body.capturedBy, alice.id);
  const told = await on(bobLive, 'clientCaptured', (d) => d.clientId === visitor.id);
  assert.deepEqual([told.operatorId, told.visitor.capturedBy], [alice.id, alice.id]);

  await leave(visitorLive, bobLive, visitor.id);
  const kept = await listed(bob.api);
  assert.deepEqual(kept.map((v) => [v.id, v.online, v.capturedBy]), [[visitor.id, false, alice.id]]);

  const released = await alice.api.post(`/api/v1/visitors/${visitor.id}/release`);
  assert.equal(released.status, 200);
  assert.equal(released.body.capturedBy, null);
  const let_ = await on(bobLive, 'clientReleased', (d) => d.clientId === visitor.id);
  assert.deepEqual([let_.operatorId, let_.visitor.capturedBy], [alice.id, null]);
  assert.deepEqual(await listed(bob.api), []);

  // A banned visitor is not listed, captured or not.
  assert.equal((await alice.api.post(`/api/v1/visitors/${visitor.id}/capture`)).status, 200);
  assert.equal((await listed(bob.api)).length, 1);
  assert.equal((await alice.api.post(`/operator/clients/${visitor.id}/ban`)).status, 200);
  assert.deepEqual(await listed(bob.api), []);
  assert.equal((await alice.api.post('/api/v1/visitors/987654/capture')).status, 404);
});

test('an invitation reaches the visitor; an offline, banned or chatting visitor cannot be invited', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const aliceLive = await connectLive(app.url, alice.token);
  t.after(() => aliceLive.close());

  const anna = await openVisitor(app, site.siteId, 'Anna');
  const annaLive = await connectLive(app.url, anna.token);
  t.after(() => annaLive.close());
  await on(aliceLive, 'clientOnline', (d) => d.clientId === anna.id);

  const invited = await alice.api.post(`/api/v1/visitors/${anna.id}/invite`, { message: 'Can I help you find a size?' });
  assert.equal(invited.status, 202, JSON.stringify(invited.body));
  const got = await on(annaLive, 'chatInvited');
  assert.deepEqual(got.operator, { id: alice.id, name: 'Alice', avatarUrl: null });
  assert.equal(got.message, 'Can I help you find a size?');
  // Without a message.
  assert.equal((await alice.api.post(`/api/v1/visitors/${anna.id}/invite`)).status, 202);
  await annaLive.next((d) => d.event === 'chatInvited' && d.message === null, 'invitation without a message');

  // Anna answers and starts a chat with Alice: she cannot be invited again meanwhile.
  const chat = await anna.api.post('/api/v1/chats', { agentId: alice.id });
  assert.equal(chat.status, 201);
  const busy = await alice.api.post(`/api/v1/visitors/${anna.id}/invite`, {});
  assert.equal(busy.status, 409, JSON.stringify(busy.body));

  // Someone who is not on the site now.
  const away = await openVisitor(app, site.siteId, 'Away');
  assert.equal((await alice.api.post(`/api/v1/visitors/${away.id}/invite`, {})).status, 409);

  // A banned visitor (banned while online: its connection is let go too).
  const rude = await openVisitor(app, site.siteId, 'Rude');
  const rudeLive = await connectLive(app.url, rude.token);
  t.after(() => rudeLive.close());
  await on(aliceLive, 'clientOnline', (d) => d.clientId === rude.id);
  assert.equal((await alice.api.post(`/operator/clients/${rude.id}/ban`)).status, 200);
  assert.equal((await alice.api.post(`/api/v1/visitors/${rude.id}/invite`, {})).status, 409);
  assert.equal(rudeLive.publications.filter((p) => (p.data as Json).event === 'chatInvited').length, 0);

  assert.equal((await alice.api.post('/api/v1/visitors/987654/invite', {})).status, 404);
});

test('visitors see nothing of the list, and agents only their own site’s visitors', async (t) => {
  const app = await startParley(t);
  const siteA = await createSite(app);
  const siteB = await createSite(app);
  const agentA = await createAgent(app, siteA, { name: 'A' });
  const agentB = await createAgent(app, siteB, { name: 'B' });
  const liveA = await connectLive(app.url, agentA.token);
  const liveB = await connectLive(app.url, agentB.token);
  t.after(() => liveA.close());
  t.after(() => liveB.close());

  const onA = await openVisitor(app, siteA.siteId, 'On A');
  const onALive = await connectLive(app.url, onA.token);
  t.after(() => onALive.close());
  await on(liveA, 'clientOnline', (d) => d.clientId === onA.id);
  const onB = await openVisitor(app, siteB.siteId, 'On B');
  const onBLive = await connectLive(app.url, onB.token);
  t.after(() => onBLive.close());
  await on(liveB, 'clientOnline', (d) => d.clientId === onB.id);

  // Each site's agents see their own visitors only, and hear of no one else's.
  assert.deepEqual((await listed(agentA.api)).map((v) => v.id), [onA.id]);
  assert.deepEqual((await listed(agentB.api)).map((v) => v.id), [onB.id]);
  assert.ok(!liveA.publications.some((p) => (p.data as Json).clientId === onB.id));
  for (const action of ['capture', 'release', 'invite']) {
    assert.equal((await agentB.api.post(`/api/v1/visitors/${onA.id}/${action}`, {})).status, 404, action);
  }
  assert.equal((await listed(agentA.api))[0].capturedBy, null, 'site B’s agent changed nothing');
  assert.equal(onALive.publications.filter((p) => (p.data as Json).event === 'chatInvited').length, 0);

  // A visitor calls none of the agents' routes.
  assert.equal((await onA.api.get('/api/v1/visitors')).status, 403);
  for (const action of ['capture', 'release', 'invite']) {
    assert.equal((await onA.api.post(`/api/v1/visitors/${onB.id}/${action}`, {})).status, 403, action);
    assert.equal((await onA.api.post(`/api/v1/visitors/${onA.id}/${action}`, {})).status, 403, action);
  }
  // Nor another site's chats.
  const chatB = await onB.api.post('/api/v1/chats', {});
  assert.equal((await onA.api.get(`/api/v1/chats/${chatB.body.id}`)).status, 404);
  assert.equal((await onA.api.get(`/api/v1/chats/${chatB.body.id}/messages`)).status, 404);
  // Agents report no page views.
  assert.equal((await agentA.api.post('/api/v1/visitors/me/pageviews', { url: 'https://shop.example/' })).status, 403);

  // The roster of the site is not readable over the real-time connection, by anyone.
  for (const method of ['presence', 'presenceStats'] as const) {
    await assert.rejects(onALive.client[method](`visitors:${siteA.siteId}`), (err: { code: number }) => err.code === 103, `visitor ${method}`);
    await assert.rejects(onALive.client[method](`site:${siteA.siteId}`), (err: { code: number }) => err.code === 103, `visitor ${method} of the site channel`);
    await assert.rejects(liveB.client[method](`visitors:${siteA.siteId}`), (err: { code: number }) => err.code === 103, `another site's agent ${method}`);
  }
});

test("the visitor's country comes from the proxy's header, and only from a trusted proxy", async (t) => {
  const country = async (env: Record<string, string>) => {
    const app = await startParley(t, { PARLEY_GEO_COUNTRY_HEADER: 'CF-IPCountry', ...env });
    const site = await createSite(app);
    const visitor = await openVisitor(app, site.siteId);
    const res = await fetch(`${app.url}/api/v1/visitors/me/pageviews`, {
      method: 'POST',
      headers: { authorization: `Bearer ${visitor.token}`, 'content-type': 'application/json', 'cf-ipcountry': 'de' },
      body: JSON.stringify({ url: 'https://shop.example/', timezone: 'Europe/Berlin' }),
    });
    assert.equal(res.status, 204);
    const admin = { get: (path: string) => fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${site.admin.token}` } }).then(async (r) => ({ status: r.status, body: await r.json() })) };
    const shown = await admin.get(`/api/v1/visitors/${visitor.id}`);
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    return shown.body.location;
  };
  // This test's requests come straight from 127.0.0.1.
  assert.deepEqual(await country({ PARLEY_TRUSTED_PROXIES: '127.0.0.1' }), { country: 'DE', city: null, timezone: 'Europe/Berlin', language: null });
  assert.deepEqual(await country({}), { country: null, city: null, timezone: 'Europe/Berlin', language: null }, 'a header from anyone else is ignored');
});
