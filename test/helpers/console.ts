// Helpers for the agent console's and the widget's endpoints: a browser session (cookie + CSRF
// token) signed in through POST /api/v1/auth/session, agents that go online, a visitor's chat taken
// by an agent, waiting for one event, raw HTTP requests (own Host header, paths not normalized)
// and JSON POSTs with a chosen Host, and a tiny valid PNG.
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { type ApiResponse, call, type client } from './api.ts';
import { createAgent, openVisitor, type TestSite } from './factories.ts';
import type { Running } from './parley.ts';
import type { LiveClient } from './realtime.ts';
import { SESSION_COOKIE } from './sso.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
export type Json = any;

/** Signs in with the console's form (same-origin, as the console's fetch sends it). */
export function signIn(app: Running, body: { email: string; password: string; siteId?: number }, headers: Record<string, string> = {}): Promise<ApiResponse<Json>> {
  return call(app.url, 'POST', '/api/v1/auth/session', { body, headers: { 'sec-fetch-site': 'same-origin', origin: app.url, ...headers } });
}

/** The session token a sign-in set in the cookie (asserting it was set). */
export function cookieOf(res: ApiResponse<Json>): string {
  const set = res.headers.get('set-cookie');
  assert.ok(set, `no Set-Cookie (status ${res.status}: ${JSON.stringify(res.body)})`);
  const first = set.split(';')[0]!.trim();
  assert.ok(first.startsWith(`${SESSION_COOKIE}=`), set);
  return first.slice(SESSION_COOKIE.length + 1);
}

/** A REST client that authenticates with the session cookie and, unless `csrf` is null, the CSRF header. */
export function cookieClient(app: Running, cookie: string, csrf: string | null) {
  const headers = (): Record<string, string> => ({ cookie: `${SESSION_COOKIE}=${cookie}`, ...(csrf === null ? {} : { 'x-csrf-token': csrf }) });
  return {
    get: (path: string) => call(app.url, 'GET', path, { headers: headers() }),
    post: (path: string, body?: unknown) => call(app.url, 'POST', path, { body, headers: headers() }),
    put: (path: string, body?: unknown) => call(app.url, 'PUT', path, { body, headers: headers() }),
    delete: (path: string) => call(app.url, 'DELETE', path, { headers: headers() }),
  };
}

export type Agent = Awaited<ReturnType<typeof createAgent>>;

/** A new agent of the site whose status is online (it is offered chats). */
export async function onlineAgent(app: Running, site: TestSite, name: string, opts: { maxConcurrentChats?: number } = {}): Promise<Agent> {
  const agent = await createAgent(app, site, { name, ...opts });
  await goOnline(agent);
  return agent;
}

/** Sets an agent online through the API. */
export async function goOnline(agent: { api: ReturnType<typeof client> }): Promise<void> {
  const res = await agent.api.put('/api/v1/agents/me/status', { status: 'online' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.status, 'online');
}

/** A new visitor who asks for a chat (routed to whoever is online) with a first message. */
export async function visitorChat(app: Running, siteId: number, opts: { name?: string; message?: string; agentId?: number } = {}) {
  const visitor = await openVisitor(app, siteId, opts.name ?? 'Visitor');
  const res = await visitor.api.post('/api/v1/chats', {
    ...(opts.message === undefined ? {} : { message: { type: 'message', data: { content: opts.message } } }),
    ...(opts.agentId === undefined ? {} : { agentId: opts.agentId }),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { visitor, chatId: res.body.id as number, chat: res.body as Json };
}

/** A visitor's chat that `agent` (online, the only one free) has accepted. */
export async function activeChat(app: Running, siteId: number, agent: Agent, opts: { name?: string; message?: string } = {}) {
  const c = await visitorChat(app, siteId, opts);
  assert.equal(c.chat.agentId, agent.id, `the chat went to ${c.chat.agentId}, not ${agent.id}`);
  const accepted = await agent.api.post(`/api/v1/chats/${c.chatId}/accept`);
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  return c;
}

/** Waits for the publication `event` matching `also`. */
export function on(live: LiveClient, event: string, also: (d: Json) => boolean = () => true): Promise<Json> {
  return live.next((d) => d.event === event && also(d), event);
}

/** Sends a request exactly as given (any Host header, a path that is not normalized). */
export function raw(baseUrl: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: opts.method ?? 'GET', path, headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** POSTs JSON with a chosen Host header (fetch does not let one set it); the answer's body parsed. */
export async function postWithHost(baseUrl: string, host: string, path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await raw(baseUrl, path, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: JSON.parse(res.text) };
}

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A valid 1×1 RGBA PNG (signature, IHDR, IDAT, IEND), made from its parts. */
export const PNG: Buffer = (() => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const pixels = zlib.deflateSync(Buffer.from([0, 0x1d, 0x4e, 0xd8, 0xff])); // filter 0, one blue pixel
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
})();

/** The fields of a CSP header, by directive. */
export function cspOf(header: string | null | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}
