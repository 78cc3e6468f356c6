// A partner with single sign-on, set up the way a real one does it (portal API), and requests made
// the way a browser makes them: redirects not followed, cookies kept by hand.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { type ApiResponse, call, client } from './api.ts';
import type { Running } from './parley.ts';
import { type ApprovedPartner, approvedPartner, partnerApi, partnerApiToken } from './partners.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

export const SESSION_COOKIE = '__Host-parley_session';

/** A partner site with its admin and one agent. */
export interface PartnerSite {
  partner: ApprovedPartner;
  siteId: number;
  admin: ReturnType<typeof client>;
  agent: { id: number; email: string; name: string };
}

/** Creates a site through the Partner API, and an agent on it through the site admin. */
export async function partnerSite(app: Running, partner?: ApprovedPartner): Promise<PartnerSite> {
  const p = partner ?? (await approvedPartner(app));
  const api = partnerApi(app, await partnerApiToken(app, p));
  const tag = randomBytes(3).toString('hex');
  const created = await api.post('/sites', { company: `Shop ${tag}`, admin: { email: `admin-${tag}@shop.example`, password: 'site-admin-pass' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const siteId: number = created.body.id;
  const login = await client(app.url).post('/api/v1/auth/login', { email: `admin-${tag}@shop.example`, password: 'site-admin-pass', siteId });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const admin = client(app.url, login.body.token);
  const email = `kim-${tag}@shop.example`;
  const agent = await admin.post('/api/v1/agents', { email, name: 'Kim Agent', password: 'agent-password-1' });
  assert.equal(agent.status, 201, JSON.stringify(agent.body));
  return { partner: p, siteId, admin, agent: { id: agent.body.id, email, name: 'Kim Agent' } };
}

/** Sets up JWT sign-on for a partner; returns its secret. */
export async function setUpJwt(p: ApprovedPartner, opts: { loginUrl?: string; logoutUrl?: string | null; jitProvisioning?: boolean } = {}): Promise<string> {
  const res = await p.portal.put('/api/v1/partner/sso/jwt', {
    loginUrl: opts.loginUrl ?? 'https://login.partner.example/sso',
    logoutUrl: opts.logoutUrl === undefined ? 'https://login.partner.example/logout' : opts.logoutUrl,
    jitProvisioning: opts.jitProvisioning ?? false,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  if (res.body.secret) return res.body.secret;
  const rotated = await p.portal.post('/api/v1/partner/sso/jwt/secret');
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
  return rotated.body.secret;
}

/** Signs a sign-in JWT the way a partner's login page does (HS256, fresh iat and jti). */
export function signJwt(secret: string, claims: Record<string, unknown>, header: { alg?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, jti: randomBytes(12).toString('hex'), ...claims })
    .setProtectedHeader({ alg: header.alg ?? 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

export interface BrowserResponse {
  status: number;
  location: string | null;
  setCookie: string | null;
  headers: Headers;
  text: string;
}

/** One request as a browser sends it: no redirect following, an optional session cookie. */
export async function browse(
  url: string,
  opts: { method?: string; cookie?: string | undefined; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<BrowserResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.cookie) headers.cookie = `${SESSION_COOKIE}=${opts.cookie}`;
  let body: string | undefined;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(url, { method: opts.method ?? (opts.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), setCookie: res.headers.get('set-cookie'), headers: res.headers, text: await res.text() };
}

/** The session token a response set (asserting the cookie's attributes). */
export function sessionFrom(res: BrowserResponse): string {
  assert.ok(res.setCookie, `no Set-Cookie (status ${res.status}: ${res.text.slice(0, 300)})`);
  const parts = res.setCookie.split(';').map((s) => s.trim());
  assert.ok(parts[0]!.startsWith(`${SESSION_COOKIE}=`), res.setCookie);
  for (const attr of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=None', 'Partitioned']) assert.ok(parts.includes(attr), `cookie lacks ${attr}: ${res.setCookie}`);
  return parts[0]!.slice(SESSION_COOKIE.length + 1);
}

/** The signed-in agent of a session cookie, or the refusal. */
export function sessionOf(app: Running, cookie: string): Promise<ApiResponse<Json>> {
  return call(app.url, 'GET', '/api/v1/auth/session', { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
}
