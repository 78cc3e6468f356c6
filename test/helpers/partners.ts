// Partners made the way a real one is: applied for, approved by a platform admin, its portal user's
// password set through the e-mailed link; and Partner API calls as a back end makes them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type ApiResponse, call, client } from './api.ts';
import type { Running } from './parley.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

/** A platform admin's API client (the bootstrap admin of startParley). */
export async function platformAdmin(app: Running) {
  const res = await client(app.url).post('/api/v1/platform/login', { email: 'admin@test.parley', password: 'admin-password' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return client(app.url, res.body.token);
}

export interface ApprovedPartner {
  partnerId: number;
  slug: string;
  apiKey: string;
  clientId: string;
  clientSecret: string;
  email: string;
  /** The partner portal, logged in as its contact. */
  portal: ReturnType<typeof client>;
}

/** Applies, approves, sets the contact's password from the e-mail and logs in to the portal. */
export async function approvedPartner(app: Running, company = `Partner ${randomBytes(3).toString('hex')}`): Promise<ApprovedPartner> {
  const email = `contact-${randomBytes(4).toString('hex')}@partner.example`;
  const applied = await client(app.url).post('/api/v1/partner-applications', { companyName: company, contactName: 'Pat Partner', email });
  assert.equal(applied.status, 201, JSON.stringify(applied.body));
  const admin = await platformAdmin(app);
  const approved = await admin.post(`/api/v1/platform/partner-applications/${applied.body.id}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const password = 'portal-password-1';
  const token = linkToken(approved.body.portalUser.setPasswordUrl);
  const set = await client(app.url).post('/api/v1/partner/password', { token, password });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const login = await client(app.url).post('/api/v1/partner/login', { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return {
    partnerId: approved.body.partner.id,
    slug: approved.body.partner.slug,
    ...approved.body.credentials,
    email,
    portal: client(app.url, login.body.token),
  };
}

/** The token of a set-password link (it travels in the fragment). */
export function linkToken(url: string): string {
  const token = new URL(url).hash.match(/token=([^&]+)/)?.[1];
  assert.ok(token, `no token in ${url}`);
  return token;
}

/** Posts an application/x-www-form-urlencoded body, as OAuth clients do. */
export function postForm(baseUrl: string, path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<ApiResponse<Json>> {
  return call(baseUrl, 'POST', path, { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}

/** A Partner API access token from the partner's id and apiKey. */
export async function partnerApiToken(app: Running, p: { partnerId: number; apiKey: string }): Promise<string> {
  const res = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: String(p.partnerId), client_secret: p.apiKey });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.access_token;
}

/** A Partner API client (token in the Authorization header, no browser headers). */
export function partnerApi(app: Running, token: string) {
  const base = '/api/v1/livechat/partner';
  return {
    get: (path: string) => call(app.url, 'GET', `${base}${path}`, { token }),
    post: (path: string, body?: unknown, headers: Record<string, string> = {}) => call(app.url, 'POST', `${base}${path}`, { token, body, headers }),
    put: (path: string, body?: unknown) => call(app.url, 'PUT', `${base}${path}`, { token, body }),
    delete: (path: string) => call(app.url, 'DELETE', `${base}${path}`, { token }),
  };
}

/** A site the partner opened through its API, with the site admin signed in. */
export interface PartnerSite {
  siteId: number;
  admin: ReturnType<typeof client>;
}

/** A partner that has opened two sites through its API (admins admin@one.example and
 * admin@two.example, signed in), and `agent`, which adds a signed-in agent to the first. */
export async function partnerWithTwoSites(app: Running, partnerName: string, companies: [string, string]) {
  const partner = await approvedPartner(app, partnerName);
  const papi = partnerApi(app, await partnerApiToken(app, partner));
  const openSite = async (company: string, email: string): Promise<PartnerSite> => {
    const res = await papi.post('/sites', { company, admin: { email, password: 'admin-pass-1' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const siteId = res.body.id as number;
    const login = await client(app.url).post('/api/v1/auth/login', { email, password: 'admin-pass-1', siteId });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return { siteId, admin: client(app.url, login.body.token) };
  };
  const one = await openSite(companies[0], 'admin@one.example');
  const two = await openSite(companies[1], 'admin@two.example');
  const agent = async (name: string) => {
    const email = `${name.toLowerCase()}@one.example`;
    const created = await one.admin.post('/api/v1/agents', { email, name, password: 'agent-pass-1' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const login = await client(app.url).post('/api/v1/auth/login', { email, password: 'agent-pass-1' });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    return { id: created.body.id as number, api: client(app.url, login.body.token) };
  };
  return { partner, one, two, agent };
}

/** A site the partner opens through its API for `boss` (named Bea Boss), who is then signed in
 * through the API as its admin. */
export async function openSiteFor(app: Running, partner: ApprovedPartner, company: string, boss: { email: string; password: string }) {
  const created = await partnerApi(app, await partnerApiToken(app, partner)).post('/sites', { company, admin: { ...boss, name: 'Bea Boss' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const siteId: number = created.body.id;
  const admin = client(app.url, (await client(app.url).post('/api/v1/auth/login', { ...boss, siteId })).body.token);
  return { siteId, admin };
}
