// The whole partner journey: a company applies, a platform admin approves it, the partner gets its
// credentials and portal, takes a Partner API token, and opens, changes, disables, enables,
// deletes, restores and finally removes a customer's site.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { client } from './helpers/api.ts';
import { demoSite } from './helpers/cluster.ts';
import { openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner, linkToken, partnerApi, partnerApiToken, platformAdmin, postForm } from './helpers/partners.ts';

test('application → approval → credentials → token → site life cycle → purge', async (t) => {
  const app = await startParley(t, { PARLEY_BASE_DOMAIN: 'chat.example.net' });
  const anon = client(app.url);

  // A company applies.
  const applied = await anon.post('/api/v1/partner-applications', {
    companyName: 'Acme Resellers',
    contactName: 'Ada Acme',
    email: 'Ada@Acme.example',
    phone: '+1 555 0100',
    website: 'https://acme.example',
    note: 'We sell to 300 shops.',
  });
  assert.equal(applied.status, 201);
  assert.deepEqual(applied.body, { id: applied.body.id, status: 'pending' });

  // A platform admin finds it among the pending ones and approves it.
  const admin = await platformAdmin(app);
  const pending = await admin.get('/api/v1/platform/partner-applications?status=pending');
  assert.deepEqual(pending.body.map((a: { companyName: string }) => a.companyName), ['Acme Resellers']);
  const approved = await admin.post(`/api/v1/platform/partner-applications/${applied.body.id}/approve`, {});
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  const { partner, credentials, portalUser, application } = approved.body;
  assert.equal(application.status, 'approved');
  assert.equal(partner.name, 'Acme Resellers');
  assert.equal(partner.contactEmail, 'ada@acme.example');
  assert.equal(partner.isActive, true);
  assert.equal(partner.slug, 'acme-resellers');
  assert.equal(partner.host, 'acme-resellers.chat.example.net');
  assert.match(credentials.apiKey, /^ppk_[A-Za-z0-9_-]{43}$/);
  assert.match(credentials.clientSecret, /^pcs_/);
  assert.equal(partner.clientId, credentials.clientId);
  assert.equal(partner.apiKeyPrefix, credentials.apiKey.slice(0, 10));
  // Approving twice is refused.
  assert.equal((await admin.post(`/api/v1/platform/partner-applications/${applied.body.id}/approve`, {})).status, 409);

  // Secrets are stored hashed: no table holds them in the clear.
  const { db } = app.parley.database;
  const stored = JSON.stringify([
    await db.selectFrom('partners').selectAll().execute(),
    await db.selectFrom('partner_oauth_clients').selectAll().execute(),
  ]);
  assert.ok(!stored.includes(credentials.apiKey) && !stored.includes(credentials.clientSecret));

  // The contact's e-mail went through the outbox and holds the link that sets the portal password.
  const mails = await admin.get('/api/v1/platform/emails?to=ada@acme.example');
  assert.equal(mails.status, 200);
  assert.equal(mails.body.length, 1);
  assert.ok(mails.body[0].body.includes(portalUser.setPasswordUrl));
  const token = linkToken(portalUser.setPasswordUrl);
  assert.equal((await anon.post('/api/v1/partner/password', { token, password: 'acme-portal-pass' })).status, 200);
  assert.equal((await anon.post('/api/v1/partner/password', { token, password: 'another-password' })).status, 401, 'the link works once');
  const login = await anon.post('/api/v1/partner/login', { email: 'ada@acme.example', password: 'acme-portal-pass' });
  assert.equal(login.status, 200);
  const portal = client(app.url, login.body.token);
  assert.equal((await portal.get('/api/v1/partner/profile')).body.id, partner.id);

  // The back end takes a token with the spec's credentials (partner id + apiKey) ...
  const tokenRes = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: String(partner.id), client_secret: credentials.apiKey });
  assert.equal(tokenRes.status, 200, JSON.stringify(tokenRes.body));
  assert.equal(tokenRes.body.token_type, 'bearer');
  assert.equal(tokenRes.body.expires_in, 3600);
  assert.equal(tokenRes.headers.get('cache-control'), 'no-store');
  // ... or with its OAuth client, through HTTP Basic and the spec's password grant alias.
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const viaBasic = await postForm(app.url, '/partner/oauth/token', { grant_type: 'password' }, { authorization: `Basic ${basic}` });
  assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));
  const api = partnerApi(app, tokenRes.body.access_token);
  assert.deepEqual((await api.get('/sites')).body, []);

  // Open a site; its administrator logs in with what the answer says.
  const newSite = { company: 'Corner Shop', companySize: '1-10', website: 'https://corner.example', country: 'NZ', city: 'Wellington', admin: { email: 'Boss@Corner.example', name: 'Bo Boss' } };
  const created = await api.post('/sites', newSite, { 'idempotency-key': 'create-corner-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const siteId = created.body.id;
  assert.equal(created.body.company, 'Corner Shop');
  assert.equal(created.body.ifActive, true);
  assert.equal(created.body.ifClose, false);
  assert.equal(created.body.admin.email, 'boss@corner.example');
  const adminLogin = () => anon.post('/api/v1/auth/login', { email: 'boss@corner.example', password: created.body.admin.password });
  const siteAdmin = await adminLogin();
  assert.equal(siteAdmin.status, 200, JSON.stringify(siteAdmin.body));
  assert.equal(siteAdmin.body.siteId, siteId);
  const agentApi = client(app.url, siteAdmin.body.token);
  assert.equal((await agentApi.get('/api/v1/agents')).status, 200);

  // A retried create with the same key returns the first answer and creates nothing.
  const retried = await api.post('/sites', newSite, { 'idempotency-key': 'create-corner-1' });
  assert.equal(retried.status, 201);
  assert.equal(retried.headers.get('idempotent-replayed'), 'true');
  assert.equal(retried.body.id, siteId);
  assert.equal(retried.body.admin.password, created.body.admin.password);
  const { admin: givenAdmin, ...fields } = newSite;
  const reordered = await api.post('/sites', { admin: givenAdmin, ...Object.fromEntries(Object.entries(fields).reverse()) }, { 'idempotency-key': 'create-corner-1' });
  assert.equal(reordered.body.id, siteId, 'the same request in another key order is the same request');
  assert.equal((await api.get('/sites')).body.length, 1);
  const misuse = await api.post('/sites', { ...newSite, company: 'Other' }, { 'idempotency-key': 'create-corner-1' });
  assert.equal(misuse.status, 422);
  assert.equal((await api.get('/sites')).body.length, 1);

  // Update.
  const updated = await api.put(`/sites/${siteId}`, { city: 'Auckland', phoneNumber: '+64 4 000' });
  assert.equal(updated.status, 200);
  assert.equal(updated.body.city, 'Auckland');
  assert.equal((await api.get(`/sites/${siteId}`)).body.phoneNumber, '+64 4 000');

  // Disable: the admin's token, new logins and visitors are refused.
  const visitor = await openVisitor(app, siteId);
  const disabled = await api.put(`/sites/${siteId}/disable`);
  assert.equal(disabled.status, 200);
  assert.equal(disabled.body.ifActive, false);
  assert.equal(disabled.body.status, 'disabled');
  assert.equal((await agentApi.get('/api/v1/agents')).status, 401);
  assert.equal((await adminLogin()).status, 401);
  assert.equal((await visitor.api.post('/api/v1/chats', {})).status, 401);
  assert.notEqual((await anon.post(`/api/v1/sites/${siteId}/visitors`, { name: 'New' })).status, 201);

  // Enable: everyone is back.
  assert.equal((await api.put(`/sites/${siteId}/enable`)).body.status, 'active');
  const again = await adminLogin();
  assert.equal(again.status, 200);
  assert.equal((await client(app.url, again.body.token).get('/api/v1/agents')).status, 200);
  assert.equal((await anon.post(`/api/v1/sites/${siteId}/visitors`, { name: 'New' })).status, 201);

  // Delete: gone from the API at once, restorable within the grace period.
  const deleted = await api.delete(`/sites/${siteId}`);
  assert.equal(deleted.status, 200);
  assert.equal(deleted.body.status, 'deleted');
  const graceMs = Date.parse(deleted.body.purgeAfter) - Date.parse(deleted.body.deletedAt);
  assert.equal(graceMs, 30 * 24 * 3600_000);
  assert.equal((await api.get(`/sites/${siteId}`)).status, 404);
  assert.equal((await adminLogin()).status, 401);
  assert.deepEqual((await portal.get('/api/v1/partner/sites?deleted=true')).body.map((s: { id: number }) => s.id), [siteId]);
  const restored = await api.put(`/sites/${siteId}/restore`);
  assert.equal(restored.status, 200);
  assert.equal(restored.body.status, 'active');
  assert.equal((await adminLogin()).status, 200);

  // Delete for good: the site and every row of it are gone.
  assert.equal((await api.delete(`/sites/${siteId}?permanent=true`)).status, 404, 'only a deleted site can be purged');
  assert.equal((await api.delete(`/sites/${siteId}`)).status, 200);
  assert.equal((await api.delete(`/sites/${siteId}?permanent=true`)).status, 204);
  assert.equal((await api.put(`/sites/${siteId}/restore`)).status, 404);
  assert.deepEqual(await rowsOfSite(app.parley.database, siteId), {});

  // The audit log tells the story.
  const audit = await admin.get(`/api/v1/platform/audit?partnerId=${partner.id}`);
  const actions = audit.body.map((e: { action: string }) => e.action).reverse();
  assert.deepEqual(actions, [
    'application.approved',
    'partnerUser.passwordSet',
    'site.created',
    'site.updated',
    'site.disabled',
    'site.enabled',
    'site.deleted',
    'site.restored',
    'site.deleted',
    'site.purged',
  ]);
  const approval = audit.body.at(-1);
  assert.equal(approval.actor.kind, 'platform');
  assert.equal(approval.before.status, 'pending');
  assert.ok(!JSON.stringify(audit.body).includes(credentials.apiKey));
});

