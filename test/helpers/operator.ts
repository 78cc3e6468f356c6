// Operator-panel test helpers: operators logged in through /operator/auth/login with a REST client
// that also deletes, a visitor with a chat, and waits for a live connection to be let go.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type ApiResponse, call } from './api.ts';
import { createSite, openVisitor } from './factories.ts';
import type { Running } from './parley.ts';
import type { LiveClient } from './realtime.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

/** A REST client bound to one base URL and token, with every verb the operator API uses. */
export function operatorClient(baseUrl: string, token?: string) {
  return {
    get: (path: string): Promise<ApiResponse<Json>> => call(baseUrl, 'GET', path, { token }),
    post: (path: string, body?: unknown): Promise<ApiResponse<Json>> => call(baseUrl, 'POST', path, { token, body }),
    put: (path: string, body?: unknown): Promise<ApiResponse<Json>> => call(baseUrl, 'PUT', path, { token, body }),
    patch: (path: string, body?: unknown): Promise<ApiResponse<Json>> => call(baseUrl, 'PATCH', path, { token, body }),
    del: (path: string): Promise<ApiResponse<Json>> => call(baseUrl, 'DELETE', path, { token }),
    token,
  };
}

export type OperatorClient = ReturnType<typeof operatorClient>;

export interface Operator {
  id: number;
  siteId: number;
  email: string;
  password: string;
  token: string;
  api: OperatorClient;
}

/** Logs an operator in through the operator panel's own login; its earlier tokens stop working. */
export async function operatorLogin(app: Running, email: string, password: string): Promise<Operator> {
  const res = await operatorClient(app.url).post('/operator/auth/login', { email, password });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const token = res.body.token as string;
  return { id: res.body.agentId, siteId: res.body.siteId, email, password, token, api: operatorClient(app.url, token) };
}

/** A new operator (agent) of a site, logged in through /operator/auth/login. */
export async function createOperator(
  app: Running,
  siteId: number,
  opts: { name?: string; role?: 'admin' | 'agent'; maxConcurrentChats?: number } = {},
): Promise<Operator> {
  const email = `op-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'operator-pass-1';
  await app.parley.services.agents.create(
    { siteId, system: true },
    { email, password, name: opts.name ?? 'Operator', role: opts.role, maxConcurrentChats: opts.maxConcurrentChats },
  );
  return operatorLogin(app, email, password);
}

/** A site whose admin is logged in as an operator (the factory's /api/v1 token is thereby revoked). */
export async function operatorSite(app: Running): Promise<{ siteId: number; admin: Operator }> {
  const site = await createSite(app);
  return { siteId: site.siteId, admin: await operatorLogin(app, site.admin.email, site.admin.password) };
}

/** A group with the given members, made by a site admin over REST; returns its id. */
export async function createGroup(admin: Operator, name: string, agentIds: number[]): Promise<number> {
  const res = await admin.api.post('/api/v1/groups', { name, agentIds });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id as number;
}

/** A new visitor of the site who asked for a chat (optionally with a first message or the robot). */
export async function chatWith(app: Running, siteId: number, opts: { message?: string; assignType?: 'agent' | 'robot'; name?: string } = {}) {
  const visitor = await openVisitor(app, siteId, opts.name ?? 'Visitor');
  const res = await visitor.api.post('/api/v1/chats', {
    ...(opts.message === undefined ? {} : { message: { type: 'message', data: { content: opts.message } } }),
    ...(opts.assignType === undefined ? {} : { assignType: opts.assignType }),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { visitor, visitorApi: operatorClient(app.url, visitor.token), chatId: res.body.id as number, chat: res.body };
}

/** Resolves when the server lets the connection go for good ('disconnected': centrifuge-js will not reconnect). */
export function disconnection(live: LiveClient, what = 'disconnect'): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
    live.client.once('disconnected', (ctx) => {
      clearTimeout(timer);
      resolve({ code: ctx.code, reason: ctx.reason });
    });
  });
}

/** The `content` of each message, in order (deleted ones have none). */
export const contents = (messages: { data: { content?: string } }[]) => messages.map((m) => m.data.content);

/** A site with an admin, operators Alice (online, in group Support) and Bob (offline). */
export async function teamWithGroup(app: Running) {
  const { siteId, admin } = await operatorSite(app);
  const alice = await createOperator(app, siteId, { name: 'Alice' });
  const bob = await createOperator(app, siteId, { name: 'Bob' });
  const support = await createGroup(admin, 'Support', [alice.id]);
  await alice.api.post('/operator/users/me/activate');
  return { siteId, admin, alice, bob, support };
}
