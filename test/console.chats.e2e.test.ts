// The console's chat actions: refusing an offered chat (back to the queue, never offered to that
// agent again), joining (writing in someone else's chat, the visitor told), monitoring (silent,
// read only), leaving, the wrap-up at and after the end; rich text sanitized on the server; a chat
// asked for with a named agent; the agent's card the visitor sees.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from './helpers/api.ts';
import { activeChat, goOnline, type Json, on, onlineAgent, visitorChat } from './helpers/console.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

const text = (content: string) => ({ type: 'message', data: { content } });

test('refusing an offered chat puts it back in the queue and never offers it to that agent again', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const bob = await createAgent(app, site, { name: 'Bob' });
  const aliceLive = await connectLive(app.url, alice.token);
  const bobLive = await connectLive(app.url, bob.token);
  t.after(() => aliceLive.close());
  t.after(() => bobLive.close());

  const { visitor, chatId, chat } = await visitorChat(app, site.siteId, { message: 'Hello?' });
  assert.deepEqual([chat.status, chat.agentId], ['assigned', alice.id]);
  await on(aliceLive, 'chatSessionAdded', (d) => d.sessionId === chatId);

  // Only the agent it is offered to may refuse it; visitors never.
  for (const other of [bob.token, site.admin.token]) {
    const res = await call(app.url, 'POST', `/api/v1/chats/${chatId}/refuse`, { token: other });
    assert.ok([403, 409].includes(res.status), `someone else refuses: ${res.status}`);
  }
  assert.equal((await visitor.api.post(`/api/v1/chats/${chatId}/refuse`)).status, 403);
  assert.deepEqual([(await alice.api.get(`/api/v1/chats/${chatId}`)).body.status, (await alice.api.get(`/api/v1/chats/${chatId}`)).body.agentId], ['assigned', alice.id]);

  // Alice is the only one free, yet it waits rather than coming back to her.
  const refused = await alice.api.post(`/api/v1/chats/${chatId}/refuse`);
  assert.equal(refused.status, 200, JSON.stringify(refused.body));
  assert.deepEqual([refused.body.status, refused.body.agentId], ['queued', null]);
  const deleted = await on(aliceLive, 'chatSessionDeleted', (d) => d.sessionId === chatId);
  assert.deepEqual([deleted.reason, deleted.clientId], ['refused', visitor.id]);
  const now = await alice.api.get(`/api/v1/chats/${chatId}`);
  assert.deepEqual([now.body.status, now.body.agentId, now.body.queuePosition], ['queued', null, 1]);
  assert.equal((await alice.api.post(`/api/v1/chats/${chatId}/refuse`)).status, 409, 'nothing to refuse now');
  // Going offline and online again routes the site: still not to Alice.
  assert.equal((await alice.api.put('/api/v1/agents/me/status', { status: 'away' })).status, 200);
  await goOnline(alice);
  assert.equal((await alice.api.get(`/api/v1/chats/${chatId}`)).body.status, 'queued');
  // Another chat still comes to Alice.
  const next = await visitorChat(app, site.siteId);
  assert.equal(next.chat.agentId, alice.id);

  // Bob comes online: he is offered it.
  await goOnline(bob);
  const added = await on(bobLive, 'chatSessionAdded', (d) => d.sessionId === chatId);
  assert.equal(added.session.agentId, bob.id);
  assert.equal((await bob.api.get(`/api/v1/chats/${chatId}`)).body.agentId, bob.id);
  const offersToAlice = aliceLive.publications.filter((p) => (p.data as Json).event === 'chatSessionAdded' && (p.data as Json).sessionId === chatId);
  assert.equal(offersToAlice.length, 1, 'offered to Alice once only');

  // Bob accepts: an active chat cannot be refused.
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/accept`)).status, 200);
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/refuse`)).status, 409);

  // A chat asked for by name, refused by that agent, waits for anyone else.
  const named = await visitorChat(app, site.siteId, { agentId: alice.id });
  assert.equal(named.chat.agentId, alice.id);
  assert.equal((await alice.api.post(`/api/v1/chats/${named.chatId}/refuse`)).status, 200);
  await on(bobLive, 'chatSessionAdded', (d) => d.sessionId === named.chatId);
  assert.deepEqual([(await named.visitor.api.get(`/api/v1/chats/${named.chatId}`)).body.status, (await named.visitor.api.get(`/api/v1/chats/${named.chatId}`)).body.agentId], ['assigned', bob.id]);
});