test('a deleted site is purged by the sweeper once its grace period is over, not before', async (t) => {
  const app = await startParley(t, { PARLEY_SITE_DELETE_GRACE_DAYS: '2' });
  const admin = await platformAdmin(app);
  const applied = await client(app.url).post('/api/v1/partner-applications', { companyName: 'Sweep Co', contactName: 'S', email: 'sweep@example.com' });
  const approved = await admin.post(`/api/v1/platform/partner-applications/${applied.body.id}/approve`, {});
  const api = partnerApi(app, await partnerApiToken(app, { partnerId: approved.body.partner.id, apiKey: approved.body.credentials.apiKey }));
  const site = await api.post('/sites', { company: 'Gone Soon', admin: { email: 'a@gone.example', password: 'gone-password' } });
  assert.equal(site.status, 201);
  assert.equal(site.body.admin.password, undefined, 'a given password is never echoed');
  await openVisitor(app, site.body.id);
  const deleted = await api.delete(`/sites/${site.body.id}`);
  const { partnerSites } = app.parley.services;

  assert.deepEqual(await partnerSites.purgeExpired(new Date(Date.parse(deleted.body.purgeAfter) - 1000)), []);
  assert.notDeepEqual(await rowsOfSite(app.parley.database, site.body.id), {});
  assert.deepEqual(await partnerSites.purgeExpired(new Date(Date.parse(deleted.body.purgeAfter) + 1000)), [site.body.id]);
  assert.deepEqual(await rowsOfSite(app.parley.database, site.body.id), {});
  assert.equal((await api.put(`/sites/${site.body.id}/restore`)).status, 404);
});

