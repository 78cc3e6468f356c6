// The operator panel's account events, end to end through the unmodified centrifuge client: an
// operator blocked (operatorBlocked, then let go), logging in elsewhere (chatUserExists, then let
// go), logging out in another tab (operatorLoggedOut), and clients coming and going
// (clientOnline, clientOffline). "Let go" means a disconnect centrifuge-js does not reconnect from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';
import { createOperator, disconnection, operatorClient, operatorLogin, operatorSite } from './helpers/operator.ts';

test('a blocked operator is told (operatorBlocked), disconnected for good, and its token stops working', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const live = await connectLive(app.url, alice.token);
  t.after(() => live.close());
  const gone = disconnection(live, 'blocked operator disconnect');

  const blocked = await admin.api.patch(`/api/v1/agents/${alice.id}`, { isActive: false });
  assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
  assert.deepEqual([blocked.body.isActive, blocked.body.status], [false, 'offline']);
  const told = await live.next((d) => d.event === 'operatorBlocked', 'operatorBlocked');
  assert.equal(told.operatorId, alice.id);
  assert.equal((await gone).code, 3507);
  assert.equal(live.client.state, 'disconnected');
  // The event came before the disconnect, on the same connection.
  assert.ok(live.publications.some((p) => p.data.event === 'operatorBlocked'));

  assert.equal((await alice.api.get('/operator/users/me')).status, 401);
  assert.equal((await alice.api.get('/operator/sessions')).status, 401);
  assert.equal((await operatorClient(app.url).post('/operator/auth/login', { email: alice.email, password: alice.password })).status, 401);
  await assert.rejects(connectLive(app.url, alice.token), /disconnected: 3500/);
  const stored = (await admin.api.get('/operator/users')).body.find((u: { id: number }) => u.id === alice.id);
  assert.deepEqual([stored.isActive, stored.status], [false, 'offline']);

  // Unblocked, she can log in again.
  assert.equal((await admin.api.patch(`/api/v1/agents/${alice.id}`, { isActive: true })).body.isActive, true);
  const again = await operatorLogin(app, alice.email, alice.password);
  assert.equal((await again.api.get('/operator/users/me')).status, 200);
});

test('logging in again elsewhere tells the first session (chatUserExists), closes it and revokes its token', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const first = await createOperator(app, siteId);
  const firstLive = await connectLive(app.url, first.token);
  t.after(() => firstLive.close());
  const gone = disconnection(firstLive, 'first session disconnect');

  const second = await operatorLogin(app, first.email, first.password);
  assert.equal(second.id, first.id);
  const told = await firstLive.next((d) => d.event === 'chatUserExists', 'chatUserExists');
  assert.equal(told.operatorId, first.id);
  assert.equal((await gone).code, 3503);
  assert.equal(firstLive.client.state, 'disconnected');
  assert.equal((await first.api.get('/operator/users/me')).status, 401);

  // The new session works, on REST and live, and stays up.
  assert.equal((await second.api.get('/operator/users/me')).status, 200);
  const secondLive = await connectLive(app.url, second.token);
  t.after(() => secondLive.close());
  await second.api.post('/operator/users/me/activate');
  const status = await secondLive.next((d) => d.event === 'operatorStatusChanged', 'status change on the new connection');
  assert.deepEqual([status.operatorId, status.status], [first.id, 'online']);
  assert.equal(secondLive.client.state, 'connected');
  assert.equal(secondLive.publications.some((p) => p.data.event === 'chatUserExists'), false);
});

