// Bad input, end to end: missing or mistyped fields, malformed JSON, oversize bodies, unknown ids,
// another site's ids, wrong or expired tokens, the wrong role, too many logins, unknown routes.
// Each gets a 4xx problem+json document and changes nothing; every test reads the state it could
// have changed before and after the rejected calls and shows it is the same.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { type ApiResponse, call } from './helpers/api.ts';
import { createAgent, createSite, openVisitor } from './helpers/factories.ts';
import { type Running, startParley } from './helpers/parley.ts';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field and asserted on
type Json = any;

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

/**
 * Asserts an RFC 9457 problem: status, media type, `type` URN, `status`, `title`, `detail`, and a
 * `requestId` equal to the x-request-id header; for validation failures, the offending fields.
 */
function assertProblem(
  res: ApiResponse<Json>,
  status: number,
  slug: string,
  opts: { errors?: string[]; detail?: string | RegExp } = {},
): void {
  const what = `${slug}: ${JSON.stringify(res.body)}`;
  assert.equal(res.status, status, what);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
  assert.equal(typeof res.body, 'object', what);
  assert.equal(res.body.type, `urn:parley:problem:${slug}`, what);
  assert.equal(res.body.status, status, what);
  assert.equal(res.body.title, titles[status], what);
  assert.equal(typeof res.body.detail, 'string', what);
  assert.ok(res.body.detail.length > 0, what);
  if (typeof opts.detail === 'string') assert.equal(res.body.detail, opts.detail, what);
  else if (opts.detail) assert.match(res.body.detail, opts.detail, what);
  if (opts.errors) {
    assert.ok(Array.isArray(res.body.errors), what);
    assert.deepEqual(res.body.errors.map((e: { path: string }) => e.path).sort(), [...opts.errors].sort(), what);
    for (const e of res.body.errors) assert.ok(typeof e.message === 'string' && e.message.length > 0, what);
  } else {
    assert.equal(res.body.errors, undefined, what);
  }
  assert.equal(typeof res.body.requestId, 'string', what);
  assert.ok(res.body.requestId.length > 0, what);
  assert.equal(res.headers.get('x-request-id'), res.body.requestId, `x-request-id header of ${what}`);
}

