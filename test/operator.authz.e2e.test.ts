// Who may do what on the operator API, end to end: an operator changes only its own messages; an
// operator of one site cannot see or touch another site's sessions, clients, operators or groups
// (404, as if they did not exist); visitors and anonymous callers are refused; only site admins
// block operators. And bad input: problem+json 400, with nothing changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiResponse } from './helpers/api.ts';
import { startParley } from './helpers/parley.ts';
import { chatWith, contents, createGroup, createOperator, operatorClient, operatorSite } from './helpers/operator.ts';

function assertProblem(res: ApiResponse, status: number, what: string): void {
  const body = res.body as { type?: string; status?: number };
  assert.equal(res.status, status, `${what}: ${JSON.stringify(body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(body.status, status, what);
  assert.match(body.type ?? '', /^urn:parley:problem:/, what);
}

test("an operator cannot edit or delete another operator's message", async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  const bob = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const { chatId } = await chatWith(app, siteId, { message: 'hi' });
  const send = `/operator/sessions/${chatId}/operators/messages`;
  const mine = await alice.api.post(send, { text: "Alice's words" });
  assert.equal(mine.status, 201);
  // Even once the session is Bob's, Alice's message stays hers.
  await bob.api.post('/operator/users/me/activate');
  assert.equal((await alice.api.post(`/operator/sessions/${chatId}/operators/${bob.id}`)).status, 200);

  for (const [who, api] of [['bob', bob.api], ['an admin', admin.api]] as const) {
    assertProblem(await api.put(`${send}/${mine.body.id}`, { text: 'rewritten' }), 403, `${who} edits`);
    assertProblem(await api.del(`${send}/${mine.body.id}`), 403, `${who} deletes`);
  }
  const [, stored] = (await admin.api.get(`/operator/sessions/${chatId}/messages`)).body;
  assert.deepEqual([stored.data, stored.editedAt, stored.deletedAt, stored.revisions], [{ content: "Alice's words" }, null, null, []]);
  // A visitor's message is nobody's to change.
  const [visitorMessage] = (await bob.api.get(`/operator/sessions/${chatId}/messages`)).body;
  assertProblem(await bob.api.put(`${send}/${visitorMessage.id}`, { text: 'rewritten' }), 403, 'edit a visitor message');
  // A non-admin cannot end another operator's session.
  const other = await chatWith(app, siteId, { message: 'second' });
  assert.equal(other.chat.agentId, alice.id);
  assertProblem(await bob.api.del(`/operator/sessions/${other.chatId}`), 403, 'end a colleague session');
  assert.equal((await bob.api.get(`/operator/sessions/${other.chatId}`)).body.status, 'assigned');
});

test("an operator of one site cannot read or act on another site's sessions, clients, operators or groups", async (t) => {
  const app = await startParley(t);
  const a = await operatorSite(app);
  const b = await operatorSite(app);
  const alice = await createOperator(app, a.siteId, { name: 'Alice' });
  const bea = await createOperator(app, b.siteId, { name: 'Bea' });
  const bGroup = await createGroup(b.admin, 'B team', [bea.id]);
  const aGroup = await createGroup(a.admin, 'A team', [alice.id]);
  for (const op of [alice, bea]) await op.api.post('/operator/users/me/activate');
  const own = await chatWith(app, a.siteId, { message: 'mine' });
  const foreign = await chatWith(app, b.siteId, { message: 'theirs' });
  assert.equal(foreign.chat.agentId, bea.id);
  const foreignMessage = await bea.api.post(`/operator/sessions/${foreign.chatId}/operators/messages`, { text: 'Bea here' });
  assert.equal(foreignMessage.status, 201);
  const s = `/operator/sessions/${foreign.chatId}`;

  for (const api of [alice.api, a.admin.api]) {
    const attempts: [string, Promise<ApiResponse>][] = [
      ['get', api.get(s)],
      ['end', api.del(s)],
      ['messages', api.get(`${s}/messages`)],
      ['send', api.post(`${s}/operators/messages`, { text: 'intruder' })],
      ['edit', api.put(`${s}/operators/messages/${foreignMessage.body.id}`, { text: 'intruder' })],
      ['delete', api.del(`${s}/operators/messages/${foreignMessage.body.id}`)],
      ['transfer', api.post(`${s}/operators/${alice.id}`)],
      ['group transfer', api.post(`${s}/groupoperators/${aGroup}`)],
      ['rename', api.put(`${s}/names/mine`)],
      ['accept', api.post(`${s}/accept`)],
      ['bot', api.post(`${s}/bot`)],
      ['read', api.post(`${s}/read`, { seq: 1 })],
      ['typing', api.post(`${s}/typing`, { typing: true })],
      ['client messages', api.get(`/operator/clients/${foreign.visitor.id}/messages`)],
      ['ban', api.post(`/operator/clients/${foreign.visitor.id}/ban`)],
      ['unban', api.post(`/operator/clients/${foreign.visitor.id}/unban`)],
      // Alice's own session cannot go to site B's operator or group either.
      ['transfer to B operator', api.post(`/operator/sessions/${own.chatId}/operators/${bea.id}`)],
      ['transfer to B group', api.post(`/operator/sessions/${own.chatId}/groupoperators/${bGroup}`)],
    ];
    for (const [what, res] of attempts) assertProblem(await res, 404, what);

    const listed = await api.get(`/operator/sessions?clientId=${foreign.visitor.id}`);
    assert.deepEqual(listed.body.items, []);
    const allListed = (await api.get('/operator/sessions')).body.items.map((c: { id: number }) => c.id);
    assert.deepEqual(allListed, [own.chatId]);
    assert.deepEqual((await api.get('/operator/users')).body.map((u: { id: number }) => u.id).sort(), [a.admin.id, alice.id].sort());
    assert.deepEqual((await api.get('/operator/groups')).body.map((g: { id: number }) => g.id), [aGroup]);
  }

  // Nothing changed on either side.
  const theirs = (await bea.api.get(s)).body;
  assert.deepEqual([theirs.status, theirs.agentId, theirs.name, theirs.lastSeq, theirs.agentReadSeq], ['active', bea.id, null, 2, 0]);
  assert.deepEqual(contents((await bea.api.get(`${s}/messages`)).body), ['theirs', 'Bea here']);
  assert.equal((await foreign.visitorApi.get('/api/v1/visitors/me')).body.isBanned, false);
  const mine = (await alice.api.get(`/operator/sessions/${own.chatId}`)).body;
  assert.deepEqual([mine.agentId, mine.groupId, mine.status], [alice.id, null, 'assigned']);
});

test('visitors and anonymous callers are refused on /operator; only site admins block operators', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  const bob = await createOperator(app, siteId);
  const { visitorApi, chatId, visitor } = await chatWith(app, siteId, { message: 'hi' });
  const anonymous = operatorClient(app.url);
  const garbage = operatorClient(app.url, 'pla_not-a-real-token');

  const routes: [string, (api: ReturnType<typeof operatorClient>) => Promise<ApiResponse>][] = [
    ['users/me', (api) => api.get('/operator/users/me')],
    ['activate', (api) => api.post('/operator/users/me/activate')],
    ['users', (api) => api.get('/operator/users')],
    ['timestamp', (api) => api.get('/operator/timestamp')],
    ['sessions', (api) => api.get('/operator/sessions')],
    ['session', (api) => api.get(`/operator/sessions/${chatId}`)],
    ['send', (api) => api.post(`/operator/sessions/${chatId}/operators/messages`, { text: 'x' })],
    ['end', (api) => api.del(`/operator/sessions/${chatId}`)],
    ['ban', (api) => api.post(`/operator/clients/${visitor.id}/ban`)],
    ['refresh', (api) => api.post('/operator/auth/refresh')],
    ['logout', (api) => api.post('/operator/auth/logout')],
  ];
  for (const [what, route] of routes) {
    assertProblem(await route(anonymous), 401, `${what} without a token`);
    assertProblem(await route(garbage), 401, `${what} with a garbage token`);
    assertProblem(await route(visitorApi), 403, `${what} with a visitor token`);
  }
  const chat = (await admin.api.get(`/operator/sessions/${chatId}`)).body;
  assert.deepEqual([chat.status, chat.lastSeq], ['queued', 1]);
  assert.equal((await visitorApi.get('/api/v1/visitors/me')).body.isBanned, false);

  // A non-admin operator cannot block a colleague (nor unblock).
  assertProblem(await alice.api.patch(`/api/v1/agents/${bob.id}`, { isActive: false }), 403, 'non-admin blocks');
  assert.equal((await bob.api.get('/operator/users/me')).body.isActive, true);
  assert.equal((await admin.api.patch(`/api/v1/agents/${bob.id}`, { isActive: false })).status, 200);
  assertProblem(await alice.api.patch(`/api/v1/agents/${bob.id}`, { isActive: true }), 403, 'non-admin unblocks');
  assert.equal((await admin.api.get('/operator/users')).body.find((u: { id: number }) => u.id === bob.id).isActive, false);
});

test('bad input gets problem+json 400 and changes nothing', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const { chatId } = await chatWith(app, siteId, { message: 'hi' });
  const session = `/operator/sessions/${chatId}`;
  const sent = await alice.api.post(`${session}/operators/messages`, { text: 'kept' });
  assert.equal(sent.status, 201);
  const before = { session: (await alice.api.get(session)).body, messages: (await alice.api.get(`${session}/messages`)).body };

  const bad: [string, Promise<ApiResponse>][] = [
    ['empty text', alice.api.post(`${session}/operators/messages`, { text: '' })],
    ['no text', alice.api.post(`${session}/operators/messages`, { clientMessageId: 'x' })],
    ['unknown field', alice.api.post(`${session}/operators/messages`, { text: 'hi', html: '<b>hi</b>' })],
    ['text not a string', alice.api.post(`${session}/operators/messages`, { text: 42 })],
    ['empty edit', alice.api.put(`${session}/operators/messages/${sent.body.id}`, { text: '' })],
    ['edit with unknown field', alice.api.put(`${session}/operators/messages/${sent.body.id}`, { text: 'x', pinned: true })],
    ['blank name', alice.api.put(`${session}/names/${encodeURIComponent('   ')}`)],
    ['read past the end', alice.api.post(`${session}/read`, { seq: 99 })],
    ['typing not a boolean', alice.api.post(`${session}/typing`, { typing: 'yes' })],
    ['bad session id', alice.api.get('/operator/sessions/abc')],
    ['garbage cursor', alice.api.get('/operator/sessions?cursor=not-a-cursor')],
    ['forged cursor', alice.api.get(`/operator/sessions?cursor=${Buffer.from('s:0').toString('base64url')}`)],
    ['bad from date', alice.api.get('/operator/sessions?from=yesterday')],
    ['impossible to date', alice.api.get('/operator/sessions?to=2024-13-45T00:00:00Z')],
    ['leap second', alice.api.get('/operator/sessions?from=2016-12-31T23:59:60Z')],
    ['unknown status', alice.api.get('/operator/sessions?status=closed')],
    ['unknown filter', alice.api.get('/operator/sessions?colour=red')],
    ['limit out of range', alice.api.get('/operator/sessions?limit=0')],
    ['login with an unknown field', operatorClient(app.url).post('/operator/auth/login', { email: alice.email, password: alice.password, remember: true })],
  ];
  for (const [what, res] of bad) assertProblem(await res, 400, what);

  assert.deepEqual((await alice.api.get(session)).body, before.session);
  assert.deepEqual((await alice.api.get(`${session}/messages`)).body, before.messages);
  // The refused login issued no new session: the current token still works.
  assert.equal((await alice.api.get('/operator/users/me')).status, 200);
});
