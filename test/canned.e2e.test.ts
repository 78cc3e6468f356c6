// Canned messages: each agent keeps its own (shortcut unique per owner, stored in lower case), site
// admins keep the shared set every agent sees; who may change what; bad shortcuts; visitors and
// other sites see nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import type { Json } from './helpers/console.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';

const PATH = '/api/v1/canned-messages';
const shortcuts = (list: Json[]) => list.map((c) => c.shortcut);

test('agents keep their own canned messages; admins share some with everyone', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const alice = await createAgent(app, site, { name: 'Alice' });
  const bob = await createAgent(app, site, { name: 'Bob' });

  // Alice's own: created, listed, changed, deleted.
  const created = await alice.api.post(PATH, { shortcut: 'Hello', title: ' Greeting ', content: 'Hello! How can I help?' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const mine = created.body;
  assert.deepEqual([mine.shortcut, mine.title, mine.content, mine.shared, mine.agentId], ['hello', 'Greeting', 'Hello! How can I help?', false, alice.id]);
  const listed = await alice.api.get(PATH);
  assert.equal(listed.status, 200);
  assert.deepEqual(listed.body.map((c: Json) => c.id), [mine.id]);
  assert.deepEqual((await bob.api.get(PATH)).body, [], 'Bob does not see Alice’s');

  // A shortcut is unique per owner, whatever its case; Bob may use the same one.
  const taken = await alice.api.post(PATH, { shortcut: 'HELLO', title: 'Again', content: 'x' });
  assert.equal(taken.status, 409);
  assert.equal(taken.body.reason, 'shortcut-taken');
  assert.equal((await bob.api.post(PATH, { shortcut: 'hello', title: 'Bob’s hello', content: 'Hi, Bob here' })).status, 201);
  const second = await alice.api.post(PATH, { shortcut: 'bye', title: 'Bye', content: 'Goodbye!' });
  assert.equal(second.status, 201);
  const renamedToTaken = await alice.api.patch(`${PATH}/${second.body.id}`, { shortcut: 'Hello' });
  assert.equal(renamedToTaken.status, 409);
  assert.equal(renamedToTaken.body.reason, 'shortcut-taken');

  const edited = await alice.api.patch(`${PATH}/${mine.id}`, { shortcut: 'Hi-There_2', content: 'Hi there!' });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  assert.deepEqual([edited.body.shortcut, edited.body.title, edited.body.content], ['hi-there_2', 'Greeting', 'Hi there!']);
  assert.deepEqual(shortcuts((await alice.api.get(PATH)).body), ['bye', 'hi-there_2']);

  // Bad shortcuts and fields.
  for (const shortcut of ['two words', 'x'.repeat(33), '/slash', '', 'ünïcode', '-lead']) {
    const res = await alice.api.post(PATH, { shortcut, title: 'T', content: 'C' });
    assert.equal(res.status, 400, `"${shortcut}"`);
  }
  assert.equal((await alice.api.post(PATH, { shortcut: 'ok', title: '', content: 'C' })).status, 400);
  assert.equal((await alice.api.post(PATH, { shortcut: 'ok', title: 'T', content: '' })).status, 400);
  assert.equal((await alice.api.patch(`${PATH}/${mine.id}`, { shortcut: 'has space' })).status, 400);
  assert.equal((await alice.api.patch(`${PATH}/${mine.id}`, {})).status, 400);
  assert.deepEqual(shortcuts((await alice.api.get(PATH)).body), ['bye', 'hi-there_2'], 'nothing changed');

  // Shared ones: an agent may not add them; an admin may, and every agent lists them.
  const notAdmin = await alice.api.post(PATH, { shortcut: 'policy', title: 'Policy', content: 'Our policy…', shared: true });
  assert.equal(notAdmin.status, 403);
  const shared = await admin.post(PATH, { shortcut: 'Returns', title: 'Returns', content: 'Returns within 30 days.', shared: true });
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.deepEqual([shared.body.shortcut, shared.body.shared, shared.body.agentId], ['returns', true, null]);
  for (const agent of [alice, bob]) {
    const list = (await agent.api.get(PATH)).body as Json[];
    assert.ok(list.some((c) => c.id === shared.body.id && c.shared), 'every agent lists the shared one');
  }
  // An agent's own may use the shared set's shortcut.
  assert.equal((await bob.api.post(PATH, { shortcut: 'returns', title: 'Mine', content: 'My way' })).status, 201);
  assert.equal((await admin.post(PATH, { shortcut: 'RETURNS', title: 'Dup', content: 'x', shared: true })).status, 409);

  // Agents may not change or delete shared ones (403), nor another agent's (404).
  assert.equal((await bob.api.patch(`${PATH}/${shared.body.id}`, { content: 'Returns never.' })).status, 403);
  assert.equal((await bob.api.delete(`${PATH}/${shared.body.id}`)).status, 403);
  assert.equal((await bob.api.patch(`${PATH}/${mine.id}`, { content: 'hijacked' })).status, 404);
  assert.equal((await bob.api.delete(`${PATH}/${mine.id}`)).status, 404);
  assert.equal((await alice.api.get(PATH)).body.find((c: Json) => c.id === mine.id).content, 'Hi there!');
  assert.equal((await bob.api.get(PATH)).body.find((c: Json) => c.id === shared.body.id).content, 'Returns within 30 days.');
  // The admin may.
  const adminEdit = await admin.patch(`${PATH}/${shared.body.id}`, { content: 'Returns within 60 days.' });
  assert.equal(adminEdit.status, 200);
  assert.equal((await bob.api.get(PATH)).body.find((c: Json) => c.id === shared.body.id).content, 'Returns within 60 days.');

  // Deleting one's own.
  assert.equal((await alice.api.delete(`${PATH}/${second.body.id}`)).status, 204);
  assert.ok(!(await alice.api.get(PATH)).body.some((c: Json) => c.id === second.body.id));
  assert.equal((await alice.api.delete(`${PATH}/${second.body.id}`)).status, 404);
  assert.equal((await admin.delete(`${PATH}/${shared.body.id}`)).status, 204);
  assert.ok(!(await bob.api.get(PATH)).body.some((c: Json) => c.id === shared.body.id));
});

test('visitors have no canned messages, and sites never see each other’s', async (t) => {
  const app = await startParley(t);
  const siteA = await createSite(app);
  const siteB = await createSite(app);
  const adminA = client(app.url, siteA.admin.token);
  const agentA = await createAgent(app, siteA, { name: 'A' });
  const agentB = await createAgent(app, siteB, { name: 'B' });
  const own = await agentA.api.post(PATH, { shortcut: 'secret', title: 'Secret', content: 'Internal note' });
  const shared = await adminA.post(PATH, { shortcut: 'team', title: 'Team', content: 'Site A only', shared: true });
  assert.equal(own.status, 201);
  assert.equal(shared.status, 201);

  const visitor = await openVisitor(app, siteA.siteId);
  assert.equal((await visitor.api.get(PATH)).status, 403);
  assert.equal((await visitor.api.post(PATH, { shortcut: 'v', title: 'V', content: 'V' })).status, 403);
  assert.equal((await visitor.api.patch(`${PATH}/${own.body.id}`, { content: 'x' })).status, 403);
  assert.equal((await visitor.api.delete(`${PATH}/${own.body.id}`)).status, 403);

  assert.deepEqual((await agentB.api.get(PATH)).body, [], 'site B sees neither A’s own nor A’s shared');
  for (const id of [own.body.id, shared.body.id]) {
    assert.equal((await agentB.api.patch(`${PATH}/${id}`, { content: 'from B' })).status, 404);
    assert.equal((await agentB.api.delete(`${PATH}/${id}`)).status, 404);
    assert.equal((await client(app.url, siteB.admin.token).patch(`${PATH}/${id}`, { content: 'from B' })).status, 404);
    assert.equal((await client(app.url, siteB.admin.token).delete(`${PATH}/${id}`)).status, 404);
  }
  const list = (await agentA.api.get(PATH)).body as Json[];
  assert.deepEqual(list.map((c) => [c.shortcut, c.content]), [['secret', 'Internal note'], ['team', 'Site A only']]);
  // The same shortcut on another site is another owner's.
  assert.equal((await agentB.api.post(PATH, { shortcut: 'secret', title: 'B', content: 'B' })).status, 201);
  assert.equal((await client(app.url, siteB.admin.token).post(PATH, { shortcut: 'team', title: 'B', content: 'B', shared: true })).status, 201);
});