test('a second agent joins a chat and writes in it, a third monitors it silently, both leave', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const bob = await createAgent(app, site, { name: 'Bob' });
  const carol = await createAgent(app, site, { name: 'Carol' });
  const { visitor, chatId } = await activeChat(app, site.siteId, alice, { message: 'My order is late' });
  const visitorLive = await connectLive(app.url, visitor.token);
  const aliceLive = await connectLive(app.url, alice.token);
  t.after(() => visitorLive.close());
  t.after(() => aliceLive.close());
  const lastSeq = async () => (await alice.api.get(`/api/v1/chats/${chatId}`)).body.lastSeq as number;

  // Before joining, Bob may not write in Alice's chat.
  const early = await bob.api.post(`/api/v1/chats/${chatId}/messages`, text('Bob here'));
  assert.equal(early.status, 403, JSON.stringify(early.body));
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/leave`)).status, 409, 'not participating');
  assert.equal((await alice.api.post(`/api/v1/chats/${chatId}/join`)).status, 409, 'already hers');
  assert.equal((await visitor.api.post(`/api/v1/chats/${chatId}/join`)).status, 403);

  const joined = await bob.api.post(`/api/v1/chats/${chatId}/join`);
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  assert.equal(joined.body.agentId, alice.id, 'the chat stays Alice’s');
  const joinMsg = await on(visitorLive, 'chatMessageCreated', (d) => d.sessionId === chatId && d.message.type === 'join');
  assert.deepEqual([joinMsg.message.senderKind, joinMsg.message.data.agentId, joinMsg.message.data.name], ['system', bob.id, 'Bob']);
  const sent = await bob.api.post(`/api/v1/chats/${chatId}/messages`, text('Bob from billing here'));
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.deepEqual([sent.body.senderKind, sent.body.senderId], ['agent', bob.id]);
  await on(visitorLive, 'chatMessageCreated', (d) => d.message.id === sent.body.id);
  await on(aliceLive, 'chatMessageCreated', (d) => d.message.id === sent.body.id);

  // Carol monitors: the visitor is not told, and she still may not write.
  const before = await lastSeq();
  const monitored = await carol.api.post(`/api/v1/chats/${chatId}/monitor`);
  assert.equal(monitored.status, 200, JSON.stringify(monitored.body));
  assert.equal(await lastSeq(), before, 'no message for a monitor');
  const silent = await carol.api.post(`/api/v1/chats/${chatId}/messages`, text('Carol here'));
  assert.equal(silent.status, 403);
  assert.equal(await lastSeq(), before);

  // Leaving: Bob's is said in the chat, Carol's is not; then neither participates.
  assert.equal((await carol.api.post(`/api/v1/chats/${chatId}/leave`)).status, 204);
  assert.equal(await lastSeq(), before);
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/leave`)).status, 204);
  const leaveMsg = await on(visitorLive, 'chatMessageCreated', (d) => d.sessionId === chatId && d.message.type === 'leave');
  assert.deepEqual([leaveMsg.message.senderKind, leaveMsg.message.data.agentId], ['system', bob.id]);
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/leave`)).status, 409);
  assert.equal((await carol.api.post(`/api/v1/chats/${chatId}/leave`)).status, 409);
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/messages`, text('still here?'))).status, 403, 'left: no more writing');
  const types = (await visitor.api.get(`/api/v1/chats/${chatId}/messages`)).body.map((m: Json) => m.type);
  assert.deepEqual(types, ['message', 'join', 'message', 'leave']);

  // An ended chat is joined by nobody.
  assert.equal((await alice.api.post(`/api/v1/chats/${chatId}/end`)).status, 200);
  assert.equal((await bob.api.post(`/api/v1/chats/${chatId}/join`)).status, 409);
});

