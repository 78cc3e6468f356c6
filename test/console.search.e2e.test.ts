// Searching the history from the console: by what was written (any case, any script), by the
// visitor's name or e-mail, with a snippet around the match; `%` and `_` are plain characters;
// other sites' chats never appear; pages follow `beforeId`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { activeChat, type Agent, type Json, onlineAgent } from './helpers/console.ts';
import { createAgent, createSite } from './helpers/factories.ts';
import { type Running, startParley } from './helpers/parley.ts';

/** A chat of `agent` in which the visitor (named, with an e-mail) wrote `lines`. */
async function chatSaying(app: Running, siteId: number, agent: Agent, lines: string[], who: { name?: string; email?: string } = {}): Promise<number> {
  const c = await activeChat(app, siteId, agent, { name: who.name ?? 'Visitor' });
  if (who.email) assert.equal((await client(app.url, c.visitor.token).post(`/api/v1/sites/${siteId}/visitors`, { email: who.email })).status, 200);
  for (const content of lines) {
    const res = await c.visitor.api.post(`/api/v1/chats/${c.chatId}/messages`, { type: 'message', data: { content } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
  }
  return c.chatId;
}

async function search(agent: Agent, q: string, extra = ''): Promise<Json[]> {
  const res = await agent.api.get(`/api/v1/chats/search?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(res.status, 200, `${q}: ${JSON.stringify(res.body)}`);
  return res.body.results;
}
const ids = (results: Json[]) => results.map((r) => r.chat.id);

test('the history is searched by text in any case and script, by visitor, literally, within the site, page by page', async (t) => {
  // This test searches far more than an agent would in a minute.
  const app = await startParley(t, { PARLEY_SEARCH_RATE_LIMIT: '1000' });
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice', { maxConcurrentChats: 50 });
  const other = await createSite(app);
  const stranger = await onlineAgent(app, other, 'Stranger');

  const refund = await chatSaying(app, site.siteId, alice, ['Hello', 'I want a REFUND for order 77'], { name: 'Anna Schmidt', email: 'anna@shop.example' });
  const cyrillic = await chatSaying(app, site.siteId, alice, ['Здравствуйте! Мой ЗАКАЗ не пришёл'], { name: 'Борис' });
  const chinese = await chatSaying(app, site.siteId, alice, ['你好，我的订单还没有到']);
  const percent = await chatSaying(app, site.siteId, alice, ['Is the 100% cotton shirt back?']);
  const hundreds = await chatSaying(app, site.siteId, alice, ['I paid 1000 euros']);
  const underscore = await chatSaying(app, site.siteId, alice, ['my user name is big_ben']);
  const noUnderscore = await chatSaying(app, site.siteId, alice, ['my user name is bigXben']);
  const quoted = await chatSaying(app, site.siteId, alice, ['The label says "fragile" and the file is C:\\orders\\77.pdf']);
  const long = await chatSaying(app, site.siteId, alice, [`${'lorem ipsum '.repeat(40)}the parcel tracking number is missing ${'dolor sit '.repeat(40)}`]);
  // Another site's chat says the same things.
  const elsewhere = await chatSaying(app, other.siteId, stranger, ['I want a refund, 100% — заказ, 订单, big_ben'], { name: 'Anna Schmidt' });

  await t.test('by message text, whatever the case', async () => {
    const hits = await search(alice, 'refund');
    assert.deepEqual(ids(hits), [refund]);
    assert.deepEqual(hits[0].visitor, { id: hits[0].chat.visitorId, name: 'Anna Schmidt', email: 'anna@shop.example' });
    assert.match(hits[0].snippet, /REFUND for order 77/);
    assert.deepEqual(ids(await search(alice, 'ReFuNd')), [refund]);
  });

  await t.test('Cyrillic, exact and in another case', async () => {
    assert.deepEqual(ids(await search(alice, 'ЗАКАЗ')), [cyrillic], 'as written');
    assert.deepEqual(ids(await search(alice, 'заказ')), [cyrillic], 'lower case finds upper case');
    assert.deepEqual(ids(await search(alice, 'ПРИШЁЛ')), [cyrillic], 'upper case finds lower case');
  });

  await t.test('Chinese', async () => {
    const zh = await search(alice, '订单');
    assert.deepEqual(ids(zh), [chinese]);
    assert.match(zh[0].snippet, /我的订单还没有到/);
  });

  await t.test('by visitor name and e-mail', async () => {
    assert.deepEqual(ids(await search(alice, 'schmidt')), [refund]);
    assert.deepEqual(ids(await search(alice, 'anna@shop')), [refund]);
    assert.deepEqual(ids(await search(alice, 'Борис')), [cyrillic]);
  });

  await t.test('% and _ are plain characters', async () => {
    assert.deepEqual(ids(await search(alice, '100%')), [percent]);
    assert.deepEqual(ids(await search(alice, 'big_ben')), [underscore]);
    assert.deepEqual(ids(await search(alice, '0%')), [percent]);
    assert.deepEqual(ids(await search(alice, 'g_')), [underscore]);
    assert.ok(!ids(await search(alice, '10_0')).includes(hundreds));
    assert.ok(!ids(await search(alice, 'big_ben')).includes(noUnderscore));
  });

  await t.test('quotes are found as written', async () => {
    assert.deepEqual(ids(await search(alice, '"fragile"')), [quoted]);
  });

  await t.test('backslashes are found as written', async () => {
    assert.deepEqual(ids(await search(alice, 'C:\\orders\\77')), [quoted]);
  });

  await t.test('only what was written counts, not how messages are stored (JSON keys)', async () => {
    for (const q of ['content', '"content"', '{"']) assert.deepEqual(ids(await search(alice, q)), [], q);
  });

  await t.test('system lines are not text: the close of a chat ended by its agent does not say "agent"', async () => {
    // An ended chat's closing line says who ended it; nobody wrote "agent" in it.
    assert.equal((await alice.api.post(`/api/v1/chats/${hundreds}/end`)).status, 200);
    assert.ok(!ids(await search(alice, 'agent')).includes(hundreds), 'the close message is not text');
  });

  await t.test('a long message gives a snippet around the match', async () => {
    const [hit] = await search(alice, 'tracking number');
    assert.equal(hit.chat.id, long);
    assert.match(hit.snippet, /the parcel tracking number is missing/);
    assert.ok(hit.snippet.length <= 170, `snippet of ${hit.snippet.length} characters`);
    assert.ok(hit.snippet.startsWith('…') && hit.snippet.endsWith('…'), hit.snippet);
  });

  await t.test('no other site’s chat ever appears', async () => {
    for (const q of ['refund', '100%', 'заказ', '订单', 'big_ben', 'Anna', 'er']) {
      assert.ok(!ids(await search(alice, q)).includes(elsewhere), q);
      assert.ok(ids(await search(stranger, q)).every((id) => id === elsewhere), q);
    }
  });

  await t.test('a query of one character (it would read every message for little) is refused', async () => {
    const res = await alice.api.get('/api/v1/chats/search?q=e');
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.errors[0].path, 'querystring.q');
  });

  await t.test('pages, newest first, follow beforeId', async () => {
    // Every visitor here wrote to a chat; 'Visitor' is the default name of most of them.
    const all = ids(await search(alice, 'visitor', '&limit=100'));
    assert.ok(all.length >= 6, `${all.length} chats`);
    assert.deepEqual(all, [...all].sort((a, b) => b - a), 'newest first');
    const seen: number[] = [];
    let before = '';
    for (;;) {
      const page = ids(await search(alice, 'visitor', `&limit=2${before}`));
      assert.ok(page.length <= 2);
      if (page.length === 0) break;
      seen.push(...page);
      before = `&beforeId=${page.at(-1)}`;
    }
    assert.deepEqual(seen, all);
  });

  await t.test('agents only; a query is needed', async () => {
    const c = await activeChat(app, site.siteId, alice);
    assert.equal((await c.visitor.api.get('/api/v1/chats/search?q=refund')).status, 403);
    assert.equal((await alice.api.get('/api/v1/chats/search')).status, 400);
    assert.equal((await alice.api.get('/api/v1/chats/search?q=')).status, 400);
  });
});

test('each agent has a budget of searches a minute; another agent keeps its own', async (t) => {
  const app = await startParley(t, { PARLEY_SEARCH_RATE_LIMIT: '2' });
  const site = await createSite(app);
  const [bea, cai] = [await createAgent(app, site), await createAgent(app, site)];
  for (let i = 0; i < 2; i++) assert.equal((await bea.api.get('/api/v1/chats/search?q=refund')).status, 200);
  const limited = await bea.api.get('/api/v1/chats/search?q=refund');
  assert.equal(limited.status, 429, JSON.stringify(limited.body));
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
  assert.equal((await cai.api.get('/api/v1/chats/search?q=refund')).status, 200);
});
