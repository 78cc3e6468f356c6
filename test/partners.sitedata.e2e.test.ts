// Site-data OAuth clients: a partner's token with site-data scopes uses the native site API of the
// partner's own sites, limited to the sites and the kind of use (read or write) its scopes name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from './helpers/api.ts';
import { openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner, partnerApi, partnerApiToken, postForm } from './helpers/partners.ts';

test('site-data tokens read or change only the sites and in the way their scopes allow', async (t) => {
  const app = await startParley(t);
  const a = await approvedPartner(app, 'Alpha Partner');
  const b = await approvedPartner(app, 'Beta Partner');
  const apiA = partnerApi(app, await partnerApiToken(app, a));
  const apiB = partnerApi(app, await partnerApiToken(app, b));
  const site1 = (await apiA.post('/sites', { company: 'One', admin: { email: 'one@a.example' } })).body.id as number;
  const site2 = (await apiA.post('/sites', { company: 'Two', admin: { email: 'two@a.example' } })).body.id as number;
  const siteOfB = (await apiB.post('/sites', { company: 'B1', admin: { email: 'b1@b.example' } })).body.id as number;

  const clientToken = async (scopes: string[], requested?: string) => {
    const created = await a.portal.post('/api/v1/partner/oauth-clients', { name: scopes.join(','), scopes });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const res = await postForm(app.url, '/partner/oauth/token', {
      grant_type: 'client_credentials',
      client_id: created.body.clientId,
      client_secret: created.body.clientSecret,
      ...(requested && { scope: requested }),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { access_token: string; scope: string };
  };
  const as = (token: string, siteId?: number) => {
    const headers: Record<string, string> = siteId === undefined ? {} : { 'parley-site-id': String(siteId) };
    return {
      get: (path: string) => call(app.url, 'GET', path, { token, headers }),
      post: (path: string, body: unknown) => call(app.url, 'POST', path, { token, body, headers }),
    };
  };

  // Read-only, limited to site 1.
  const reader = await clientToken(['site-data:read', `site:${site1}`]);
  assert.equal(reader.scope, `site-data:read site:${site1}`);
  const agents = await as(reader.access_token, site1).get('/api/v1/agents');
  assert.equal(agents.status, 200, JSON.stringify(agents.body));
  assert.deepEqual(agents.body.map((x: { email: string }) => x.email), ['one@a.example']);
  assert.equal((await as(reader.access_token, site2).get('/api/v1/agents')).status, 403, 'site 2 is not in its scopes');
  const refusedWrite = await as(reader.access_token, site1).post('/api/v1/agents', { email: 'new@a.example', name: 'New', password: 'new-password' });
  assert.equal(refusedWrite.status, 403, 'read-only');
  assert.equal((await as(reader.access_token).get('/api/v1/agents')).status, 400, 'the site must be named');
  assert.equal((await as(reader.access_token, site1).get('/api/v1/agents/me')).status, 403, 'agent-only routes stay agent-only');
  // It cannot use the Partner API.
  assert.equal((await partnerApi(app, reader.access_token).get('/sites')).status, 403);

  // Read-write on every site of the partner, and never another partner's site.
  const writer = await clientToken(['site-data:write']);
  const created = await as(writer.access_token, site2).post('/api/v1/agents', { email: 'new@a.example', name: 'New', password: 'new-password' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.siteId, site2);
  const group = await as(writer.access_token, site2).post('/api/v1/groups', { name: 'Sales', agentIds: [created.body.id] });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  assert.equal((await as(writer.access_token, siteOfB).get('/api/v1/agents')).status, 404);
  const bAgents = await call(app.url, 'GET', '/api/v1/agents', { token: writer.access_token, headers: { 'parley-site-id': String(siteOfB) } });
  assert.equal(bAgents.status, 404);

  // A client may be granted less than it may have, never more.
  const narrowed = await clientToken(['site-data:write'], `site-data:read site:${site2}`);
  assert.equal((await as(narrowed.access_token, site2).get('/api/v1/agents')).body.length, 2);
  assert.equal((await as(narrowed.access_token, site1).get('/api/v1/agents')).status, 403);
  const tooMuch = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: String(a.partnerId), client_secret: a.apiKey, scope: 'site-data:write' });
  assert.equal(tooMuch.status, 400);
  assert.equal(tooMuch.body.error, 'invalid_scope');

  // Chats and their messages are readable, not writable.
  const visitor = await openVisitor(app, site1);
  const chat = await visitor.api.post('/api/v1/chats', {});
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  const chatId = chat.body.id as number;
  await visitor.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'Hello?' } });
  const chats = await as(reader.access_token, site1).get('/api/v1/chats');
  assert.equal(chats.status, 200, JSON.stringify(chats.body));
  assert.ok(chats.body.some((c: { id: number }) => c.id === chatId));
  const messages = await as(reader.access_token, site1).get(`/api/v1/chats/${chatId}/messages`);
  assert.equal(messages.status, 200, JSON.stringify(messages.body));
  assert.ok(JSON.stringify(messages.body).includes('Hello?'));
  const write = await as(writer.access_token, site1).post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'from a client' } });
  assert.equal(write.status, 403);

  // The partner's IP allow-list holds here too.
  assert.equal((await a.portal.put('/api/v1/partner/ip-restrictions', { ipRestrictions: ['192.0.2.0/24'] })).status, 200);
  assert.equal((await as(reader.access_token, site1).get('/api/v1/agents')).status, 403);
});
