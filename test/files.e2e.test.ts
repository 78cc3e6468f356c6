// Files in chats: the body is the file. Pictures are checked against their bytes and shown inline;
// anything else (PDF, HTML, JSON) is only ever downloaded, never rendered; limits, retries, who may
// send into which chat, the live message, and addresses that work without a token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { activeChat, type Json, on, onlineAgent, PNG } from './helpers/console.ts';
import { createSite } from './helpers/factories.ts';
import { type Running, startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';

const MAX = 4096;

/** Uploads `body` as a file into a chat. */
async function upload(app: Running, token: string, chatId: number, body: Uint8Array | string, type: string | null, name: string, clientMessageId?: string) {
  const q = new URLSearchParams({ name, ...(clientMessageId ? { clientMessageId } : {}) });
  const res = await fetch(`${app.url}/api/v1/chats/${chatId}/files?${q}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(type === null ? {} : { 'content-type': type }) },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text) as Json };
}

/** Fetches a file's address (on this test's node: the configured public URL is not where it listens), with no token. */
async function download(app: Running, url: string) {
  assert.ok(url.startsWith(`${app.config.publicUrl}/files/`), url);
  const res = await fetch(`${app.url}${new URL(url).pathname}`);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function attachmentsOf(app: Running, chatId: number): Promise<number> {
  const row = await app.parley.database.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).where('chat_id', '=', chatId).executeTakeFirstOrThrow();
  return Number(row.n);
}

test('pictures are shown inline from their address; other files only download', async (t) => {
  const app = await startParley(t, { PARLEY_FILE_MAX_BYTES: String(MAX) });
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const { visitor, chatId } = await activeChat(app, site.siteId, alice);
  const aliceLive = await connectLive(app.url, alice.token);
  const visitorLive = await connectLive(app.url, visitor.token);
  t.after(() => aliceLive.close());
  t.after(() => visitorLive.close());

  await t.test('a PNG from the visitor: an image message, the agent told at once, the same bytes served inline', async () => {
    const res = await upload(app, visitor.token, chatId, PNG, 'image/png', 'photo.png', 'png-1');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const m = res.body;
    assert.deepEqual([m.type, m.senderKind, m.senderId, m.data.name, m.data.size, m.data.mimeType], ['image', 'visitor', visitor.id, 'photo.png', PNG.length, 'image/png']);
    const live = await on(aliceLive, 'chatMessageCreated', (d) => d.message.id === m.id);
    assert.deepEqual(live.message.data, m.data);
    const file = await download(app, m.data.url);
    assert.equal(file.status, 200);
    assert.ok(file.bytes.equals(PNG), 'the same bytes');
    assert.equal(file.headers.get('content-type'), 'image/png');
    assert.match(file.headers.get('content-disposition')!, /^inline/);
    assert.equal(file.headers.get('x-content-type-options'), 'nosniff');
  });

  await t.test('a PDF from the agent: a file message, downloaded as an attachment in a sandbox', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const res = await upload(app, alice.token, chatId, pdf, 'application/pdf', 'invoice 77.pdf');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual([res.body.type, res.body.senderKind, res.body.data.name, res.body.data.size], ['file', 'agent', 'invoice 77.pdf', pdf.length]);
    await on(visitorLive, 'chatMessageCreated', (d) => d.message.id === res.body.id);
    const file = await download(app, res.body.data.url);
    assert.equal(file.status, 200);
    assert.ok(file.bytes.equals(pdf));
    assert.equal(file.headers.get('content-type'), 'application/octet-stream');
    assert.match(file.headers.get('content-disposition')!, /^attachment/);
    assert.match(file.headers.get('content-security-policy')!, /sandbox/);
  });

  await t.test('an HTML file is never served as HTML', async () => {
    const html = '<!doctype html><script>alert(document.cookie)</script>';
    for (const [type, name] of [['text/html', 'page.html'], ['image/svg+xml', 'logo.svg'], ['application/octet-stream', 'page.html']] as const) {
      const res = await upload(app, visitor.token, chatId, html, type, name);
      assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.type, 'file', name);
      const file = await download(app, res.body.data.url);
      assert.equal(file.headers.get('content-type'), 'application/octet-stream', name);
      assert.match(file.headers.get('content-disposition')!, /^attachment/, name);
      assert.match(file.headers.get('content-security-policy')!, /sandbox/, name);
      assert.equal(file.bytes.toString(), html);
    }
  });

  await t.test('a JSON body is a file like any other, kept as sent', async () => {
    const json = '{"type":"message","data":{"content":"not a message"}}';
    const res = await upload(app, visitor.token, chatId, json, 'application/json', 'data.json');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.type, 'file');
    assert.equal(res.body.data.size, Buffer.byteLength(json));
    assert.equal((await download(app, res.body.data.url)).bytes.toString(), json);
  });

  await t.test('a file the browser knows no type for (no Content-Type) is a file', async () => {
    const res = await upload(app, visitor.token, chatId, Buffer.from('plain bytes'), null, 'notes.xyz');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.type, 'file');
    const file = await download(app, res.body.data.url);
    assert.equal(file.bytes.toString(), 'plain bytes');
    assert.equal(file.headers.get('content-type'), 'application/octet-stream');
  });

  await t.test('a file name is only a name', async () => {
    const res = await upload(app, visitor.token, chatId, 'x', 'text/plain', '../../etc/passwd');
    assert.equal(res.status, 201);
    assert.equal(res.body.data.name, 'passwd');
  });
});

test('refused files: false pictures, empty, too large; a retry stores one file; other chats and unknown keys', async (t) => {
  const app = await startParley(t, { PARLEY_FILE_MAX_BYTES: String(MAX) });
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice', { maxConcurrentChats: 5 });
  const { visitor, chatId } = await activeChat(app, site.siteId, alice);
  const messages = async () => (await visitor.api.get(`/api/v1/chats/${chatId}/messages`)).body as Json[];

  const fake = await upload(app, visitor.token, chatId, '<svg onload="alert(1)"/>', 'image/png', 'fake.png');
  assert.equal(fake.status, 400, JSON.stringify(fake.body));
  assert.equal((await upload(app, visitor.token, chatId, Buffer.from('GIF89a....'), 'image/jpeg', 'fake.jpg')).status, 400);
  const empty = await upload(app, visitor.token, chatId, new Uint8Array(), 'image/png', 'empty.png');
  assert.equal(empty.status, 400);
  assert.equal((await upload(app, visitor.token, chatId, new Uint8Array(), 'text/plain', 'empty.txt')).status, 400);
  const big = await upload(app, visitor.token, chatId, Buffer.alloc(MAX + 1, 0x61), 'text/plain', 'big.txt');
  assert.equal(big.status, 413);
  assert.match(big.headers.get('content-type')!, /application\/problem\+json/);
  assert.equal(big.body.status, 413);
  assert.match(big.body.detail, new RegExp(String(MAX)));
  // Sent in chunks, without a length: still cut off at the limit.
  const streamed = await fetch(`${app.url}/api/v1/chats/${chatId}/files?name=stream.txt`, {
    method: 'POST',
    headers: { authorization: `Bearer ${visitor.token}`, 'content-type': 'text/plain' },
    body: new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new Uint8Array(MAX / 2));
        c.close();
      },
    }),
    duplex: 'half',
  } as RequestInit);
  assert.equal(streamed.status, 413);
  assert.equal((await upload(app, visitor.token, chatId, Buffer.alloc(MAX, 0x61), 'text/plain', 'just-fits.txt')).status, 201);
  assert.deepEqual((await messages()).map((m) => m.data.name), ['just-fits.txt'], 'nothing refused was stored');
  assert.equal(await attachmentsOf(app, chatId), 1);

  // The same clientMessageId again (a retry after a lost answer): the first message, one file.
  const first = await upload(app, visitor.token, chatId, PNG, 'image/png', 'retry.png', 'cid-retry');
  assert.equal(first.status, 201);
  const again = await upload(app, visitor.token, chatId, PNG, 'image/png', 'retry.png', 'cid-retry');
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.data.url, first.body.data.url);
  assert.equal((await messages()).filter((m) => m.clientMessageId === 'cid-retry').length, 1);
  assert.equal(await attachmentsOf(app, chatId), 2);
  assert.equal((await download(app, first.body.data.url)).status, 200, 'the first file is kept');

  // Another visitor's chat does not exist for this one; neither does a chat of another site.
  const other = await activeChat(app, site.siteId, alice);
  assert.equal((await upload(app, visitor.token, other.chatId, PNG, 'image/png', 'x.png')).status, 404);
  const elsewhere = await createSite(app);
  const stranger = await onlineAgent(app, elsewhere, 'Stranger');
  const foreign = await activeChat(app, elsewhere.siteId, stranger);
  assert.equal((await upload(app, alice.token, foreign.chatId, PNG, 'image/png', 'x.png')).status, 404);
  assert.equal((await upload(app, visitor.token, foreign.chatId, PNG, 'image/png', 'x.png')).status, 404);
  assert.equal(await attachmentsOf(app, other.chatId), 0);
  assert.equal(await attachmentsOf(app, foreign.chatId), 0);
  // Another agent's chat, and an ended chat.
  const bob = await onlineAgent(app, site, 'Bob');
  assert.equal((await upload(app, bob.token, chatId, PNG, 'image/png', 'x.png')).status, 403);
  assert.equal((await other.visitor.api.post(`/api/v1/chats/${other.chatId}/end`)).status, 200);
  assert.equal((await upload(app, other.visitor.token, other.chatId, PNG, 'image/png', 'late.png')).status, 409);
  assert.equal(await attachmentsOf(app, other.chatId), 0, 'nothing kept of refused uploads');
  // No token, no upload.
  assert.equal((await upload(app, '', chatId, PNG, 'image/png', 'x.png')).status, 401);

  // An address nobody was given.
  assert.equal((await fetch(`${app.url}/files/AAAAAAAAAAAAAAAAAAAAAA/photo.png`)).status, 404);
  const malformed = await fetch(`${app.url}/files/not-a-key/photo.png`);
  assert.ok([400, 404].includes(malformed.status), `a malformed key: ${malformed.status}`);
});

test('a withdrawn file stops being served; files of a closed site are not served; names cannot disguise their type; a chat holds 50 files', async (t) => {
  const app = await startParley(t, { PARLEY_FILE_MAX_BYTES: String(MAX), PARLEY_FILE_RATE_LIMIT: '1000' });
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const bob = await onlineAgent(app, site, 'Bob');
  const { chatId } = await activeChat(app, site.siteId, alice);

  await t.test('the agent deletes its file message: the address answers 404 and the file is gone', async () => {
    const sent = await upload(app, alice.token, chatId, PNG, 'image/png', 'oops.png');
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal((await download(app, sent.body.data.url)).status, 200);
    const before = await attachmentsOf(app, chatId);
    const deleted = await alice.api.delete(`/operator/sessions/${chatId}/operators/messages/${sent.body.id}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.equal((await download(app, sent.body.data.url)).status, 404);
    assert.equal(await attachmentsOf(app, chatId), before - 1);
  });

  await t.test('an agent who may not write in the chat is refused before anything is stored', async () => {
    const before = await attachmentsOf(app, chatId);
    const res = await upload(app, bob.token, chatId, PNG, 'image/png', 'not-mine.png');
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(await attachmentsOf(app, chatId), before);
  });

  await t.test('right-to-left overrides and other format characters are taken out of names', async () => {
    const res = await upload(app, alice.token, chatId, 'MZ', 'application/octet-stream', 'invoice\u202efdp.exe');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.data.name, 'invoicefdp.exe');
  });

  await t.test('the 51st file of a chat is refused with 409', async () => {
    for (let n = await attachmentsOf(app, chatId); n < 50; n++) assert.equal((await upload(app, alice.token, chatId, 'x', 'text/plain', `f${n}.txt`)).status, 201);
    const full = await upload(app, alice.token, chatId, 'x', 'text/plain', 'one-too-many.txt');
    assert.equal(full.status, 409, JSON.stringify(full.body));
    assert.equal(full.body.reason, 'chat-files-full');
    assert.equal(await attachmentsOf(app, chatId), 50);
  });

  await t.test('once the site is closed, its files are not served', async () => {
    const [first] = (await alice.api.get(`/api/v1/chats/${chatId}/messages?limit=500`)).body.filter((m: Json) => m.type === 'file');
    assert.equal((await download(app, first.data.url)).status, 200);
    await app.parley.services.partnerSites.update(site.partnerId, { kind: 'system', id: null }, site.siteId, { ifClose: true });
    assert.equal((await download(app, first.data.url)).status, 404);
  });
});

