// The operator panel's live chat events, end to end through the unmodified centrifuge client: a
// session arriving (chatSessionStarted, operatorNotFound, chatSessionAdded), messages, reads and
// typing both ways, edits and deletions, transfers and the robot (chatSessionDeleted,
// chatSessionSwitchedFromBotToOperator), and either side closing. Operators hear their own and
// their site's channel; the visitor hears its own, with the matching events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive, type LiveClient } from './helpers/realtime.ts';
import { createOperator, operatorClient, operatorSite, teamWithGroup } from './helpers/operator.ts';

type Data = { event: string; [k: string]: unknown };
// biome-ignore lint/suspicious/noExplicitAny: payload fields are read one by one and asserted on
type Loose = any;

/** Waits for `event` about session `sessionId` (and whatever else `also` asks of it). */
function on(live: LiveClient, event: string, sessionId: number, also: (d: Loose) => boolean = () => true): Promise<Loose> {
  return live.next((d: Data) => d.event === event && d.sessionId === sessionId && also(d), `${event} of session ${sessionId}`);
}

function closeAll(...lives: LiveClient[]): void {
  for (const live of lives) live.close();
}

test('a session arrives, both sides talk, read, type, edit and delete live, and the client closes it', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId, { name: 'Alice' });
  const aliceLive = await connectLive(app.url, alice.token);
  const visitor = await openVisitor(app, siteId);
  const visitorLive = await connectLive(app.url, visitor.token);
  t.after(() => closeAll(aliceLive, visitorLive));
  const visitorApi = operatorClient(app.url, visitor.token);

  // Nobody is online: the site hears of the new session, and that it found no operator.
  const requested = await visitorApi.post('/api/v1/chats', { message: { type: 'message', data: { content: 'Hello?' } } });
  assert.equal(requested.body.status, 'queued');
  const chatId: number = requested.body.id;
  const started = await on(aliceLive, 'chatSessionStarted', chatId);
  assert.deepEqual([started.clientId, started.session.id, started.session.visitorId, started.session.status], [visitor.id, chatId, visitor.id, 'queued']);
  const notFound = await on(aliceLive, 'operatorNotFound', chatId);
  assert.deepEqual([notFound.clientId, notFound.queuePosition, notFound.session.id], [visitor.id, 1, chatId]);

  // Alice activates and the session comes to her.
  await alice.api.post('/operator/users/me/activate');
  const added = await on(aliceLive, 'chatSessionAdded', chatId);
  assert.deepEqual([added.clientId, added.session.status, added.session.agentId, added.fromOperatorId], [visitor.id, 'assigned', alice.id, null]);

  const fromVisitor = await visitorApi.post(`/api/v1/chats/${chatId}/messages`, { type: 'message', data: { content: 'Still there?' } });
  const created = await on(aliceLive, 'chatMessageCreated', chatId, (d) => d.message.id === fromVisitor.body.id);
  assert.deepEqual([created.clientId, created.message.senderKind, created.message.data], [visitor.id, 'visitor', { content: 'Still there?' }]);

  const send = `/operator/sessions/${chatId}/operators/messages`;
  const reply = await alice.api.post(send, { text: 'Yes, Alice here' });
  assert.equal(reply.status, 201);
  const atVisitor = await on(visitorLive, 'chatMessageCreated', chatId, (d) => d.message.senderKind === 'agent');
  assert.deepEqual([atVisitor.message.id, atVisitor.message.senderId, atVisitor.message.data], [reply.body.id, alice.id, { content: 'Yes, Alice here' }]);

  // Reads and typing, each side told of the other's.
  assert.equal((await visitorApi.post(`/api/v1/chats/${chatId}/read`, { seq: reply.body.seq })).status, 200);
  const readByClient = await on(aliceLive, 'chatMessageRead', chatId);
  assert.deepEqual([readByClient.clientId, readByClient.seq], [visitor.id, reply.body.seq]);
  assert.equal((await visitorApi.post(`/api/v1/chats/${chatId}/typing`, { typing: true })).status, 204);
  const clientTyping = await on(aliceLive, 'typing', chatId);
  assert.deepEqual([clientTyping.clientId, clientTyping.typing], [visitor.id, true]);
  assert.equal((await alice.api.post(`/operator/sessions/${chatId}/typing`, { typing: true })).status, 204);
  const operatorTyping = await on(visitorLive, 'typing', chatId);
  assert.deepEqual([operatorTyping.operatorId, operatorTyping.typing], [alice.id, true]);
  assert.equal((await alice.api.post(`/operator/sessions/${chatId}/read`, { seq: fromVisitor.body.seq })).status, 200);
  const readByOperator = await on(visitorLive, 'chatMessageRead', chatId);
  assert.deepEqual([readByOperator.operatorId, readByOperator.seq], [alice.id, fromVisitor.body.seq]);

  // Alice corrects her message, then withdraws it: both sides see each change.
  assert.equal((await alice.api.put(`${send}/${reply.body.id}`, { text: 'Yes, Alice from support here' })).status, 200);
  for (const live of [aliceLive, visitorLive]) {
    const edited = await on(live, 'chatMessageEdited', chatId);
    assert.deepEqual([edited.clientId, edited.message.id, edited.message.data], [visitor.id, reply.body.id, { content: 'Yes, Alice from support here' }]);
    assert.ok(edited.message.editedAt);
  }
  assert.equal((await alice.api.del(`${send}/${reply.body.id}`)).status, 200);
  const deleted = await on(visitorLive, 'chatMessageDeleted', chatId);
  assert.deepEqual([deleted.message.id, deleted.message.data], [reply.body.id, {}]);
  assert.ok(deleted.message.deletedAt);

  // The client closes the session.
  assert.equal((await visitorApi.post(`/api/v1/chats/${chatId}/end`)).status, 200);
  const closed = await on(aliceLive, 'sessionClosedByClient', chatId);
  assert.deepEqual([closed.clientId, closed.session.status, closed.session.endedBy], [visitor.id, 'ended', 'visitor']);
  const chatClosed = await on(visitorLive, 'chatClosed', chatId);
  assert.equal(chatClosed.endedBy, 'visitor');
});

