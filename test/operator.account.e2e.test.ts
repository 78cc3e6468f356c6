// The operator panel's account side, end to end: logging in, refreshing and out; the operator
// itself, its colleagues, its groups and the server clock; and clients — their messages across
// sessions, banning and unbanning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';
import { chatWith, contents, createGroup, createOperator, disconnection, operatorClient, operatorSite } from './helpers/operator.ts';

test('an operator logs in, reads itself, its colleagues, groups and the clock, pauses, activates, refreshes and logs out', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const bob = await createOperator(app, siteId, { name: 'Bob' });
  const groupId = await createGroup(admin, 'Sales', [bob.id]);

  const wrong = await operatorClient(app.url).post('/operator/auth/login', { email: bob.email, password: 'not-his-password' });
  assert.equal(wrong.status, 401);
  const login = await operatorClient(app.url).post('/operator/auth/login', { email: bob.email.toUpperCase(), password: bob.password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.equal(login.body.agentId, bob.id);
  assert.equal(login.body.siteId, siteId);
  assert.match(login.body.token, /^pla_/);
  assert.ok(Date.parse(login.body.expiresAt) > Date.now());
  const api = operatorClient(app.url, login.body.token);

  const me = await api.get('/operator/users/me');
  assert.equal(me.status, 200);
  assert.deepEqual([me.body.id, me.body.name, me.body.role, me.body.status, me.body.isActive], [bob.id, 'Bob', 'agent', 'offline', true]);

  // Activate and pause: the answer and the stored status agree.
  const activated = await api.post('/operator/users/me/activate');
  assert.equal(activated.status, 200);
  assert.equal(activated.body.status, 'online');
  assert.equal((await api.get('/operator/users/me')).body.status, 'online');
  const paused = await api.post('/operator/users/me/pause');
  assert.equal(paused.body.status, 'away');
  assert.equal((await api.get('/operator/users/me')).body.status, 'away');
  const colleagues = await admin.api.get('/operator/users');
  assert.equal(colleagues.status, 200);
  assert.deepEqual(
    colleagues.body.map((u: { id: number; status: string }) => [u.id, u.status]),
    [
      [admin.id, 'offline'],
      [bob.id, 'away'],
    ],
  );
  for (const u of colleagues.body) assert.equal(Object.keys(u).some((k) => /password/i.test(k)), false);

  const groups = await api.get('/operator/groups');
  assert.equal(groups.status, 200);
  assert.deepEqual(
    groups.body.map((g: { id: number; name: string; agentIds: number[]; siteId: number }) => [g.id, g.name, g.agentIds, g.siteId]),
    [[groupId, 'Sales', [bob.id], siteId]],
  );

  const before = Date.now();
  const clock = await api.get('/operator/timestamp');
  const after = Date.now();
  assert.equal(clock.status, 200);
  assert.ok(clock.body.timestamp >= before && clock.body.timestamp <= after, JSON.stringify(clock.body));
  assert.equal(clock.body.iso, new Date(clock.body.timestamp).toISOString());

  // A refresh gives a second token of the same session and keeps the first.
  const refreshed = await api.post('/operator/auth/refresh');
  assert.equal(refreshed.status, 200);
  assert.notEqual(refreshed.body.token, login.body.token);
  assert.equal(refreshed.body.agentId, bob.id);
  const second = operatorClient(app.url, refreshed.body.token);
  assert.equal((await second.get('/operator/users/me')).status, 200);
  assert.equal((await api.get('/operator/users/me')).status, 200);

  // Logging out ends the session, refreshed tokens included, and takes the operator offline.
  const out = await api.post('/operator/auth/logout');
  assert.equal(out.status, 204);
  assert.equal((await api.get('/operator/users/me')).status, 401);
  assert.equal((await api.post('/operator/auth/refresh')).status, 401);
  assert.equal((await second.get('/operator/users/me')).status, 401);
  const team = await admin.api.get('/operator/users');
  assert.equal(team.body.find((u: { id: number }) => u.id === bob.id).status, 'offline');
});

test("clients/{id}/messages gathers one client's messages across its sessions, oldest first, with a cursor", async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId, { name: 'Alice' });
  await alice.api.post('/operator/users/me/activate');

  const first = await chatWith(app, siteId, { message: 'first visit' });
  assert.equal(first.chat.agentId, alice.id);
  assert.equal((await alice.api.post(`/operator/sessions/${first.chatId}/operators/messages`, { text: 'hello' })).status, 201);
  assert.equal((await first.visitorApi.post(`/api/v1/chats/${first.chatId}/end`)).status, 200);
  // The same visitor comes back for a second session; another visitor talks meanwhile.
  const again = await first.visitorApi.post('/api/v1/chats', { message: { type: 'message', data: { content: 'second visit' } } });
  assert.equal(again.status, 201);
  assert.notEqual(again.body.id, first.chatId);
  const other = await chatWith(app, siteId, { message: 'someone else' });

  const all = await alice.api.get(`/operator/clients/${first.visitor.id}/messages`);
  assert.equal(all.status, 200);
  assert.deepEqual(
    all.body.map((m: { chatId: number; type: string; senderKind: string }) => [m.chatId, m.type, m.senderKind]),
    [
      [first.chatId, 'message', 'visitor'],
      [first.chatId, 'message', 'agent'],
      [first.chatId, 'close', 'system'],
      [again.body.id, 'message', 'visitor'],
    ],
  );
  assert.deepEqual(contents(all.body), ['first visit', 'hello', undefined, 'second visit']);
  assert.equal(all.body.some((m: { chatId: number }) => m.chatId === other.chatId), false);

  // Paging with afterId (the last id seen) and limit walks the same list without gaps.
  const page1 = await alice.api.get(`/operator/clients/${first.visitor.id}/messages?limit=3`);
  const page2 = await alice.api.get(`/operator/clients/${first.visitor.id}/messages?limit=3&afterId=${page1.body.at(-1).id}`);
  assert.deepEqual([...page1.body, ...page2.body].map((m: { id: number }) => m.id), all.body.map((m: { id: number }) => m.id));

  const unknown = await alice.api.get('/operator/clients/999999/messages');
  assert.equal(unknown.status, 404);
});