const text = (content: string) => ({ type: 'message', data: { content } });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function countTokens(app: Running): Promise<number> {
  const row = await app.parley.database.db
    .selectFrom('auth_tokens')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A visitor token signed the way Parley signs them, with a chosen secret and expiry. */
function visitorJwt(secret: Uint8Array, siteId: number, visitorId: number, exp: number, iat = exp - 3600): Promise<string> {
  return new SignJWT({ site: siteId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(visitorId))
    .setAudience('parley:visitor')
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(secret);
}

async function storedVisitorSecret(app: Running): Promise<Uint8Array> {
  const row = await app.parley.database.db
    .selectFrom('server_settings')
    .select('value')
    .where('key', '=', 'visitor_token_secret')
    .executeTakeFirstOrThrow();
  return new TextEncoder().encode(row.value);
}

/** A site with a visitor whose chat is assigned to an online agent and holds one message. */
async function siteWithChat(app: Running) {
  const site = await createSite(app);
  const agent = await createAgent(app, site, { name: 'Owner' });
  assert.equal((await agent.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
  const visitor = await openVisitor(app, site.siteId);
  const chat = await visitor.api.post('/api/v1/chats', { message: text('first') });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  assert.equal(chat.body.status, 'assigned');
  assert.equal(chat.body.agentId, agent.id);
  return { site, agent, visitor, chatId: chat.body.id as number };
}

/** What a chat looks like to its own visitor: the chat and its messages. */
async function chatState(app: Running, visitorToken: string, chatId: number) {
  const chat = await call(app.url, 'GET', `/api/v1/chats/${chatId}`, { token: visitorToken });
  const messages = await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: visitorToken });
  assert.equal(chat.status, 200, JSON.stringify(chat.body));
  assert.equal(messages.status, 200, JSON.stringify(messages.body));
  return { chat: chat.body, messages: messages.body };
}

async function agentList(app: Running, adminToken: string) {
  const res = await call(app.url, 'GET', '/api/v1/agents', { token: adminToken });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

test('creating an agent with a missing, mistyped or unknown field is refused and creates nobody', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const before = await agentList(app, site.admin.token);
  const post = (body: unknown) => call(app.url, 'POST', '/api/v1/agents', { token: site.admin.token, body });
  const valid = { email: 'new-agent@example.com', name: 'New Agent', password: 'agent-pass-1' };

  const missing = await post({ name: valid.name, password: valid.password });
  const empty = await post({});
  const mistyped = await post({ ...valid, maxConcurrentChats: 'six' });
  const outOfRange = await post({ ...valid, maxConcurrentChats: 0 });
  const badEmail = await post({ ...valid, email: 'not-an-e-mail' });
  const shortPassword = await post({ ...valid, password: 'short' });
  const badRole = await post({ ...valid, role: 'owner' });
  const unknown = await post({ ...valid, isSuperuser: true });
  const notAnObject = await post([valid]);

  assert.deepEqual(await agentList(app, site.admin.token), before);
  const login = await call(app.url, 'POST', '/api/v1/auth/login', { body: { email: valid.email, password: valid.password } });
  assertProblem(login, 401, 'unauthorized');

  assertProblem(missing, 400, 'validation-failed', { errors: ['body.email'] });
  assert.equal(missing.body.errors[0].message, 'is required');
  assertProblem(empty, 400, 'validation-failed', { errors: ['body.email', 'body.name', 'body.password'] });
  assertProblem(mistyped, 400, 'validation-failed', { errors: ['body.maxConcurrentChats'] });
  assertProblem(outOfRange, 400, 'validation-failed', { errors: ['body.maxConcurrentChats'] });
  assertProblem(badEmail, 400, 'validation-failed', { errors: ['body.email'] });
  assertProblem(shortPassword, 400, 'validation-failed', { errors: ['body.password'] });
  assert.ok(badRole.body.errors?.every((e: { path: string }) => e.path === 'body.role'), JSON.stringify(badRole.body));
  assertProblem(badRole, 400, 'validation-failed', { errors: badRole.body.errors.map(() => 'body.role') });
  assertProblem(unknown, 400, 'validation-failed', { errors: ['body.isSuperuser'] });
  assert.equal(unknown.body.errors[0].message, 'is not an allowed field');
  assertProblem(notAnObject, 400, 'validation-failed', { errors: ['body'] });

  // The same request without the bad field goes through: the field alone was the problem.
  const created = await post(valid);
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await agentList(app, site.admin.token)).length, before.length + 1);
});

test('a mistyped field is refused, not coerced into something else', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const before = await agentList(app, site.admin.token);
  const post = (body: unknown) => call(app.url, 'POST', '/api/v1/agents', { token: site.admin.token, body });
  const valid = { email: 'typed@example.com', name: 'Typed', password: 'agent-pass-1' };

  const numberAsName = await post({ ...valid, name: 42 });
  const booleanAsCount = await post({ ...valid, email: 'typed-2@example.com', maxConcurrentChats: true });
  const stringAsCount = await post({ ...valid, email: 'typed-3@example.com', maxConcurrentChats: '7' });

  assert.deepEqual(await agentList(app, site.admin.token), before);
  assertProblem(numberAsName, 400, 'validation-failed', { errors: ['body.name'] });
  assertProblem(booleanAsCount, 400, 'validation-failed', { errors: ['body.maxConcurrentChats'] });
  assertProblem(stringAsCount, 400, 'validation-failed', { errors: ['body.maxConcurrentChats'] });
});