test('another site’s agent can do nothing to a chat', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const elsewhere = await createSite(app);
  const stranger = await onlineAgent(app, elsewhere, 'Stranger');
  const offered = await visitorChat(app, site.siteId);
  assert.equal(offered.chat.agentId, alice.id);
  const active = await activeChat(app, site.siteId, alice);
  for (const [path, body] of [
    [`/api/v1/chats/${offered.chatId}/refuse`, undefined],
    [`/api/v1/chats/${active.chatId}/join`, undefined],
    [`/api/v1/chats/${active.chatId}/monitor`, undefined],
    [`/api/v1/chats/${active.chatId}/leave`, undefined],
    [`/api/v1/chats/${active.chatId}/messages`, text('hello from elsewhere')],
  ] as const) {
    const res = await stranger.api.post(path, body);
    assert.equal(res.status, 404, `${path}: ${res.status}`);
  }
  assert.equal((await stranger.api.get(`/api/v1/chats/${active.chatId}`)).status, 404);
  assert.equal((await stranger.api.post(`/api/v1/chats/${active.chatId}/end`, { wrapUp: { note: 'x' } })).status, 404);
  assert.equal((await alice.api.get(`/api/v1/chats/${offered.chatId}`)).body.agentId, alice.id, 'still offered to Alice');
  assert.equal((await alice.api.get(`/api/v1/chats/${active.chatId}`)).body.status, 'active');
  assert.deepEqual((await active.visitor.api.get(`/api/v1/chats/${active.chatId}/messages`)).body, [], 'no join message, nothing written');
  assert.equal((await alice.api.post(`/api/v1/chats/${active.chatId}/end`)).status, 200);
  assert.equal((await stranger.api.put(`/api/v1/chats/${active.chatId}/wrap-up`, { note: 'x' })).status, 404);
});

test('the wrap-up: with the end, or after it by the chat’s agent or an admin', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const bob = await createAgent(app, site, { name: 'Bob' });

  const first = await activeChat(app, site.siteId, alice);
  const wrapUp = { category: 'Billing', note: 'Refund promised for order 77' };
  const ended = await alice.api.post(`/api/v1/chats/${first.chatId}/end`, { wrapUp });
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  assert.equal(ended.body.status, 'ended');
  assert.deepEqual([ended.body.wrapUp?.category, ended.body.wrapUp?.note, ended.body.wrapUp?.agentId], ['Billing', wrapUp.note, alice.id]);
  const stored = await alice.api.get(`/api/v1/chats/${first.chatId}`);
  assert.deepEqual([stored.body.wrapUp.category, stored.body.wrapUp.note], ['Billing', wrapUp.note]);

  // Visitors do not wrap up.
  const second = await activeChat(app, site.siteId, alice);
  const byVisitor = await second.visitor.api.post(`/api/v1/chats/${second.chatId}/end`, { wrapUp: { note: 'x' } });
  assert.equal(byVisitor.status, 400);
  assert.equal((await alice.api.get(`/api/v1/chats/${second.chatId}`)).body.status, 'active', 'and nothing ended');

  // Not before the end.
  const early = await alice.api.put(`/api/v1/chats/${second.chatId}/wrap-up`, { category: 'Early' });
  assert.equal(early.status, 409);
  // The end with no body at all (no Content-Type either).
  const bare = await call(app.url, 'POST', `/api/v1/chats/${second.chatId}/end`, { token: alice.token });
  assert.equal(bare.status, 200, JSON.stringify(bare.body));
  assert.equal(bare.body.status, 'ended');
  assert.equal(bare.body.wrapUp, null);

  // After the end: its agent writes it, another agent may not, a site admin may change it.
  const byAlice = await alice.api.put(`/api/v1/chats/${second.chatId}/wrap-up`, { category: 'Shipping', note: 'Sent a new tracking number' });
  assert.equal(byAlice.status, 200, JSON.stringify(byAlice.body));
  assert.deepEqual([byAlice.body.wrapUp.category, byAlice.body.wrapUp.note], ['Shipping', 'Sent a new tracking number']);
  const byBob = await bob.api.put(`/api/v1/chats/${second.chatId}/wrap-up`, { category: 'Spam' });
  assert.equal(byBob.status, 403);
  assert.equal((await alice.api.get(`/api/v1/chats/${second.chatId}`)).body.wrapUp.category, 'Shipping', 'unchanged');
  const byAdmin = await call(app.url, 'PUT', `/api/v1/chats/${second.chatId}/wrap-up`, { token: site.admin.token, body: { category: 'Shipping', note: 'Checked by the lead' } });
  assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
  assert.equal((await alice.api.get(`/api/v1/chats/${second.chatId}`)).body.wrapUp.note, 'Checked by the lead');
  assert.equal((await second.visitor.api.put(`/api/v1/chats/${second.chatId}/wrap-up`, { note: 'x' })).status, 403);
  assert.equal((await alice.api.put(`/api/v1/chats/${second.chatId}/wrap-up`, { category: 'x'.repeat(101) })).status, 400);
});