test("npm run demo prints the demo partner's credentials, and they work on the Partner API", async (t) => {
  const app = await startParley(t);
  const first = demoSite(app.config.databaseUrl);
  const demo = demoSite(app.config.databaseUrl);
  const token = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: demo.partner.clientId, client_secret: demo.partner.clientSecret });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  const sites = await partnerApi(app, token.body.access_token).get('/sites');
  assert.deepEqual(sites.body.map((s: { id: number }) => s.id), [first.siteId, demo.siteId]);
  // Each run hands out a fresh secret; the previous one stops working.
  const stale = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: first.partner.clientId, client_secret: first.partner.clientSecret });
  assert.equal(stale.status, 401);
});

test('a token stored after its secret was rotated is refused, though the rotation could not revoke it', async (t) => {
  const app = await startParley(t);
  const p = await approvedPartner(app);
  const api = partnerApi(app, await partnerApiToken(app, p));
  assert.equal((await api.get('/sites')).status, 200);
  // The race: a token request checks the old key, the rotation commits (revoking the tokens it
  // sees), then the token is stored. Stand in for it by moving the rotation time past the token.
  await app.parley.database.db.updateTable('partners').set({ api_key_rotated_at: new Date(Date.now() + 1000).toISOString() }).where('id', '=', p.partnerId).execute();
  assert.equal((await api.get('/sites')).status, 401);
});

/**
 * Rows that belong to a site, per table (sites itself and every table with a site_id), but the
 * event log's: it keeps what happened (the purge too) for its listeners until its retention ends.
 */
async function rowsOfSite(database: { db: import('kysely').Kysely<import('../src/modules/tables.ts').DB>; dialect: string }, siteId: number): Promise<Record<string, number>> {
  const { db, dialect } = database;
  const tables =
    dialect === 'postgres'
      ? (await sql<{ name: string }>`select table_name as name from information_schema.columns where column_name = 'site_id' and table_schema = current_schema()`.execute(db)).rows
      : (await sql<{ name: string }>`select m.name from sqlite_master m join pragma_table_info(m.name) c where m.type = 'table' and c.name = 'site_id'`.execute(db)).rows;
  assert.ok(tables.length >= 10, `found only ${tables.length} tables with site_id`);
  const out: Record<string, number> = {};
  for (const { name } of [...tables.filter((t) => t.name !== 'events'), { name: 'sites' }]) {
    const column = name === 'sites' ? 'id' : 'site_id';
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)} where ${sql.ref(column)} = ${siteId}`.execute(db);
    if (Number(rows[0]?.n) > 0) out[name] = Number(rows[0]?.n);
  }
  return out;
}