test('a message with malformed JSON, a wrong shape or a wrong media type is refused and stores nothing', async (t) => {
  const app = await startParley(t);
  const { visitor, chatId } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const path = `/api/v1/chats/${chatId}/messages`;
  const send = (body: unknown, headers?: Record<string, string>) =>
    call(app.url, 'POST', path, { token: visitor.token, body, ...(headers ? { headers } : {}) });

  const truncated = await send('{"type":"message","data":{"content":"hi"');
  const trailingComma = await send('{"type":"message","data":{"content":"hi"},}');
  const emptyBody = await send('');
  const wrongType = await send({ type: 'image', data: { content: 'hi' } });
  const noContent = await send({ type: 'message', data: {} });
  const emptyContent = await send(text(''));
  const extraData = await send({ type: 'message', data: { content: 'hi', html: '<b>hi</b>' } });
  const xml = await send('<message>hi</message>', { 'content-type': 'application/xml' });
  const form = await send('type=message&content=hi', { 'content-type': 'application/x-www-form-urlencoded' });

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assertProblem(truncated, 400, 'malformed-json');
  assertProblem(trailingComma, 400, 'malformed-json');
  assertProblem(emptyBody, 400, 'malformed-json');
  assertProblem(wrongType, 400, 'validation-failed', { errors: ['body.type'] });
  assertProblem(noContent, 400, 'validation-failed', { errors: ['body.data.content'] });
  assertProblem(emptyContent, 400, 'validation-failed', { errors: ['body.data.content'] });
  assertProblem(extraData, 400, 'validation-failed', { errors: ['body.data.html'] });
  assertProblem(xml, 415, 'unsupported-media-type');
  assertProblem(form, 415, 'unsupported-media-type');

  const ok = await send(text('hi'));
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal((await chatState(app, visitor.token, chatId)).messages.length, before.messages.length + 1);
});

test('a body over the configured limit gets 413 and stores nothing', async (t) => {
  const app = await startParley(t, { PARLEY_BODY_LIMIT: '2048' });
  const { site, visitor, chatId } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const agentsBefore = await agentList(app, site.admin.token);
  const path = `/api/v1/chats/${chatId}/messages`;

  // Both are valid for the schema (content up to 10,000 characters); only their size is wrong.
  const big = text('x'.repeat(3000));
  assert.ok(JSON.stringify(big).length > 2048);
  const tooBig = await call(app.url, 'POST', path, { token: visitor.token, body: big });
  const bigAgent = await call(app.url, 'POST', '/api/v1/agents', {
    token: site.admin.token,
    body: { email: 'big@example.com', name: 'n'.repeat(200), password: 'p'.repeat(200), avatarUrl: `https://example.com/${'a'.repeat(2000)}` },
  });

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.deepEqual(await agentList(app, site.admin.token), agentsBefore);
  assertProblem(tooBig, 413, 'payload-too-large');
  assertProblem(bigAgent, 413, 'payload-too-large');

  // Under the limit the same kind of message goes through.
  const fits = await call(app.url, 'POST', path, { token: visitor.token, body: text('x'.repeat(1500)) });
  assert.equal(fits.status, 201, JSON.stringify(fits.body));
});

