// Partner isolation: partner B, with every credential it holds (its portal session, a Partner API
// token from its id + apiKey, and a token of its OAuth client), calls every Partner API,
// partner-portal and platform route that names one of partner A's resources. Every call is refused,
// B's lists never show A's resources, B cannot revoke A's tokens nor take tokens with A's ids, and
// A's state (as the API shows it and as the database holds it) is exactly what it was.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { type ApiResponse, call, type client } from './helpers/api.ts';
import { type Running, startParley } from './helpers/parley.ts';
import { approvedPartner, partnerApi, partnerApiToken, postForm } from './helpers/partners.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

/** One route call: method, path, and a body that would be valid, so only ownership can refuse it. */
interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** A raw (non-JSON) body and its Content-Type, e.g. a logo. */
  raw?: { bytes: Buffer; type: string };
}

// A real 1×1 PNG (as in logo.test.ts): a valid logo upload.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const REFUSED = [401, 403, 404];
const API = '/api/v1/livechat/partner';
const PORTAL = '/api/v1/partner';

const newSite = (company: string) => ({ company, city: 'Wellington', admin: { email: `admin-${randomBytes(4).toString('hex')}@site.example`, password: 'site-password-1' } });

async function send(app: Running, c: RouteCase, token: string): Promise<ApiResponse<Json>> {
  if (!c.raw) return call(app.url, c.method, c.path, { token, body: c.body });
  const res = await fetch(`${app.url}${c.path}`, { method: c.method, headers: { authorization: `Bearer ${token}`, 'content-type': c.raw.type }, body: new Uint8Array(c.raw.bytes) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text };
}

/** The Partner API's routes on one site. */
function partnerApiSiteRoutes(siteId: number, label: string): RouteCase[] {
  const p = `${API}/sites/${siteId}`;
  return [
    { name: `API GET /sites/{${label}}`, method: 'GET', path: p },
    { name: `API PUT /sites/{${label}}`, method: 'PUT', path: p, body: { city: 'X' } },
    { name: `API PUT /sites/{${label}}/disable`, method: 'PUT', path: `${p}/disable` },
    { name: `API PUT /sites/{${label}}/enable`, method: 'PUT', path: `${p}/enable` },
    { name: `API PUT /sites/{${label}}/restore`, method: 'PUT', path: `${p}/restore` },
    { name: `API DELETE /sites/{${label}}`, method: 'DELETE', path: p },
    { name: `API DELETE /sites/{${label}}?permanent=true`, method: 'DELETE', path: `${p}?permanent=true` },
  ];
}

/** The portal's routes on one site, under a mount (the partner's own or the platform's). */
function portalSiteRoutes(prefix: string, surface: string, siteId: number, label: string): RouteCase[] {
  const p = `${prefix}/sites/${siteId}`;
  return [
    { name: `${surface} GET /sites/{${label}}`, method: 'GET', path: p },
    { name: `${surface} PATCH /sites/{${label}}`, method: 'PATCH', path: p, body: { city: 'X' } },
    { name: `${surface} POST /sites/{${label}}/disable`, method: 'POST', path: `${p}/disable` },
    { name: `${surface} POST /sites/{${label}}/enable`, method: 'POST', path: `${p}/enable` },
    { name: `${surface} POST /sites/{${label}}/restore`, method: 'POST', path: `${p}/restore` },
    { name: `${surface} GET /sites/{${label}}/usage`, method: 'GET', path: `${p}/usage` },
    { name: `${surface} DELETE /sites/{${label}}`, method: 'DELETE', path: p },
    { name: `${surface} DELETE /sites/{${label}}?permanent=true`, method: 'DELETE', path: `${p}?permanent=true` },
  ];
}

/** The portal's routes on one OAuth client and one domain, under a mount. */
function portalCredentialRoutes(prefix: string, surface: string, a: { clientRowIds: { id: number; label: string }[]; domainId: number }): RouteCase[] {
  return [
    ...a.clientRowIds.flatMap(({ id, label }): RouteCase[] => [
      { name: `${surface} POST /oauth-clients/{${label}}/rotate-secret`, method: 'POST', path: `${prefix}/oauth-clients/${id}/rotate-secret` },
      { name: `${surface} DELETE /oauth-clients/{${label}}`, method: 'DELETE', path: `${prefix}/oauth-clients/${id}` },
    ]),
    { name: `${surface} POST /domains/{A's domain}/verify`, method: 'POST', path: `${prefix}/domains/${a.domainId}/verify` },
    { name: `${surface} DELETE /domains/{A's domain}`, method: 'DELETE', path: `${prefix}/domains/${a.domainId}` },
  ];
}

/** What partner A is, as its own API and portal show it and as the database holds it. */
async function stateOfA(app: Running, a: { partnerId: number; email: string; apiToken: string; portal: ReturnType<typeof client>; activeSiteId: number }) {
  const api = partnerApi(app, a.apiToken);
  const read = async (res: Promise<ApiResponse<Json>>, what: string) => {
    const r = await res;
    assert.equal(r.status, 200, `A reads ${what}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const { db } = app.parley.database;
  const id = a.partnerId;
  const siteIds = (await db.selectFrom('sites').select('id').where('partner_id', '=', id).execute()).map((s) => s.id);
  return {
    api: {
      sites: await read(api.get('/sites'), 'API GET /sites'),
      activeSite: await read(api.get(`/sites/${a.activeSiteId}`), 'API GET /sites/{active}'),
    },
    portal: {
      profile: await read(a.portal.get(`${PORTAL}/profile`), 'portal profile'),
      sites: await read(a.portal.get(`${PORTAL}/sites`), 'portal sites'),
      deletedSites: await read(a.portal.get(`${PORTAL}/sites?deleted=true`), 'portal deleted sites'),
      usage: await read(a.portal.get(`${PORTAL}/sites/${a.activeSiteId}/usage`), 'portal usage'),
      oauthClients: await read(a.portal.get(`${PORTAL}/oauth-clients`), 'portal oauth clients'),
      domains: await read(a.portal.get(`${PORTAL}/domains`), 'portal domains'),
      theme: await read(a.portal.get(`${PORTAL}/theme`), 'portal theme'),
      audit: await read(a.portal.get(`${PORTAL}/audit`), 'portal audit'),
    },
    db: {
      partners: await db.selectFrom('partners').selectAll().where('id', '=', id).execute(),
      partner_configs: await db.selectFrom('partner_configs').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      partner_users: await db.selectFrom('partner_users').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      partner_applications: await db.selectFrom('partner_applications').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      sites: await db.selectFrom('sites').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      agents: siteIds.length === 0 ? [] : await db.selectFrom('agents').selectAll().where('site_id', 'in', siteIds).orderBy('id').execute(),
      partner_oauth_clients: await db.selectFrom('partner_oauth_clients').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      partner_domains: await db.selectFrom('partner_domains').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      partner_tokens: await db.selectFrom('partner_tokens').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      idempotency_keys: await db.selectFrom('idempotency_keys').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      audit_log: await db.selectFrom('audit_log').selectAll().where('partner_id', '=', id).orderBy('id').execute(),
      email_outbox: await db.selectFrom('email_outbox').selectAll().where('to_address', '=', a.email).orderBy('id').execute(),
    },
  };
}

test("partner B, with each of its credentials, is refused on every route naming partner A's resources, and nothing of A changes", async (t) => {
  const app = await startParley(t, { PARLEY_LOGIN_RATE_LIMIT: '1000' });
  const { db } = app.parley.database;

  // ---- partner A: an active site, a deleted one, an OAuth client and a custom domain ----
  const A = await approvedPartner(app, 'Alpha Partner');
  const aToken = await partnerApiToken(app, A);
  const aApi = partnerApi(app, aToken);
  const aSiteBody = newSite('Alpha Shop');
  const aActive = await aApi.post('/sites', aSiteBody, { 'idempotency-key': 'shared-key-1' });
  assert.equal(aActive.status, 201, JSON.stringify(aActive.body));
  const aGone = await aApi.post('/sites', newSite('Alpha Gone'));
  assert.equal(aGone.status, 201, JSON.stringify(aGone.body));
  assert.equal((await aApi.delete(`/sites/${aGone.body.id}`)).status, 200);
  const activeId: number = aActive.body.id;
  const deletedId: number = aGone.body.id;

  const aClient = await A.portal.post(`${PORTAL}/oauth-clients`, { name: 'Alpha reader', scopes: ['site-data:read'] });
  assert.equal(aClient.status, 201, JSON.stringify(aClient.body));
  const aDomain = await A.portal.post(`${PORTAL}/domains`, { host: 'chat.a-partner.example' });
  assert.equal(aDomain.status, 201, JSON.stringify(aDomain.body));
  const aClients = (await A.portal.get(`${PORTAL}/oauth-clients`)).body as { id: number; clientId: string }[];
  const aDefaultClient = aClients.find((c) => c.clientId === A.clientId);
  assert.ok(aDefaultClient, 'A has its default OAuth client');
  // A token of A's own OAuth client (site-data:read), for the revocation attempts.
  const aClientTokenRes = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: aClient.body.clientId, client_secret: aClient.body.clientSecret });
  assert.equal(aClientTokenRes.status, 200, JSON.stringify(aClientTokenRes.body));
  const aClientToken: string = aClientTokenRes.body.access_token;
  const aApplication = await db.selectFrom('partner_applications').select('id').where('partner_id', '=', A.partnerId).executeTakeFirstOrThrow();
  const aUser = await db.selectFrom('partner_users').select('id').where('partner_id', '=', A.partnerId).executeTakeFirstOrThrow();

  // ---- partner B: its own portal, Partner API token, OAuth-client token, site, client and domain ----
  const B = await approvedPartner(app, 'Bravo Partner');
  const bApiToken = await partnerApiToken(app, B);
  const bClientTokenRes = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: B.clientId, client_secret: B.clientSecret });
  assert.equal(bClientTokenRes.status, 200, JSON.stringify(bClientTokenRes.body));
  const bSite = await partnerApi(app, bApiToken).post('/sites', newSite('Bravo Shop'));
  assert.equal(bSite.status, 201, JSON.stringify(bSite.body));
  assert.equal((await B.portal.post(`${PORTAL}/oauth-clients`, { name: 'Bravo reader', scopes: ['site-data:read'] })).status, 201);
  assert.equal((await B.portal.post(`${PORTAL}/domains`, { host: 'chat.b-partner.example' })).status, 201);
  const credentialsOfB: [string, string][] = [
    ['B portal token', B.portal.token!],
    ['B Partner API token (id + apiKey)', bApiToken],
    ['B OAuth-client token', bClientTokenRes.body.access_token],
  ];

  const aState = { partnerId: A.partnerId, email: A.email, apiToken: aToken, portal: A.portal, activeSiteId: activeId };
  const before = await stateOfA(app, aState);
  assert.deepEqual(
    before.portal.deletedSites.map((s: { id: number }) => s.id),
    [deletedId],
    'A has a deleted site to restore or purge',
  );
  assert.equal(before.db.partner_domains.length, 1);
  assert.equal(before.db.partner_oauth_clients.length, 2);

  // ---- every route naming one of A's resources ----
  const platform = `/api/v1/platform/partners/${A.partnerId}`;
  const ids = { clientRowIds: [{ id: aClient.body.id as number, label: "A's new OAuth client" }, { id: aDefaultClient.id, label: "A's default OAuth client" }], domainId: aDomain.body.id as number };
  const sites = [
    { id: activeId, label: "A's active site" },
    { id: deletedId, label: "A's deleted site" },
  ];
  const cases: RouteCase[] = [
    // The Partner API.
    ...sites.flatMap((s) => partnerApiSiteRoutes(s.id, s.label)),
    // The partner portal.
    ...sites.flatMap((s) => portalSiteRoutes(PORTAL, 'portal', s.id, s.label)),
    ...portalCredentialRoutes(PORTAL, 'portal', ids),
    ...sites.map(
      (s): RouteCase => ({
        name: `portal POST /oauth-clients scoped to site:{${s.label}}`,
        method: 'POST',
        path: `${PORTAL}/oauth-clients`,
        body: { name: 'Sneaky', scopes: ['site-data:read', `site:${s.id}`] },
      }),
    ),
    // The same portal, mounted for platform admins on partner A.
    { name: 'platform GET /partners/{A}/profile', method: 'GET', path: `${platform}/profile` },
    { name: 'platform PATCH /partners/{A}/profile', method: 'PATCH', path: `${platform}/profile`, body: { contactName: 'Mallory' } },
    { name: 'platform PUT /partners/{A}/branding', method: 'PUT', path: `${platform}/branding`, body: { branding: 'Mallory Chat' } },
    { name: 'platform PUT /partners/{A}/branding/logo', method: 'PUT', path: `${platform}/branding/logo`, raw: { bytes: PNG, type: 'image/png' } },
    { name: 'platform DELETE /partners/{A}/branding/logo', method: 'DELETE', path: `${platform}/branding/logo` },
    { name: 'platform GET /partners/{A}/theme', method: 'GET', path: `${platform}/theme` },
    { name: 'platform PUT /partners/{A}/theme', method: 'PUT', path: `${platform}/theme`, body: { pairs: [{ cssKey: 'primaryColor', cssValue: '#ff0000' }] } },
    { name: 'platform PUT /partners/{A}/ip-restrictions', method: 'PUT', path: `${platform}/ip-restrictions`, body: { ipRestrictions: ['10.0.0.0/8'] } },
    { name: 'platform POST /partners/{A}/api-key/rotate', method: 'POST', path: `${platform}/api-key/rotate` },
    { name: 'platform GET /partners/{A}/oauth-clients', method: 'GET', path: `${platform}/oauth-clients` },
    { name: 'platform POST /partners/{A}/oauth-clients', method: 'POST', path: `${platform}/oauth-clients`, body: { name: 'Sneaky', scopes: ['partner-api'] } },
    { name: 'platform GET /partners/{A}/sites', method: 'GET', path: `${platform}/sites` },
    { name: 'platform GET /partners/{A}/sites?deleted=true', method: 'GET', path: `${platform}/sites?deleted=true` },
    { name: 'platform POST /partners/{A}/sites', method: 'POST', path: `${platform}/sites`, body: newSite('Sneaky Shop') },
    ...sites.flatMap((s) => portalSiteRoutes(platform, 'platform /partners/{A}', s.id, s.label)),
    { name: 'platform GET /partners/{A}/domains', method: 'GET', path: `${platform}/domains` },
    { name: 'platform POST /partners/{A}/domains', method: 'POST', path: `${platform}/domains`, body: { host: 'chat2.a-partner.example' } },
    ...portalCredentialRoutes(platform, 'platform /partners/{A}', ids),
    { name: 'platform GET /partners/{A}/audit', method: 'GET', path: `${platform}/audit` },
    // The platform's own partner administration.
    { name: 'platform GET /partners', method: 'GET', path: '/api/v1/platform/partners' },
    { name: 'platform POST /partners/{A}/suspend', method: 'POST', path: `${platform}/suspend` },
    { name: 'platform POST /partners/{A}/reactivate', method: 'POST', path: `${platform}/reactivate` },
    { name: 'platform POST /partners/{A}/name/approve', method: 'POST', path: `${platform}/name/approve` },
    { name: 'platform POST /partners/{A}/name/reject', method: 'POST', path: `${platform}/name/reject` },
    { name: "platform POST /partners/{A}/users/{A's user}/password-link", method: 'POST', path: `${platform}/users/${aUser.id}/password-link` },
    { name: 'platform GET /partner-applications', method: 'GET', path: '/api/v1/platform/partner-applications' },
    { name: "platform GET /partner-applications/{A's}", method: 'GET', path: `/api/v1/platform/partner-applications/${aApplication.id}` },
    { name: "platform POST /partner-applications/{A's}/approve", method: 'POST', path: `/api/v1/platform/partner-applications/${aApplication.id}/approve`, body: {} },
    { name: "platform POST /partner-applications/{A's}/reject", method: 'POST', path: `/api/v1/platform/partner-applications/${aApplication.id}/reject`, body: { reason: 'Mallory says no' } },
    { name: 'platform GET /audit?partnerId={A}', method: 'GET', path: `/api/v1/platform/audit?partnerId=${A.partnerId}` },
    { name: "platform GET /emails?to={A's contact}", method: 'GET', path: `/api/v1/platform/emails?to=${encodeURIComponent(A.email)}` },
  ];
  // Destructive calls last, so that a wrongly allowed one cannot hide a refusal behind a 404.
  const destructive = (c: RouteCase) => c.method === 'DELETE' || c.path.endsWith('/rotate') || c.path.endsWith('/suspend');
  cases.sort((x, y) => Number(destructive(x)) - Number(destructive(y)));
  const names = cases.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'route case names are unique');

  const notRefused: string[] = [];
  let calls = 0;
  for (const c of cases) {
    for (const [who, token] of credentialsOfB) {
      const res = await send(app, c, token);
      calls++;
      if (!REFUSED.includes(res.status)) notRefused.push(`${c.name} with ${who} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    }
  }
  t.diagnostic(`${cases.length} route cases × ${credentialsOfB.length} credentials = ${calls} calls`);
  assert.deepEqual(notRefused, [], `routes not refused (expected one of ${REFUSED.join('/')}):\n${notRefused.join('\n')}`);

  // ---- B cannot revoke A's tokens (RFC 7009: answered as for an unknown token, and left alone) ----
  const basicB = `Basic ${Buffer.from(`${B.clientId}:${B.clientSecret}`).toString('base64')}`;
  const asB = { client_id: String(B.partnerId), client_secret: B.apiKey };
  const revokeUnknown = await postForm(app.url, '/partner/oauth/revoke', { ...asB, token: `not-a-token-${randomBytes(8).toString('hex')}` });
  const revokes: [string, () => ReturnType<typeof postForm>][] = [
    ["revoke A's Partner API token with B's id + apiKey", () => postForm(app.url, '/partner/oauth/revoke', { ...asB, token: aToken })],
    ["revoke A's Partner API token with B's OAuth client (Basic)", () => postForm(app.url, '/partner/oauth/revoke', { token: aToken }, { authorization: basicB })],
    ["revoke A's OAuth-client token with B's id + apiKey", () => postForm(app.url, '/partner/oauth/revoke', { ...asB, token: aClientToken })],
    ["revoke A's OAuth-client token with B's OAuth client (Basic)", () => postForm(app.url, '/partner/oauth/revoke', { token: aClientToken }, { authorization: basicB })],
    ["revoke A's portal token with B's id + apiKey", () => postForm(app.url, '/partner/oauth/revoke', { ...asB, token: A.portal.token! })],
  ];
  for (const [name, revoke] of revokes) {
    const res = await revoke();
    assert.equal(res.status, revokeUnknown.status, `${name}: answered as an unknown token would be`);
    assert.deepEqual(res.body, revokeUnknown.body, `${name}: answered as an unknown token would be`);
    assert.equal((await aApi.get('/sites')).status, 200, `${name}: A's Partner API token still works`);
  }

  // ---- B cannot take a token with A's ids and its own secrets ----
  const tokenAttempts: [string, Record<string, string>, Record<string, string>][] = [
    ["token for A's partner id with B's apiKey", { grant_type: 'client_credentials', client_id: String(A.partnerId), client_secret: B.apiKey }, {}],
    ["token for A's default OAuth client with B's client secret", { grant_type: 'client_credentials', client_id: A.clientId, client_secret: B.clientSecret }, {}],
    ["token for A's new OAuth client with B's client secret", { grant_type: 'client_credentials', client_id: aClient.body.clientId, client_secret: B.clientSecret }, {}],
    [
      "token for A's default OAuth client with B's client secret (Basic)",
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${Buffer.from(`${A.clientId}:${B.clientSecret}`).toString('base64')}` },
    ],
  ];
  for (const [name, params, headers] of tokenAttempts) {
    const res = await postForm(app.url, '/partner/oauth/token', params, headers);
    assert.equal(res.status, 401, `${name}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.access_token, undefined, name);
  }

  // ---- B's lists never show A's resources ----
  const aSiteIds = [activeId, deletedId];
  const bLists: [string, () => Promise<ApiResponse<Json>>][] = [
    ['API GET /sites (B id + apiKey token)', () => partnerApi(app, bApiToken).get('/sites')],
    ['API GET /sites (B OAuth-client token)', () => partnerApi(app, bClientTokenRes.body.access_token).get('/sites')],
    ['portal GET /sites', () => B.portal.get(`${PORTAL}/sites`)],
    ['portal GET /sites?deleted=true', () => B.portal.get(`${PORTAL}/sites?deleted=true`)],
  ];
  for (const [name, list] of bLists) {
    const res = await list();
    assert.equal(res.status, 200, `${name}: ${JSON.stringify(res.body)}`);
    const seen = (res.body as { id: number }[]).map((s) => s.id);
    assert.ok(!seen.some((id) => aSiteIds.includes(id)), `${name} shows A's sites: ${JSON.stringify(seen)}`);
  }
  assert.deepEqual(((await B.portal.get(`${PORTAL}/sites`)).body as { id: number }[]).map((s) => s.id), [bSite.body.id], "B's portal lists exactly B's site");
  const bClients = (await B.portal.get(`${PORTAL}/oauth-clients`)).body as { id: number; clientId: string }[];
  assert.ok(!bClients.some((c) => ids.clientRowIds.some((a) => a.id === c.id) || c.clientId === A.clientId || c.clientId === aClient.body.clientId), "B's OAuth clients show none of A's");
  assert.equal(bClients.length, 2);
  const bDomains = (await B.portal.get(`${PORTAL}/domains`)).body as { id: number; host: string }[];
  assert.deepEqual(bDomains.map((d) => d.host), ['chat.b-partner.example'], "B's domains show none of A's");
  const bAudit = (await B.portal.get(`${PORTAL}/audit`)).body as { partnerId: number | null; target: string }[];
  assert.ok(bAudit.length > 0 && bAudit.every((e) => e.partnerId === B.partnerId), "B's audit shows only B's entries");
  assert.equal((await B.portal.get(`${PORTAL}/profile`)).body.id, B.partnerId);

  // ---- an Idempotency-Key is the partner's own: B reusing A's key replays nothing of A ----
  const reused = await partnerApi(app, bApiToken).post('/sites', aSiteBody, { 'idempotency-key': 'shared-key-1' });
  assert.equal(reused.status, 201, JSON.stringify(reused.body));
  assert.equal(reused.headers.get('idempotent-replayed'), null, "B's first use of the key is not a replay of A's");
  assert.notEqual(reused.body.id, activeId, "B gets a site of its own, not A's");

  // ---- nothing of A changed ----
  const after = await stateOfA(app, aState);
  assert.deepEqual(after.db, before.db, "A's database rows are unchanged");
  assert.deepEqual(after.api, before.api, 'A sees the same through its Partner API');
  assert.deepEqual(after.portal, before.portal, 'A sees the same through its portal');

  // ... and A's credentials all still work.
  assert.equal((await aApi.get(`/sites/${activeId}`)).status, 200, "A's original Partner API token works");
  assert.equal((await A.portal.get(`${PORTAL}/profile`)).status, 200, "A's portal session works");
  const stillClient = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: aClient.body.clientId, client_secret: aClient.body.clientSecret });
  assert.equal(stillClient.status, 200, `A's OAuth client secret works: ${JSON.stringify(stillClient.body)}`);
  assert.equal(stillClient.body.scope, 'site-data:read');
  const stillDefault = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: A.clientId, client_secret: A.clientSecret });
  assert.equal(stillDefault.status, 200, `A's default OAuth client secret works: ${JSON.stringify(stillDefault.body)}`);
  const stillKey = await partnerApiToken(app, A);
  assert.equal((await partnerApi(app, stillKey).get('/sites')).status, 200, "A's apiKey still gives working tokens");
  // A's OAuth-client token is alive: the Partner API refuses it for its scope, not as an invalid token.
  const scoped = await partnerApi(app, aClientToken).get('/sites');
  assert.equal(scoped.status, 403, JSON.stringify(scoped.body));
  assert.match(scoped.headers.get('www-authenticate') ?? '', /insufficient_scope/);
});
