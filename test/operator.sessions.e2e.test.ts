// The operator panel's sessions over REST, end to end: the list with every filter and its cursor,
// one session, renaming and ending it, messages (sending, idempotent retries, editing, deleting
// and what admins see of it), accepting, transfers, the robot, read positions and typing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startParley } from './helpers/parley.ts';
import { chatWith, contents, createGroup, createOperator, type OperatorClient, operatorSite, teamWithGroup } from './helpers/operator.ts';

type Session = { id: number; status: string; agentId: number | null; groupId: number | null; visitorId: number };

/** Follows nextCursor from the first page to the last; returns the ids in order and the page count. */
async function allPages(api: OperatorClient, query: string): Promise<{ ids: number[]; pages: number }> {
  const ids: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await api.get(`/operator/sessions?${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    ids.push(...res.body.items.map((s: Session) => s.id));
    cursor = res.body.nextCursor;
    pages += 1;
    assert.ok(pages < 20, 'the cursor ends');
  } while (cursor !== null);
  return { ids, pages };
}

test('the session list filters by status, operator, client, group and time, and pages without duplicates or gaps', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId, { name: 'Alice', maxConcurrentChats: 50 });
  const bob = await createOperator(app, siteId, { name: 'Bob' });
  const billing = await createGroup(admin, 'Billing', [bob.id]);
  await alice.api.post('/operator/users/me/activate');

  // Seven sessions, all routed to Alice (the only one online); then they go different ways.
  const chats = [];
  for (let i = 0; i < 7; i++) chats.push(await chatWith(app, siteId, { message: `hello ${i}` }));
  const ids = chats.map((c) => c.chatId);
  assert.ok(chats.every((c) => c.chat.agentId === alice.id && c.chat.status === 'assigned'));
  // Alice hands her active session to Bob, who then pauses (keeping it, taking nothing new).
  assert.equal((await alice.api.post(`/operator/sessions/${ids[1]}/accept`)).status, 200);
  await bob.api.post('/operator/users/me/activate');
  assert.equal((await alice.api.post(`/operator/sessions/${ids[1]}/operators/${bob.id}`)).status, 200);
  await bob.api.post('/operator/users/me/pause');
  assert.equal((await alice.api.post(`/operator/sessions/${ids[2]}/groupoperators/${billing}`)).body.status, 'queued'); // Bob is paused
  assert.equal((await alice.api.del(`/operator/sessions/${ids[3]}`)).body.status, 'ended');
  assert.equal((await chats[0]!.visitorApi.post(`/api/v1/chats/${ids[0]}/end`)).status, 200);
  // The first visitor comes back: a client with two sessions.
  const returned = await chats[0]!.visitorApi.post('/api/v1/chats', {});
  assert.deepEqual([returned.status, returned.body.agentId], [201, alice.id]);
  const all = [...ids, returned.body.id as number].sort((a, b) => b - a);

  const newestFirst = await admin.api.get('/operator/sessions');
  assert.equal(newestFirst.status, 200);
  assert.deepEqual(newestFirst.body.items.map((s: Session) => s.id), all);
  assert.equal(newestFirst.body.nextCursor, null);

  // Pages of 3 over 8 sessions: 3 + 3 + 2, every session exactly once, in order.
  const paged = await allPages(admin.api, 'limit=3');
  assert.deepEqual(paged, { ids: all, pages: 3 });
  const pagedOpen = await allPages(admin.api, 'status=open&limit=2');
  const open = all.filter((id) => id !== ids[0] && id !== ids[3]);
  assert.deepEqual(pagedOpen.ids, open);
  assert.equal(pagedOpen.pages, 3);

  const only = async (query: string) => {
    const res = await alice.api.get(`/operator/sessions?${query}`);
    assert.equal(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    return res.body.items.map((s: Session) => s.id);
  };
  assert.deepEqual(await only('status=ended'), [ids[3], ids[0]]);
  assert.deepEqual(await only('status=queued'), [ids[2]]);
  assert.deepEqual(await only('status=assigned'), [returned.body.id, ids[6], ids[5], ids[4]]);
  assert.deepEqual(await only('status=active'), [ids[1]]);
  assert.deepEqual(await only(`operatorId=${bob.id}`), [ids[1]]);
  assert.deepEqual(await only(`operatorId=${alice.id}&status=open`), [returned.body.id, ids[6], ids[5], ids[4]]);
  assert.deepEqual(await only(`clientId=${chats[0]!.visitor.id}`), [returned.body.id, ids[0]]);
  assert.deepEqual(await only(`groupId=${billing}`), [ids[2]]);
  assert.deepEqual(await only('operatorId=999999'), []);

  // Requested-at windows: from is inclusive, to exclusive, offsets are honoured. The times are
  // set in the database so that the windows do not depend on how fast the test runs.
  for (const [i, id] of all.slice().reverse().entries()) {
    await app.parley.database.db.updateTable('chats').set({ requested_at: `2024-01-0${i + 1}T12:00:00.000Z` }).where('id', '=', id).execute();
  }
  const byDay = all.slice().reverse(); // byDay[0] was requested on 2024-01-01, byDay[7] on 2024-01-08
  assert.deepEqual(await only(`from=${encodeURIComponent('2024-01-03T00:00:00Z')}&to=${encodeURIComponent('2024-01-05T12:00:00.000Z')}`), [
    byDay[3],
    byDay[2],
  ]);
  assert.deepEqual(await only(`from=${encodeURIComponent('2024-01-07T15:00:00+03:00')}`), [byDay[7], byDay[6]]);
  assert.deepEqual(await only(`to=${encodeURIComponent('2024-01-02T12:00:00.001Z')}`), [byDay[1], byDay[0]]);
  assert.deepEqual(await only('from=2024-01-04T00:00:00Z&to=2024-01-08T00:00:00Z&status=ended'), [ids[3]]);
});

test('one session: read it, rename it, end it', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const { visitor, chatId } = await chatWith(app, siteId, { message: 'hi' });

  const one = await alice.api.get(`/operator/sessions/${chatId}`);
  assert.equal(one.status, 200);
  assert.deepEqual(
    [one.body.id, one.body.siteId, one.body.visitorId, one.body.status, one.body.agentId, one.body.name, one.body.lastSeq],
    [chatId, siteId, visitor.id, 'assigned', alice.id, null, 1],
  );

  const renamed = await alice.api.put(`/operator/sessions/${chatId}/names/${encodeURIComponent('VIP: Смирнов')}`);
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.name, 'VIP: Смирнов');
  // Any operator of the site may rename; the stored name is what everyone reads back.
  assert.equal((await admin.api.put(`/operator/sessions/${chatId}/names/Renamed`)).body.name, 'Renamed');
  assert.equal((await alice.api.get(`/operator/sessions/${chatId}`)).body.name, 'Renamed');

  const ended = await alice.api.del(`/operator/sessions/${chatId}`);
  assert.equal(ended.status, 200);
  assert.deepEqual([ended.body.status, ended.body.endedBy, ended.body.lastSeq], ['ended', 'agent', 2]);
  const stored = await alice.api.get(`/operator/sessions/${chatId}`);
  assert.deepEqual([stored.body.status, stored.body.endedBy, stored.body.name], ['ended', 'agent', 'Renamed']);
  const messages = await alice.api.get(`/operator/sessions/${chatId}/messages`);
  assert.deepEqual(messages.body.map((m: { type: string }) => m.type), ['message', 'close']);
  assert.equal((await alice.api.del(`/operator/sessions/${chatId}`)).status, 409);
  assert.equal((await alice.api.get('/operator/sessions/999999')).status, 404);
});

test('messages: the first one accepts the session, retries are idempotent, edits and deletions are kept for admins only', async (t) => {
  const app = await startParley(t);
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId);
  await alice.api.post('/operator/users/me/activate');
  const { visitorApi, chatId } = await chatWith(app, siteId, { message: 'I need help' });
  const send = `/operator/sessions/${chatId}/operators/messages`;

  const first = await alice.api.post(send, { text: 'Hello', clientMessageId: 'op-1' });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  assert.deepEqual([first.body.senderKind, first.body.senderId, first.body.seq, first.body.data], ['agent', alice.id, 2, { content: 'Hello' }]);
  const accepted = await alice.api.get(`/operator/sessions/${chatId}`);
  assert.equal(accepted.body.status, 'active');
  assert.ok(accepted.body.acceptedAt);

  const retry = await alice.api.post(send, { text: 'Hello (retried)', clientMessageId: 'op-1' });
  assert.equal(retry.status, 200);
  assert.deepEqual(retry.body, first.body);
  const second = await alice.api.post(send, { text: 'Second thought' });
  assert.equal(second.status, 201);
  assert.deepEqual(contents((await alice.api.get(`/operator/sessions/${chatId}/messages`)).body), ['I need help', 'Hello', 'Second thought']);

  const edited = await alice.api.put(`${send}/${first.body.id}`, { text: 'Hello there' });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  assert.deepEqual(edited.body.data, { content: 'Hello there' });
  assert.ok(edited.body.editedAt);
  const deleted = await alice.api.del(`${send}/${second.body.id}`);
  assert.equal(deleted.status, 200);
  assert.deepEqual(deleted.body.data, {});
  assert.ok(deleted.body.deletedAt);
  assert.equal(deleted.body.seq, second.body.seq);
  // A deleted message cannot be edited or deleted again.
  assert.equal((await alice.api.put(`${send}/${second.body.id}`, { text: 'back' })).status, 409);
  assert.equal((await alice.api.del(`${send}/${second.body.id}`)).status, 409);

  // A site admin reads what each message said before every change.
  const audited = await admin.api.get(`/operator/sessions/${chatId}/messages`);
  assert.equal(audited.status, 200);
  const [, hello, thought] = audited.body;
  assert.deepEqual(hello.data, { content: 'Hello there' });
  assert.deepEqual(
    hello.revisions.map((r: { action: string; previousData: unknown; agentId: number }) => [r.action, r.previousData, r.agentId]),
    [['edit', { content: 'Hello' }, alice.id]],
  );
  assert.deepEqual(thought.data, {});
  assert.deepEqual(
    thought.revisions.map((r: { action: string; previousData: unknown }) => [r.action, r.previousData]),
    [['delete', { content: 'Second thought' }]],
  );
  assert.deepEqual(audited.body[0].revisions, []);

  // Everyone else sees the message as it is now, without revisions.
  for (const reader of [alice.api, visitorApi]) {
    const path = reader === alice.api ? `/operator/sessions/${chatId}/messages` : `/api/v1/chats/${chatId}/messages`;
    const now = (await reader.get(path)).body;
    assert.deepEqual(contents(now), ['I need help', 'Hello there', undefined]);
    assert.deepEqual(now[2].data, {});
    assert.ok(now[2].deletedAt);
    assert.equal(now.some((m: object) => 'revisions' in m), false);
  }

  // A retry that arrives after the session ended still gets its answer; a new message does not go in.
  assert.equal((await alice.api.del(`/operator/sessions/${chatId}`)).status, 200);
  const late = await alice.api.post(send, { text: 'Hello', clientMessageId: 'op-1' });
  assert.equal(late.status, 200, JSON.stringify(late.body));
  assert.deepEqual([late.body.id, late.body.seq], [first.body.id, first.body.seq]);
  assert.equal((await alice.api.post(send, { text: 'after the end' })).status, 409);
  assert.equal((await alice.api.put(`${send}/${first.body.id}`, { text: 'too late' })).status, 409);
  assert.equal((await admin.api.get(`/operator/sessions/${chatId}/messages`)).body.length, 4, 'three messages and the close');
});

test('accept, transfer to a colleague and to a group, hand to the robot, mark read and type', async (t) => {
  const app = await startParley(t);
  const { siteId, alice, bob, support } = await teamWithGroup(app);
  const { visitorApi, chatId } = await chatWith(app, siteId, { message: 'anyone?' });
  const session = `/operator/sessions/${chatId}`;

  const accepted = await alice.api.post(`${session}/accept`);
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.status, 'active');
  assert.equal((await alice.api.post(`${session}/accept`)).status, 409);
  assert.equal((await bob.api.post(`${session}/accept`)).status, 403);

  // Not to a colleague who is not there to take it.
  const refused = await alice.api.post(`${session}/operators/${bob.id}`);
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal((await alice.api.get(session)).body.agentId, alice.id);
  // To a colleague who is online: the session stays active, now with Bob.
  await bob.api.post('/operator/users/me/activate');
  const toBob = await alice.api.post(`${session}/operators/${bob.id}`);
  assert.equal(toBob.status, 200, JSON.stringify(toBob.body));
  assert.deepEqual([toBob.body.agentId, toBob.body.status], [bob.id, 'active']);
  assert.equal((await alice.api.get(session)).body.agentId, bob.id);
  assert.equal((await alice.api.post(`${session}/operators/messages`, { text: 'still me?' })).status, 403);
  assert.equal((await bob.api.post(`${session}/operators/messages`, { text: 'Bob here' })).status, 201);
  assert.equal((await bob.api.post(`${session}/operators/${bob.id}`)).status, 409);

  // To a group: it goes to the group's next free member, Alice, as a new offer.
  const toGroup = await bob.api.post(`${session}/groupoperators/${support}`);
  assert.equal(toGroup.status, 200, JSON.stringify(toGroup.body));
  assert.deepEqual([toGroup.body.agentId, toGroup.body.groupId, toGroup.body.status], [alice.id, support, 'assigned']);
  assert.equal((await alice.api.post(`${session}/operators/messages`, { text: 'Alice again' })).status, 201);
  assert.equal((await alice.api.get(session)).body.status, 'active');

  // Read positions and typing, by the session's operator only.
  const read = await alice.api.post(`${session}/read`, { seq: 3 });
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal(read.body.agentReadSeq, 3);
  assert.equal((await alice.api.get(session)).body.agentReadSeq, 3);
  assert.equal((await alice.api.post(`${session}/read`, { seq: 2 })).body.agentReadSeq, 3, 'never moves back');
  assert.equal((await alice.api.post(`${session}/typing`, { typing: true })).status, 204);
  assert.equal((await bob.api.post(`${session}/typing`, { typing: true })).status, 403);

  // To the robot: it leaves the operators.
  const toBot = await alice.api.post(`${session}/bot`);
  assert.equal(toBot.status, 200);
  assert.deepEqual([toBot.body.status, toBot.body.agentId], ['bot', null]);
  assert.equal((await alice.api.get(session)).body.status, 'bot');
  assert.equal((await alice.api.post(`${session}/operators/messages`, { text: 'gone' })).status, 403);
  assert.equal((await alice.api.post(`${session}/bot`)).status, 403);
  assert.deepEqual(contents((await visitorApi.get(`/api/v1/chats/${chatId}/messages`)).body), ['anyone?', 'Bob here', 'Alice again']);
});