test('transfers take the session from one operator (chatSessionDeleted) to another, the group, and the robot', async (t) => {
  const app = await startParley(t);
  const { siteId, alice, bob, support } = await teamWithGroup(app);
  const aliceLive = await connectLive(app.url, alice.token);
  const bobLive = await connectLive(app.url, bob.token);
  const visitor = await openVisitor(app, siteId);
  const visitorLive = await connectLive(app.url, visitor.token);
  t.after(() => closeAll(aliceLive, bobLive, visitorLive));

  const chatId: number = (await operatorClient(app.url, visitor.token).post('/api/v1/chats', {})).body.id;
  await on(aliceLive, 'chatSessionAdded', chatId);
  const session = `/operator/sessions/${chatId}`;
  assert.equal((await alice.api.post(`${session}/accept`)).status, 200);

  // Alice → Bob.
  await bob.api.post('/operator/users/me/activate');
  assert.equal((await alice.api.post(`${session}/operators/${bob.id}`)).status, 200);
  const leftAlice = await on(aliceLive, 'chatSessionDeleted', chatId);
  assert.deepEqual([leftAlice.clientId, leftAlice.reason], [visitor.id, 'transfer']);
  const toBob = await on(bobLive, 'chatSessionAdded', chatId);
  assert.deepEqual([toBob.clientId, toBob.fromOperatorId, toBob.session.agentId, toBob.session.status], [visitor.id, alice.id, bob.id, 'active']);
  const told = await on(visitorLive, 'chatTransferred', chatId, (d) => d.operatorId === bob.id);
  assert.deepEqual([told.fromOperatorId, told.groupId], [alice.id, null]);

  // Bob → the Support group, whose free member (Alice) is offered it.
  assert.equal((await bob.api.post(`${session}/groupoperators/${support}`)).status, 200);
  const leftBob = await on(bobLive, 'chatSessionDeleted', chatId);
  assert.deepEqual([leftBob.clientId, leftBob.reason], [visitor.id, 'transfer']);
  const toGroup = await on(visitorLive, 'chatTransferred', chatId, (d) => d.groupId === support);
  assert.deepEqual([toGroup.fromOperatorId, toGroup.operatorId], [bob.id, null]);
  const backToAlice = await on(aliceLive, 'chatSessionAdded', chatId, (d) => d.session.groupId === support);
  assert.deepEqual([backToAlice.session.agentId, backToAlice.session.status], [alice.id, 'assigned']);

  // Alice hands it to the robot: it leaves her.
  assert.equal((await alice.api.post(`${session}/bot`)).status, 200);
  const toRobot = await on(aliceLive, 'chatSessionDeleted', chatId, (d) => d.reason === 'bot');
  assert.equal(toRobot.clientId, visitor.id);
  await on(visitorLive, 'chatSwitchedToBot', chatId);
  assert.equal((await alice.api.get(session)).body.agentId, null);
});

test('a chat with the robot switches to operators (chatSessionSwitchedFromBotToOperator), and the operator closes it', async (t) => {
  const app = await startParley(t);
  const { siteId } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const aliceLive = await connectLive(app.url, alice.token);
  const visitor = await openVisitor(app, siteId);
  const visitorLive = await connectLive(app.url, visitor.token);
  t.after(() => closeAll(aliceLive, visitorLive));
  const visitorApi = operatorClient(app.url, visitor.token);

  const requested = await visitorApi.post('/api/v1/chats', { assignType: 'robot', message: { type: 'message', data: { content: 'bot, help' } } });
  assert.equal(requested.status, 201);
  assert.deepEqual([requested.body.status, requested.body.agentId], ['bot', null]);
  const chatId: number = requested.body.id;
  const started = await on(aliceLive, 'chatSessionStarted', chatId);
  assert.equal(started.session.status, 'bot');
  assert.equal((await alice.api.get(`/operator/sessions/${chatId}`)).body.agentId, null, 'the robot keeps it');

  const handover = await visitorApi.post(`/api/v1/chats/${chatId}/handover`);
  assert.equal(handover.status, 200, JSON.stringify(handover.body));
  assert.deepEqual([handover.body.status, handover.body.agentId], ['assigned', alice.id]);
  const switched = await on(aliceLive, 'chatSessionSwitchedFromBotToOperator', chatId);
  assert.deepEqual([switched.clientId, switched.session.id], [visitor.id, chatId]);
  const added = await on(aliceLive, 'chatSessionAdded', chatId);
  assert.equal(added.session.agentId, alice.id);
  assert.equal(aliceLive.publications.filter((p) => p.data.event === 'chatSessionAdded').length, 1);
  await on(visitorLive, 'chatSwitchedToOperator', chatId);
  assert.equal((await visitorApi.post(`/api/v1/chats/${chatId}/handover`)).status, 409);

  // The operator ends it; the visitor is told who did.
  assert.equal((await alice.api.del(`/operator/sessions/${chatId}`)).status, 200);
  const closed = await on(visitorLive, 'chatClosed', chatId);
  assert.equal(closed.endedBy, 'agent');
});