test('a malformed or unknown chat id is refused on every chat route', async (t) => {
  const app = await startParley(t);
  const { site, agent, visitor, chatId } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const listBefore = await call(app.url, 'GET', '/api/v1/chats', { token: site.admin.token });

  const malformed: [string, ApiResponse<Json>][] = [];
  for (const id of ['abc', '1.5', '0', '-1', '99999999999999999999']) {
    malformed.push([id, await call(app.url, 'POST', `/api/v1/chats/${id}/messages`, { token: visitor.token, body: text('hi') })]);
    malformed.push([id, await call(app.url, 'GET', `/api/v1/chats/${id}`, { token: visitor.token })]);
    malformed.push([id, await call(app.url, 'POST', `/api/v1/chats/${id}/accept`, { token: agent.token })]);
  }
  const badQuery = await call(app.url, 'GET', '/api/v1/chats?limit=lots&colour=red', { token: site.admin.token });
  const badAfterSeq = await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages?afterSeq=-1`, { token: visitor.token });

  const unknownId = chatId + 1000;
  const unknown = [
    await call(app.url, 'GET', `/api/v1/chats/${unknownId}`, { token: visitor.token }),
    await call(app.url, 'GET', `/api/v1/chats/${unknownId}/messages`, { token: visitor.token }),
    await call(app.url, 'POST', `/api/v1/chats/${unknownId}/messages`, { token: visitor.token, body: text('hi') }),
    await call(app.url, 'POST', `/api/v1/chats/${unknownId}/end`, { token: visitor.token }),
    await call(app.url, 'GET', `/api/v1/chats/${unknownId}`, { token: agent.token }),
    await call(app.url, 'POST', `/api/v1/chats/${unknownId}/messages`, { token: agent.token, body: text('hi') }),
    await call(app.url, 'POST', `/api/v1/chats/${unknownId}/accept`, { token: agent.token }),
    await call(app.url, 'POST', `/api/v1/chats/${unknownId}/end`, { token: site.admin.token }),
  ];
  const unknownAgent = await call(app.url, 'GET', '/api/v1/agents/999999', { token: site.admin.token });

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.deepEqual((await call(app.url, 'GET', '/api/v1/chats', { token: site.admin.token })).body, listBefore.body);
  for (const [id, res] of malformed) {
    assert.ok(res.body.errors?.length > 0, `${id}: ${JSON.stringify(res.body)}`);
    assertProblem(res, 400, 'validation-failed', { errors: res.body.errors.map(() => 'params.chatId') });
  }
  assertProblem(badQuery, 400, 'validation-failed', { errors: ['querystring.limit', 'querystring.colour'] });
  assertProblem(badAfterSeq, 400, 'validation-failed', { errors: ['querystring.afterSeq'] });
  for (const res of unknown) {
    assertProblem(res, 404, 'not-found', { detail: `chat ${unknownId} not found` });
    assert.equal(res.body.entity, 'chat');
  }
  assertProblem(unknownAgent, 404, 'not-found', { detail: 'agent 999999 not found' });
});

test("an agent cannot read, write in, accept or end another site's chat, and cannot tell it exists", async (t) => {
  const app = await startParley(t);
  const b = await siteWithChat(app);
  const before = await chatState(app, b.visitor.token, b.chatId);
  const a = await createSite(app);
  const aAgent = await createAgent(app, a);
  assert.equal((await aAgent.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
  const missingId = b.chatId + 1000;

  // A's admin may end any chat of site A and A's agent is online; neither reaches into site B.
  const attempts = async (chatId: number) => [
    await call(app.url, 'GET', `/api/v1/chats/${chatId}`, { token: a.admin.token }),
    await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: a.admin.token }),
    await call(app.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: aAgent.token, body: text('from another site') }),
    await call(app.url, 'POST', `/api/v1/chats/${chatId}/accept`, { token: aAgent.token }),
    await call(app.url, 'POST', `/api/v1/chats/${chatId}/end`, { token: aAgent.token }),
    await call(app.url, 'POST', `/api/v1/chats/${chatId}/end`, { token: a.admin.token }),
  ];
  const foreign = await attempts(b.chatId);
  const missing = await attempts(missingId);
  const aList = await call(app.url, 'GET', '/api/v1/chats', { token: a.admin.token });

  assert.deepEqual(await chatState(app, b.visitor.token, b.chatId), before);
  assert.equal(before.chat.status, 'assigned');
  assert.equal(aList.status, 200);
  assert.deepEqual(aList.body, []);
  for (const [i, res] of foreign.entries()) {
    assertProblem(res, 404, 'not-found', { detail: `chat ${b.chatId} not found` });
    // The answer for an existing foreign chat is the answer for a chat that does not exist.
    const same = (r: ApiResponse<Json>) => ({ ...r.body, requestId: undefined, instance: undefined, detail: undefined });
    assert.deepEqual(same(res), same(missing[i]!));
    assertProblem(missing[i]!, 404, 'not-found', { detail: `chat ${missingId} not found` });
  }
});

test("a visitor cannot read, write in or end another visitor's chat, in the same site or another", async (t) => {
  const app = await startParley(t);
  const { site, visitor, chatId } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const neighbour = await openVisitor(app, site.siteId, 'Neighbour');
  const otherSite = await createSite(app);
  const stranger = await openVisitor(app, otherSite.siteId, 'Stranger');

  const rejected: ApiResponse<Json>[] = [];
  for (const token of [neighbour.token, stranger.token]) {
    rejected.push(await call(app.url, 'GET', `/api/v1/chats/${chatId}`, { token }));
    rejected.push(await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token }));
    rejected.push(await call(app.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token, body: text('not mine') }));
    rejected.push(await call(app.url, 'POST', `/api/v1/chats/${chatId}/end`, { token }));
  }
  const neighbourList = await call(app.url, 'GET', '/api/v1/chats', { token: neighbour.token });

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.deepEqual(neighbourList.body, []);
  for (const res of rejected) assertProblem(res, 404, 'not-found', { detail: `chat ${chatId} not found` });
});

test("another site's agent id is not found, exactly like an id that does not exist", async (t) => {
  const app = await startParley(t);
  const a = await createSite(app);
  const b = await createSite(app);
  const bAgent = await createAgent(app, b);
  const missingId = bAgent.id + 1000;

  const own = await call(app.url, 'GET', `/api/v1/agents/${a.admin.agentId}`, { token: a.admin.token });
  assert.equal(own.status, 200);
  const foreign = await call(app.url, 'GET', `/api/v1/agents/${bAgent.id}`, { token: a.admin.token });
  const foreignAdmin = await call(app.url, 'GET', `/api/v1/agents/${b.admin.agentId}`, { token: a.admin.token });
  const missing = await call(app.url, 'GET', `/api/v1/agents/${missingId}`, { token: a.admin.token });
  const aList = await agentList(app, a.admin.token);

  assert.deepEqual(
    aList.map((x: { id: number }) => x.id),
    [a.admin.agentId],
  );
  assertProblem(foreign, 404, 'not-found', { detail: `agent ${bAgent.id} not found` });
  assertProblem(foreignAdmin, 404, 'not-found', { detail: `agent ${b.admin.agentId} not found` });
  assertProblem(missing, 404, 'not-found', { detail: `agent ${missingId} not found` });
  const same = (r: ApiResponse<Json>) => ({ ...r.body, requestId: undefined, instance: undefined, detail: undefined });
  assert.deepEqual(same(foreign), same(missing));
});

test('a missing, garbage, unknown or foreign-signed token gets 401 and changes nothing', async (t) => {
  const app = await startParley(t);
  const { site, agent, visitor, chatId } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const agentsBefore = await agentList(app, site.admin.token);
  const otherSecret = new TextEncoder().encode(randomBytes(32).toString('hex'));
  const foreignJwt = await visitorJwt(otherSecret, site.siteId, visitor.id, Math.floor(Date.now() / 1000) + 3600);

  const tokens: [string, Record<string, string>][] = [
    ['no token', {}],
    ['garbage bearer', { authorization: 'Bearer garbage' }],
    ['unknown agent token', { authorization: `Bearer pla_${randomBytes(32).toString('base64url')}` }],
    ['unknown platform token', { authorization: `Bearer plp_${randomBytes(32).toString('base64url')}` }],
    ['visitor JWT signed with another secret', { authorization: `Bearer ${foreignJwt}` }],
    ['not a bearer scheme', { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }],
    ['empty bearer', { authorization: 'Bearer ' }],
  ];
  const results: [string, ApiResponse<Json>][] = [];
  for (const [label, headers] of tokens) {
    results.push([label, await call(app.url, 'POST', `/api/v1/chats/${chatId}/messages`, { headers, body: text('sneaky') })]);
    results.push([label, await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages`, { headers })]);
    results.push([label, await call(app.url, 'POST', `/api/v1/chats/${chatId}/end`, { headers })]);
    results.push([label, await call(app.url, 'POST', '/api/v1/agents', { headers, body: { email: 'x@example.com', name: 'X', password: 'agent-pass-1' } })]);
    results.push([label, await call(app.url, 'PUT', '/api/v1/agents/me/status', { headers, body: { status: 'away' } })]);
  }

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.deepEqual(await agentList(app, site.admin.token), agentsBefore);
  assert.equal((await agent.api.get('/api/v1/agents/me')).body.status, 'online');
  for (const [label, res] of results) {
    assert.equal(res.status, 401, `${label}: ${JSON.stringify(res.body)}`);
    assertProblem(res, 401, 'unauthorized');
    const presented = /Bearer \S/.test(tokens.find(([l]) => l === label)![1].authorization ?? '');
    // A presented token is rejected as invalid (not expired); the others say what is missing.
    if (presented) assert.equal(res.body.reason, 'invalid', `${label}: ${JSON.stringify(res.body)}`);
  }
});