test('rich text is made safe on the server; only agents send it', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const { visitor, chatId } = await activeChat(app, site.siteId, alice);
  const visitorLive = await connectLive(app.url, visitor.token);
  t.after(() => visitorLive.close());

  const content = '<b>hi</b><script>alert(1)</script><a href="javascript:x">y</a><img src=x onerror="alert(2)">';
  const sent = await alice.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'rich', data: { content }, clientMessageId: 'rich-1' });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const check = (html: string) => {
    assert.match(html, /<b>hi<\/b>/);
    assert.doesNotMatch(html, /<script|alert\(1\)|javascript:|onerror/i);
    assert.match(html, /y/);
  };
  check(sent.body.data.content);
  const stored = (await visitor.api.get(`/api/v1/chats/${chatId}/messages`)).body.find((m: Json) => m.id === sent.body.id);
  assert.equal(stored.type, 'rich');
  check(stored.data.content);
  check((await on(visitorLive, 'chatMessageCreated', (d) => d.message.id === sent.body.id)).message.data.content);

  const fromVisitor = await visitor.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'rich', data: { content: '<b>hi</b>' } });
  assert.equal(fromVisitor.status, 400);
  const nothing = await alice.api.post(`/api/v1/chats/${chatId}/messages`, { type: 'rich', data: { content: '<script>alert(1)</script>' } });
  assert.equal(nothing.status, 400, 'nothing left once made safe');
  const all = (await visitor.api.get(`/api/v1/chats/${chatId}/messages`)).body;
  assert.deepEqual(all.map((m: Json) => m.type), ['rich'], 'the refused ones were not stored');

  // Editing the rich message (the console's edit) cannot bring the script back in.
  const edit = await alice.api.put(`/operator/sessions/${chatId}/operators/messages/${sent.body.id}`, { text: content });
  assert.ok(edit.status === 200 || (edit.status >= 400 && edit.status < 500), `edit: ${edit.status}`);
  const after = (await visitor.api.get(`/api/v1/chats/${chatId}/messages`)).body.find((m: Json) => m.id === sent.body.id);
  assert.equal(after.type, 'rich');
  assert.doesNotMatch(after.data.content, /<script|alert\(1\)|javascript:|onerror/i, 'an edited rich message is as safe as a new one');
});

test('a visitor asks for a named agent: online, the chat goes to that agent; offline, 409', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const bob = await onlineAgent(app, site, 'Bob');
  const carol = await createAgent(app, site, { name: 'Carol' });
  // Give Alice a chat, so least-busy alone would pick Bob.
  await visitorChat(app, site.siteId);

  const toAlice = await visitorChat(app, site.siteId, { agentId: alice.id, message: 'Hi Alice' });
  assert.deepEqual([toAlice.chat.status, toAlice.chat.agentId], ['assigned', alice.id]);
  const seen = await toAlice.visitor.api.get(`/api/v1/chats/${toAlice.chatId}`);
  assert.deepEqual(seen.body.agent, { id: alice.id, name: 'Alice', avatarUrl: null });

  const offline = await openVisitor(app, site.siteId, 'Wants Carol');
  const refused = await offline.api.post('/api/v1/chats', { agentId: carol.id });
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.type, 'urn:parley:problem:agent-unavailable');
  assert.equal((await offline.api.get('/api/v1/chats')).body.length, 0, 'no chat was opened');
  const unknown = await offline.api.post('/api/v1/chats', { agentId: 987654 });
  assert.equal(unknown.status, 404);

  // Queued, nobody has it: no card; once Carol takes it, hers.
  for (const a of [alice, bob]) assert.equal((await a.api.put('/api/v1/agents/me/status', { status: 'away' })).status, 200);
  const waiting = await visitorChat(app, site.siteId);
  assert.equal(waiting.chat.status, 'queued');
  assert.equal((await waiting.visitor.api.get(`/api/v1/chats/${waiting.chatId}`)).body.agent, null);
  await goOnline(carol);
  const taken = await waiting.visitor.api.get(`/api/v1/chats/${waiting.chatId}`);
  assert.deepEqual([taken.body.status, taken.body.agent], ['assigned', { id: carol.id, name: 'Carol', avatarUrl: null }]);
});
