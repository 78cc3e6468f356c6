// Work never stays with an operator who cannot do it: a blocked operator's sessions, and the
// offered-but-unaccepted sessions of one who goes offline, go back to the queue and on to others.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chatWith, createOperator, operatorSite } from './helpers/operator.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

test("a blocked operator's sessions go to an online colleague, active ones too", async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId, { name: 'Alice', maxConcurrentChats: 2 });
  await alice.api.post('/operator/users/me/activate');
  const active = await chatWith(app, siteId, { message: 'first' });
  const offered = await chatWith(app, siteId, { message: 'second' });
  assert.equal((await alice.api.post(`/operator/sessions/${active.chatId}/operators/messages`, { text: 'on it' })).status, 201);
  assert.equal((await alice.api.get(`/operator/sessions/${offered.chatId}`)).body.status, 'assigned');

  const bob = await createOperator(app, siteId, { name: 'Bob' });
  const bobLive = await connectLive(app.url, bob.token);
  t.after(() => bobLive.close());
  await bob.api.post('/operator/users/me/activate');
  assert.equal((await admin.api.patch(`/api/v1/agents/${alice.id}`, { isActive: false })).status, 200);

  for (const chatId of [active.chatId, offered.chatId]) {
    const added = await bobLive.next((d) => d.event === 'chatSessionAdded' && d.sessionId === chatId, `session ${chatId} at Bob`);
    assert.equal((added.session as { agentId: number }).agentId, bob.id);
  }
  const sessions = await bob.api.get(`/operator/sessions?operatorId=${bob.id}`);
  assert.deepEqual(sessions.body.items.map((s: { id: number }) => s.id).sort(), [active.chatId, offered.chatId].sort());
  assert.equal((await bob.api.get(`/operator/sessions?operatorId=${alice.id}&status=open`)).body.items.length, 0);
});

test('an operator going offline gives back the sessions it had not accepted, and keeps the others', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId, { name: 'Alice', maxConcurrentChats: 2 });
  await alice.api.post('/operator/users/me/activate');
  const kept = await chatWith(app, siteId, { message: 'first' });
  const offered = await chatWith(app, siteId, { message: 'second' });
  await alice.api.post(`/operator/sessions/${kept.chatId}/accept`);

  const aliceLive = await connectLive(app.url, alice.token);
  t.after(() => aliceLive.close());
  assert.equal((await alice.api.post('/operator/auth/logout')).status, 204);
  const gone = await aliceLive.next((d) => d.event === 'chatSessionDeleted', 'chatSessionDeleted before the logout closes the connection');
  assert.deepEqual([gone.sessionId, gone.reason], [offered.chatId, 'unavailable']);
  const waiting = await offered.visitorApi.get(`/api/v1/chats/${offered.chatId}`);
  assert.deepEqual([waiting.body.status, waiting.body.agentId, waiting.body.queuePosition], ['queued', null, 1]);
  const still = await kept.visitorApi.get(`/api/v1/chats/${kept.chatId}`);
  assert.deepEqual([still.body.status, still.body.agentId], ['active', alice.id]);
});