test('an expired agent token gets 401 "expired" and changes nothing', async (t) => {
  const app = await startParley(t);
  const { site, agent, visitor, chatId } = await siteWithChat(app);
  const accepted = await agent.api.post(`/api/v1/chats/${chatId}/accept`);
  assert.equal(accepted.status, 200);
  const before = await chatState(app, visitor.token, chatId);
  const agentsBefore = await agentList(app, site.admin.token);

  // Test setup: the agent's token runs out (as if twelve hours had passed).
  const expired = await app.parley.database.db
    .updateTable('auth_tokens')
    .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
    .where('token_hash', '=', sha256(agent.token))
    .executeTakeFirst();
  assert.equal(Number(expired.numUpdatedRows), 1);

  const results = [
    await agent.api.get('/api/v1/agents/me'),
    await agent.api.get(`/api/v1/chats/${chatId}/messages`),
    await agent.api.post(`/api/v1/chats/${chatId}/messages`, text('too late')),
    await agent.api.put('/api/v1/agents/me/status', { status: 'away' }),
    await agent.api.post(`/api/v1/chats/${chatId}/end`),
    await agent.api.post('/api/v1/auth/logout'),
  ];

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.deepEqual(await agentList(app, site.admin.token), agentsBefore);
  for (const res of results) {
    assertProblem(res, 401, 'unauthorized', { detail: 'The token has expired.' });
    assert.equal(res.body.reason, 'expired');
  }
});

