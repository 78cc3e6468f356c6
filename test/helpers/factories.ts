// Test data made through Parley's own services and API.
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import type { Running } from './parley.ts';
import { client } from './api.ts';

const unique = () => randomBytes(4).toString('hex');

export interface TestSite {
  siteId: number;
  partnerId: number;
  admin: { email: string; password: string; token: string; agentId: number };
}

/** A partner with one site and a logged-in site admin. */
export async function createSite(app: Running): Promise<TestSite> {
  const { tenancy, agents, partners } = app.parley.services;
  const partner = await partners.create({ name: 'Partner', slug: `p-${unique()}`, contactName: 'C', contactEmail: 'c@example.com' });
  const site = await tenancy.createSite(partner.id, { company: 'Customer Co' });
  const email = `admin-${unique()}@example.com`;
  const password = 'admin-pass-1';
  await agents.create({ siteId: site.id, system: true }, { email, name: 'Site Admin', password, role: 'admin' });
  const login = await client(app.url).post('/api/v1/auth/login', { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { siteId: site.id, partnerId: partner.id, admin: { email, password, token: login.body.token, agentId: login.body.agentId } };
}

/** An agent created by the site admin through the API, logged in. */
export async function createAgent(app: Running, site: TestSite, opts: { maxConcurrentChats?: number; name?: string } = {}) {
  const email = `agent-${unique()}@example.com`;
  const password = 'agent-pass-1';
  const created = await client(app.url, site.admin.token).post('/api/v1/agents', { email, name: opts.name ?? 'Agent', password, ...opts });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const login = await client(app.url).post('/api/v1/auth/login', { email, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id: created.body.id as number, email, password, token: login.body.token as string, api: client(app.url, login.body.token) };
}

/** A visitor session on a site. */
export async function openVisitor(app: Running, siteId: number, name = 'Visitor') {
  const res = await client(app.url).post(`/api/v1/sites/${siteId}/visitors`, { name });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.visitor.id as number, token: res.body.token as string, api: client(app.url, res.body.token) };
}