test("a banned client's token stops working and its live connection is closed; unbanning lets it back", async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const { visitor, visitorApi, chatId } = await chatWith(app, siteId, { message: 'spam' });
  const aliceLive = await connectLive(app.url, alice.token);
  const visitorLive = await connectLive(app.url, visitor.token);
  t.after(() => {
    aliceLive.close();
    visitorLive.close();
  });
  const gone = disconnection(visitorLive, 'visitor disconnect');

  const banned = await alice.api.post(`/operator/clients/${visitor.id}/ban`);
  assert.equal(banned.status, 200, JSON.stringify(banned.body));
  assert.deepEqual([banned.body.id, banned.body.isBanned], [visitor.id, true]);
  // 3507 (permission denied) is in the range centrifuge-js does not reconnect from.
  assert.equal((await gone).code, 3507);
  assert.equal(visitorLive.client.state, 'disconnected');
  const told = await aliceLive.next((d) => d.event === 'clientBanned', 'clientBanned');
  assert.deepEqual([told.clientId, told.operatorId], [visitor.id, alice.id]);

  assert.equal((await visitorApi.get('/api/v1/visitors/me')).status, 401);
  assert.equal((await visitorApi.get(`/api/v1/chats/${chatId}`)).status, 401);
  const refused = await visitorApi.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'more spam' } });
  assert.equal(refused.status, 401);
  await assert.rejects(connectLive(app.url, visitor.token), /disconnected: 3500/);
  const history = await alice.api.get(`/operator/sessions/${chatId}/messages`);
  assert.deepEqual(contents(history.body), ['spam']);
  // Banning again changes nothing and says so.
  assert.equal((await alice.api.post(`/operator/clients/${visitor.id}/ban`)).body.isBanned, true);

  const unbanned = await alice.api.post(`/operator/clients/${visitor.id}/unban`);
  assert.equal(unbanned.status, 200);
  assert.equal(unbanned.body.isBanned, false);
  const back = await visitorApi.get('/api/v1/visitors/me');
  assert.equal(back.status, 200);
  assert.equal(back.body.isBanned, false);
  const live = await connectLive(app.url, visitor.token);
  live.close();
});