test('an expired visitor token gets 401 "expired" and changes nothing', async (t) => {
  const app = await startParley(t);
  const { visitor, chatId, site } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const secret = await storedVisitorSecret(app);
  const now = Math.floor(Date.now() / 1000);

  // Signed with the server's own secret: still valid, it works; run out, it does not.
  const current = await visitorJwt(secret, site.siteId, visitor.id, now + 3600, now);
  assert.equal((await call(app.url, 'GET', `/api/v1/chats/${chatId}`, { token: current })).status, 200);
  const expired = await visitorJwt(secret, site.siteId, visitor.id, now - 60, now - 3600);

  const results = [
    await call(app.url, 'GET', `/api/v1/chats/${chatId}`, { token: expired }),
    await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages`, { token: expired }),
    await call(app.url, 'POST', `/api/v1/chats/${chatId}/messages`, { token: expired, body: text('too late') }),
    await call(app.url, 'POST', `/api/v1/chats/${chatId}/end`, { token: expired }),
    await call(app.url, 'POST', '/api/v1/chats', { token: expired, body: {} }),
    await call(app.url, 'GET', '/api/v1/visitors/me', { token: expired }),
  ];

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  for (const res of results) {
    assertProblem(res, 401, 'unauthorized', { detail: 'The token has expired.' });
    assert.equal(res.body.reason, 'expired');
  }
});

test('a token revoked by logout gets 401 and changes nothing; other tokens keep working', async (t) => {
  const app = await startParley(t);
  const { site, agent, visitor, chatId } = await siteWithChat(app);
  const second = await call(app.url, 'POST', '/api/v1/auth/login', { body: { email: agent.email, password: agent.password } });
  assert.equal(second.status, 200);

  const logout = await agent.api.post('/api/v1/auth/logout');
  assert.equal(logout.status, 204);
  const before = await chatState(app, visitor.token, chatId);
  const agentsBefore = await agentList(app, site.admin.token);

  const results = [
    await agent.api.get('/api/v1/agents/me'),
    await agent.api.post(`/api/v1/chats/${chatId}/accept`),
    await agent.api.put('/api/v1/agents/me/status', { status: 'away' }),
    await agent.api.post('/api/v1/auth/logout'),
  ];

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.equal(before.chat.status, 'assigned');
  assert.deepEqual(await agentList(app, site.admin.token), agentsBefore);
  for (const res of results) {
    assertProblem(res, 401, 'unauthorized', { detail: 'The token is not valid.' });
    assert.equal(res.body.reason, 'invalid');
  }
  // The agent's other session is untouched.
  const me = await call(app.url, 'GET', '/api/v1/agents/me', { token: second.body.token });
  assert.equal(me.status, 200);
  assert.equal(me.body.id, agent.id);
});

test('a caller of the wrong kind or role gets 403 and changes nothing', async (t) => {
  const app = await startParley(t);
  const { site, agent, visitor, chatId } = await siteWithChat(app);
  const before = await chatState(app, visitor.token, chatId);
  const agentsBefore = await agentList(app, site.admin.token);
  const newAgent = { email: 'not-allowed@example.com', name: 'Not Allowed', password: 'agent-pass-1' };

  const results: [string, ApiResponse<Json>][] = [
    ['visitor lists agents', await call(app.url, 'GET', '/api/v1/agents', { token: visitor.token })],
    ['visitor reads an agent', await call(app.url, 'GET', `/api/v1/agents/${agent.id}`, { token: visitor.token })],
    ['visitor sets a status', await call(app.url, 'PUT', '/api/v1/agents/me/status', { token: visitor.token, body: { status: 'online' } })],
    ['visitor accepts its chat', await call(app.url, 'POST', `/api/v1/chats/${chatId}/accept`, { token: visitor.token })],
    ['visitor creates an agent', await call(app.url, 'POST', '/api/v1/agents', { token: visitor.token, body: newAgent })],
    ['visitor logs out', await call(app.url, 'POST', '/api/v1/auth/logout', { token: visitor.token })],
    ['agent creates an agent', await call(app.url, 'POST', '/api/v1/agents', { token: agent.token, body: newAgent })],
    [
      'agent creates an admin',
      await call(app.url, 'POST', '/api/v1/agents', { token: agent.token, body: { ...newAgent, role: 'admin' } }),
    ],
    ['agent asks for a chat', await call(app.url, 'POST', '/api/v1/chats', { token: agent.token, body: {} })],
    ['agent reads visitors/me', await call(app.url, 'GET', '/api/v1/visitors/me', { token: agent.token })],
  ];

  assert.deepEqual(await chatState(app, visitor.token, chatId), before);
  assert.deepEqual(await agentList(app, site.admin.token), agentsBefore);
  const login = await call(app.url, 'POST', '/api/v1/auth/login', { body: { email: newAgent.email, password: newAgent.password } });
  assert.equal(login.status, 401);
  for (const [label, res] of results) {
    assert.equal(res.status, 403, `${label}: ${JSON.stringify(res.body)}`);
    assertProblem(res, 403, 'forbidden');
  }
});

test('a wrong password and an unknown e-mail get the same 401 and issue no token', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agent = await createAgent(app, site);
  const tokensBefore = await countTokens(app);
  const login = (body: unknown) => call(app.url, 'POST', '/api/v1/auth/login', { body });

  const wrongPassword = await login({ email: agent.email, password: 'wrong-password' });
  const unknownEmail = await login({ email: 'nobody@example.com', password: 'wrong-password' });
  const wrongSite = await login({ email: agent.email, password: agent.password, siteId: site.siteId + 1000 });
  const noPassword = await login({ email: agent.email });
  const badEmail = await login({ email: 'not-an-e-mail', password: agent.password });
  const platformWrong = await call(app.url, 'POST', '/api/v1/platform/login', {
    body: { email: 'admin@test.parley', password: 'wrong-password' },
  });

  assert.equal(await countTokens(app), tokensBefore);
  assertProblem(wrongPassword, 401, 'unauthorized', { detail: 'Wrong e-mail or password.' });
  assertProblem(unknownEmail, 401, 'unauthorized', { detail: 'Wrong e-mail or password.' });
  assertProblem(wrongSite, 401, 'unauthorized', { detail: 'Wrong e-mail or password.' });
  assertProblem(platformWrong, 401, 'unauthorized', { detail: 'Wrong e-mail or password.' });
  // Nothing in the answer tells a known e-mail from an unknown one.
  const same = (r: ApiResponse<Json>) => ({ ...r.body, requestId: undefined });
  assert.deepEqual(same(wrongPassword), same(unknownEmail));
  assert.deepEqual(same(wrongPassword), same(wrongSite));
  assertProblem(noPassword, 400, 'validation-failed', { errors: ['body.password'] });
  assertProblem(badEmail, 400, 'validation-failed', { errors: ['body.email'] });
});

test('after too many login attempts the next gets 429, even with the right password', async (t) => {
  const app = await startParley(t, { PARLEY_LOGIN_RATE_LIMIT: '3' });
  // Made through the services, so no login spends the budget before the test does.
  const { tenancy, agents, partners } = app.parley.services;
  const partner = await partners.create({ name: 'P', slug: `p-${randomBytes(4).toString('hex')}`, contactName: 'C', contactEmail: 'c@example.com' });
  const site = await tenancy.createSite(partner.id, { company: 'Co' });
  const email = 'limited@example.com';
  const password = 'agent-pass-1';
  await agents.create({ siteId: site.id, system: true }, { email, name: 'Limited', password });
  const tokensBefore = await countTokens(app);
  const login = (pw: string) => call(app.url, 'POST', '/api/v1/auth/login', { body: { email, password: pw } });

  const attempts = [await login('guess-1'), await login('guess-2'), await login('guess-3')];
  const fourth = await login(password);

  assert.equal(await countTokens(app), tokensBefore);
  for (const res of attempts) assertProblem(res, 401, 'unauthorized');
  assertProblem(fourth, 429, 'too-many-requests');
  const retryAfter = Number(fourth.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, `retry-after: ${fourth.headers.get('retry-after')}`);
  assert.equal(fourth.body.retryAfter, retryAfter);
});

test('an unknown route or method gets 404 route-not-found', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const agentsBefore = await agentList(app, site.admin.token);

  const results = [
    await call(app.url, 'GET', '/api/v1/nothing-here'),
    await call(app.url, 'GET', '/api/v2/agents', { token: site.admin.token }),
    await call(app.url, 'DELETE', '/api/v1/agents', { token: site.admin.token }),
    await call(app.url, 'POST', '/api/v1/agents/me', { token: site.admin.token, body: { name: 'x' } }),
    await call(app.url, 'POST', '/api/v1/chats/1/transfer', { token: site.admin.token, body: {} }),
  ];
  const withId = await call(app.url, 'GET', '/api/v1/nothing-here?x=1', { headers: { 'x-request-id': 'caller-chosen-id.1' } });

  assert.deepEqual(await agentList(app, site.admin.token), agentsBefore);
  for (const res of results) assertProblem(res, 404, 'route-not-found', { detail: /^No route [A-Z]+ \/api\// });
  assert.equal(results[2]!.body.detail, 'No route DELETE /api/v1/agents');
  assertProblem(withId, 404, 'route-not-found', { detail: 'No route GET /api/v1/nothing-here' });
  assert.equal(withId.body.requestId, 'caller-chosen-id.1');
  assert.equal(withId.body.instance, '/api/v1/nothing-here');
});

test('a sequence number or page size out of range is refused on both databases', async (t) => {
  const app = await startParley(t);
  const { visitor, chatId } = await siteWithChat(app);
  for (const query of ['afterSeq=3000000000', 'afterSeq=1e300', 'limit=100000', 'afterSeq=-1']) {
    const res = await call(app.url, 'GET', `/api/v1/chats/${chatId}/messages?${query}`, { token: visitor.token });
    assertProblem(res, 400, 'validation-failed', { errors: [`querystring.${query.split('=')[0]}`] });
  }
});