test('concurrent logins of one operator leave it a working session', async (t) => {
  const app = await startParley(t, { PARLEY_LOGIN_RATE_LIMIT: '100' });
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  let previous = alice.api;
  // A double (or triple) click on "log in", a few times over: each login replaces the earlier
  // sessions, never a later one, so the last of them always works.
  for (let round = 0; round < 5; round++) {
    const logins = await Promise.all(
      [1, 2, 3, 4].map(() => operatorClient(app.url).post('/operator/auth/login', { email: alice.email, password: alice.password })),
    );
    assert.deepEqual(logins.map((l) => l.status), [200, 200, 200, 200]);
    const working: string[] = [];
    for (const login of logins) {
      if ((await operatorClient(app.url, login.body.token).get('/operator/users/me')).status === 200) working.push(login.body.token);
    }
    assert.ok(working.length >= 1, `round ${round}: at least one of the new sessions works`);
    assert.equal((await previous.get('/operator/users/me')).status, 401, `round ${round}: the session before them is replaced`);
    previous = operatorClient(app.url, working[0]);
  }
  const live = await connectLive(app.url, previous.token!);
  live.close();
});

test('a token refreshed from an earlier session after a newer login does not work', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const first = await createOperator(app, siteId);
  const { identity } = app.parley.services;
  // The old tab's refresh checked its token just before the new login, and is issued just after it.
  const oldPrincipal = await identity.authenticate(first.token);
  const second = await operatorLogin(app, first.email, first.password);
  const late = await identity.refreshAgentToken(oldPrincipal);
  assert.equal((await operatorClient(app.url, late.token).get('/operator/users/me')).status, 401);
  assert.equal((await second.api.get('/operator/users/me')).status, 200);
});

test('logging out tells every tab (operatorLoggedOut) and ends the session in all of them, refreshed tokens too', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  // A second tab of the same session, on a token refreshed from the first (as getToken does).
  const refreshed = await alice.api.post('/operator/auth/refresh');
  assert.equal(refreshed.status, 200);
  const tab2Api = operatorClient(app.url, refreshed.body.token);
  const tab1 = await connectLive(app.url, alice.token);
  const tab2 = await connectLive(app.url, refreshed.body.token);
  t.after(() => {
    tab1.close();
    tab2.close();
  });
  const [tab1Gone, tab2Gone] = [disconnection(tab1, 'tab 1 disconnect'), disconnection(tab2, 'tab 2 disconnect')];

  assert.equal((await alice.api.post('/operator/auth/logout')).status, 204);
  for (const tab of [tab1, tab2]) {
    const told = await tab.next((d) => d.event === 'operatorLoggedOut', 'operatorLoggedOut');
    assert.equal(told.operatorId, alice.id);
  }
  assert.equal((await tab1Gone).code, 3500);
  assert.equal((await tab2Gone).code, 3500);
  assert.equal((await alice.api.get('/operator/users/me')).status, 401);
  assert.equal((await tab2Api.get('/operator/users/me')).status, 401);
  const colleagues = await admin.api.get('/operator/users');
  assert.equal(colleagues.body.find((u: { id: number }) => u.id === alice.id).status, 'offline');
});

test('clients coming and going: clientOnline and clientOffline on the site channel', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  const aliceLive = await connectLive(app.url, alice.token);
  t.after(() => aliceLive.close());
  const visitor = await openVisitor(app, siteId);

  const visitorLive = await connectLive(app.url, visitor.token);
  const online = await aliceLive.next((d) => d.event === 'clientOnline' && d.clientId === visitor.id, 'clientOnline');
  const { visitor: shown, ...rest } = online as unknown as { visitor: { id: number; online: boolean; name: string }; event: string; clientId: number };
  assert.deepEqual(rest, { event: 'clientOnline', clientId: visitor.id });
  // It says how the visitor list shows the newcomer.
  assert.deepEqual({ id: shown.id, online: shown.online, name: shown.name }, { id: visitor.id, online: true, name: 'Visitor' });
  assert.equal(aliceLive.publications.some((p) => p.data.event === 'clientOffline'), false);

  visitorLive.close();
  const offline = await aliceLive.next((d) => d.event === 'clientOffline' && d.clientId === visitor.id, 'clientOffline');
  assert.deepEqual(offline, { event: 'clientOffline', clientId: visitor.id });

  // Back again: online again.
  const back = await connectLive(app.url, visitor.token);
  t.after(() => back.close());
  await aliceLive.next(
    (d) => d.event === 'clientOnline' && aliceLive.publications.filter((p) => p.data.event === 'clientOnline').length === 2,
    'second clientOnline',
  );
});