test("a site decides who may send files and how large, within the platform's limit", async (t) => {
  const app = await startParley(t, { PARLEY_FILE_MAX_BYTES: String(MAX) });
  const site = await createSite(app);
  const alice = await onlineAgent(app, site, 'Alice');
  const { chatId, visitor } = await activeChat(app, site.siteId, alice);
  const admin = client(app.url, site.admin.token);
  const defaults = await admin.get('/api/v1/file-settings');
  assert.deepEqual(defaults.body, { visitorFiles: true, agentFiles: true, maxBytes: MAX, platformMaxBytes: MAX });

  assert.equal((await admin.patch('/api/v1/file-settings', { maxBytes: MAX + 1 })).status, 400, "above the platform's limit");
  assert.equal((await alice.api.patch('/api/v1/file-settings', { visitorFiles: false })).status, 403, 'agents without manageSettings');
  const set = await admin.patch('/api/v1/file-settings', { visitorFiles: false, maxBytes: 2048 });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body, { visitorFiles: false, agentFiles: true, maxBytes: 2048, platformMaxBytes: MAX });
  assert.deepEqual((await client(app.url).get(`/api/v1/sites/${site.siteId}/widget`)).body.files, { enabled: false, maxBytes: 2048 });

  const before = await attachmentsOf(app, chatId);
  const refused = await upload(app, visitor.token, chatId, 'hello', 'text/plain', 'note.txt');
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.equal(refused.body.reason, 'files-off');
  assert.equal((await upload(app, alice.token, chatId, 'x'.repeat(3000), 'text/plain', 'big.txt')).status, 413, "above the site's limit");
  assert.equal(await attachmentsOf(app, chatId), before, 'nothing stored');
  assert.equal((await upload(app, alice.token, chatId, 'hello', 'text/plain', 'note.txt')).status, 201, 'agents still send files');
});
