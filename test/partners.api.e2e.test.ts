// The Partner API's gatekeeping, as a partner's back end meets it: the IP allow-list (behind a
// trusted proxy and without one), the OAuth token and revocation endpoints, bearer tokens on the
// site endpoints, browser refusal, rate limits, and logs that never hold a secret. Every refusal
// also checks that nothing was granted or changed.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { type TestContext, test } from 'node:test';
import { type Running, startParley } from './helpers/parley.ts';
import { type ApprovedPartner, approvedPartner, platformAdmin } from './helpers/partners.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Json;
}

const SITES = '/api/v1/livechat/partner/sites';
const TOKEN = '/partner/oauth/token';
const REVOKE = '/partner/oauth/revoke';
const CHALLENGE = 'Bearer realm="parley-partner-api"';
const INVALID_TOKEN = `${CHALLENGE}, error="invalid_token"`;

/**
 * One request through node:http (fetch would add `Sec-Fetch-Mode: cors` and forbid some headers),
 * with exactly the headers given. Every answer is checked for CORS headers: none may ever be sent.
 */
async function send(app: Running, method: string, path: string, opts: { headers?: Record<string, string>; body?: string; ip?: string } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.ip !== undefined) headers['x-forwarded-for'] = opts.ip;
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  const res = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(new URL(path, app.url), { method, headers, agent: false }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers, text: Buffer.concat(chunks).toString('utf8') }));
      r.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
  const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
  assert.deepEqual(cors, [], `${method} ${path} sent CORS headers`);
  const type = res.headers['content-type'] ?? '';
  return { status: res.status, headers: res.headers, body: type.includes('json') && res.text ? JSON.parse(res.text) : res.text };
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** The spec's credentials: the partner's id and its apiKey. */
const apiKeyCreds = (p: Pick<ApprovedPartner, 'partnerId' | 'apiKey'>) => ({ grant_type: 'client_credentials', client_id: String(p.partnerId), client_secret: p.apiKey });

/** POSTs a form to the token endpoint (or another OAuth endpoint). */
const postToken = (app: Running, params: Record<string, string>, opts: { headers?: Record<string, string>; ip?: string; path?: string } = {}) =>
  send(app, 'POST', opts.path ?? TOKEN, { headers: { ...FORM, ...opts.headers }, body: form(params), ...(opts.ip === undefined ? {} : { ip: opts.ip }) });

/** A token that must be issued; returns it. */
async function issue(app: Running, params: Record<string, string>, ip?: string): Promise<string> {
  const res = await postToken(app, params, ip === undefined ? {} : { ip });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.body.access_token, /^ppt_/);
  return res.body.access_token;
}

/** GET /sites (plus `suffix`: a sub-path or query) with a bearer token, extra headers and a client address. */
const listSites = (app: Running, token: string | undefined, opts: { headers?: Record<string, string>; ip?: string; suffix?: string } = {}) =>
  send(app, 'GET', `${SITES}${opts.suffix ?? ''}`, {
    headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...opts.headers },
    ...(opts.ip === undefined ? {} : { ip: opts.ip }),
  });

/** POST /sites with a valid body: used on refusals to show that nothing was created. */
const createSite = (app: Running, token: string, opts: { headers?: Record<string, string>; ip?: string } = {}) =>
  send(app, 'POST', SITES, {
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...opts.headers },
    body: JSON.stringify({ company: 'Must Not Exist', admin: { email: `nobody-${randomBytes(3).toString('hex')}@nope.example`, name: 'No One' } }),
    ...(opts.ip === undefined ? {} : { ip: opts.ip }),
  });

/** OAuth access tokens ever issued to a partner (revoked and expired ones included). */
async function oauthTokenRows(app: Running, partnerId: number): Promise<number> {
  const row = await app.parley.database.db
    .selectFrom('partner_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .where('kind', '=', 'oauth')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function siteRows(app: Running, partnerId: number): Promise<number> {
  const row = await app.parley.database.db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).where('partner_id', '=', partnerId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Asserts an RFC 6749 §5.2 error from the token endpoint that granted nothing. */
async function assertTokenRefused(app: Running, partnerId: number, rowsBefore: number, res: Res, status: number, error: string, label = '') {
  assert.equal(res.status, status, `${label} ${JSON.stringify(res.body)}`);
  assert.equal(res.body.error, error, label);
  assert.equal(typeof res.body.error_description, 'string', label);
  assert.equal(res.body.access_token, undefined, label);
  assert.equal(res.headers['cache-control'], 'no-store', label);
  if (status === 401) assert.match(String(res.headers['www-authenticate']), /^Basic realm="parley-partner-api"$/, label);
  else assert.equal(res.headers['www-authenticate'], undefined, label);
  assert.equal(await oauthTokenRows(app, partnerId), rowsBefore, `${label}: no token row may be written`);
}

/** Asserts that a token (from an address) is refused on the site endpoints and creates nothing. */
async function assertApiRefused(app: Running, partnerId: number, token: string, status: number, opts: { ip?: string; headers?: Record<string, string> } = {}, label = '') {
  const sitesBefore = await siteRows(app, partnerId);
  const list = await listSites(app, token, opts);
  assert.equal(list.status, status, `${label} ${JSON.stringify(list.body)}`);
  assert.ok(!Array.isArray(list.body), label);
  const created = await createSite(app, token, opts);
  assert.equal(created.status, status, `${label} ${JSON.stringify(created.body)}`);
  assert.equal(await siteRows(app, partnerId), sitesBefore, `${label}: no site may be created`);
}

async function setAllowList(p: ApprovedPartner, entries: string[]): Promise<string[]> {
  const res = await p.portal.put('/api/v1/partner/ip-restrictions', { ipRestrictions: entries });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.ipRestrictions;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

// ---------------------------------------------------------------------------------------------

test('IP allow-list: addresses, CIDR edges and IPv4-mapped clients, at token issue and on every call', async (t) => {
  // The test client (127.0.0.1) is the trusted proxy, so X-Forwarded-For sets the client address.
  const app = await startParley(t, { PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_PARTNER_TOKEN_RATE_LIMIT: '1000' });
  const p = await approvedPartner(app);
  assert.deepEqual(await setAllowList(p, []), []);
  // Taken while the list admits every address; each case changes the list, and the next call
  // with this same token obeys the new list.
  const earlier = await issue(app, apiKeyCreds(p), '192.0.2.200');

  const cases: { entries: string[]; stored?: string[]; ip: string; allowed: boolean; why: string }[] = [
    { entries: ['203.0.113.7'], ip: '203.0.113.7', allowed: true, why: 'IPv4 address, exact' },
    { entries: ['203.0.113.7'], ip: '203.0.113.8', allowed: false, why: 'IPv4 address, neighbour' },
    { entries: ['2001:db8::1'], ip: '2001:db8::1', allowed: true, why: 'IPv6 address, exact' },
    { entries: ['2001:DB8:0:0:0:0:0:1'], stored: ['2001:db8::1'], ip: '2001:0db8::0001', allowed: true, why: 'IPv6 address, other spellings' },
    { entries: ['2001:db8::1'], ip: '2001:db8::2', allowed: false, why: 'IPv6 address, neighbour' },
    { entries: ['198.51.100.0/24'], ip: '198.51.100.0', allowed: true, why: 'IPv4 CIDR, first address' },
    { entries: ['198.51.100.0/24'], ip: '198.51.100.255', allowed: true, why: 'IPv4 CIDR, last address' },
    { entries: ['198.51.100.0/24'], ip: '198.51.99.255', allowed: false, why: 'IPv4 CIDR, just below' },
    { entries: ['198.51.100.0/24'], ip: '198.51.101.0', allowed: false, why: 'IPv4 CIDR, just above' },
    { entries: ['198.51.100.128/25'], ip: '198.51.100.127', allowed: false, why: 'IPv4 /25, just below' },
    { entries: ['198.51.100.9/32'], stored: ['198.51.100.9/32'], ip: '198.51.100.9', allowed: true, why: 'IPv4 /32' },
    { entries: ['198.51.100.9/32'], ip: '198.51.100.10', allowed: false, why: 'IPv4 /32, neighbour' },
    { entries: ['0.0.0.0/0'], ip: '192.0.2.1', allowed: true, why: 'IPv4 /0 admits any IPv4' },
    { entries: ['0.0.0.0/0'], ip: '2001:db8::1', allowed: false, why: 'IPv4 /0 admits no IPv6' },
    { entries: ['2001:db8:abcd::/48'], ip: '2001:db8:abcd::', allowed: true, why: 'IPv6 CIDR, first address' },
    { entries: ['2001:db8:abcd::/48'], ip: '2001:db8:abcd:ffff:ffff:ffff:ffff:ffff', allowed: true, why: 'IPv6 CIDR, last address' },
    { entries: ['2001:db8:abcd::/48'], ip: '2001:db8:abcc:ffff:ffff:ffff:ffff:ffff', allowed: false, why: 'IPv6 CIDR, just below' },
    { entries: ['2001:db8:abcd::/48'], ip: '2001:db8:abce::', allowed: false, why: 'IPv6 CIDR, just above' },
    { entries: ['2001:db8::/32'], ip: '198.51.100.9', allowed: false, why: 'IPv6 CIDR admits no IPv4' },
    { entries: ['203.0.113.0/24'], ip: '::ffff:203.0.113.7', allowed: true, why: 'IPv4-mapped client inside an IPv4 range' },
    { entries: ['203.0.113.0/24'], ip: '::ffff:cb00:7107', allowed: true, why: 'IPv4-mapped client in hex inside an IPv4 range' },
    { entries: ['198.51.100.0/24'], ip: '::ffff:203.0.113.7', allowed: false, why: 'IPv4-mapped client outside the range' },
    { entries: ['203.0.113.7'], ip: '::ffff:203.0.113.7', allowed: true, why: 'IPv4-mapped client, exact IPv4 entry' },
    { entries: ['::ffff:203.0.113.0/120'], stored: ['203.0.113.0/24'], ip: '203.0.113.99', allowed: true, why: 'IPv4-mapped entry is stored as IPv4' },
    { entries: ['192.0.2.1', '2001:db8::/32'], ip: '2001:db8:1::5', allowed: true, why: 'second entry of several' },
    { entries: ['192.0.2.1', '2001:db8::/32'], ip: '192.0.2.2', allowed: false, why: 'none of several' },
  ];
  for (const c of cases) {
    await t.test(`${c.why}: ${c.ip} against ${c.entries.join(', ')} → ${c.allowed ? 'allowed' : 'refused'}`, async () => {
      assert.deepEqual(await setAllowList(p, c.entries), c.stored ?? c.entries);
      const rows = await oauthTokenRows(app, p.partnerId);
      const res = await postToken(app, apiKeyCreds(p), { ip: c.ip });
      if (c.allowed) {
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(await oauthTokenRows(app, p.partnerId), rows + 1);
        assert.equal((await listSites(app, res.body.access_token, { ip: c.ip })).status, 200);
        assert.equal((await listSites(app, earlier, { ip: c.ip })).status, 200);
      } else {
        await assertTokenRefused(app, p.partnerId, rows, res, 403, 'unauthorized_client');
        assert.match(res.body.error_description, /allow-list/);
        await assertApiRefused(app, p.partnerId, earlier, 403, { ip: c.ip });
      }
    });
  }

  await t.test('a change to the allow-list applies to the next call with an existing token', async () => {
    await setAllowList(p, ['203.0.113.0/24']);
    const token = await issue(app, apiKeyCreds(p), '203.0.113.5');
    assert.equal((await listSites(app, token, { ip: '203.0.113.5' })).status, 200);
    await setAllowList(p, ['198.51.100.0/24']);
    const refused = await listSites(app, token, { ip: '203.0.113.5' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason, 'ip-not-allowed');
    assert.equal((await listSites(app, token, { ip: '198.51.100.1' })).status, 200);
    await setAllowList(p, []);
    assert.equal((await listSites(app, token, { ip: '203.0.113.5' })).status, 200, 'an empty list admits every address');
    assert.equal((await listSites(app, token, { ip: '2001:db8::77' })).status, 200);
  });

  await t.test('invalid entries are refused with 400 and leave the list as it was', async () => {
    await setAllowList(p, ['192.0.2.1']);
    const before = await oauthTokenRows(app, p.partnerId);
    const invalid: [string, string[]][] = [
      ['hostname', ['partner.example.com']],
      ['single-label hostname', ['localhost']],
      ['IPv4 CIDR with host bits', ['10.0.0.1/8']],
      ['IPv6 CIDR with host bits', ['2001:db8::1/32']],
      ['IPv4 prefix /33', ['192.0.2.0/33']],
      ['IPv6 prefix /129', ['2001:db8::/129']],
      ['negative prefix', ['192.0.2.0/-1']],
      ['prefix with leading zero', ['192.0.2.0/024']],
      ['empty prefix', ['192.0.2.0/']],
      ['two prefixes', ['192.0.2.0/24/8']],
      ['garbage', ['not an address!']],
      ['three octets', ['192.0.2']],
      ['octet out of range', ['192.0.2.256']],
      ['leading-zero octet', ['010.0.0.1']],
      ['IPv6 zone id', ['fe80::1%eth0']],
      ['empty string', ['']],
      ['blank', ['   ']],
      ['mapped range below /96', ['::ffff:0:0/95']],
      ['one bad entry among good ones', ['192.0.2.5', '198.51.100.0/24', 'nope']],
    ];
    for (const [why, entries] of invalid) {
      const res = await p.portal.put('/api/v1/partner/ip-restrictions', { ipRestrictions: entries });
      assert.equal(res.status, 400, `${why}: ${JSON.stringify(res.body)}`);
      assert.ok(Array.isArray(res.body.errors) && res.body.errors.length > 0, why);
      const profile = await p.portal.get('/api/v1/partner/profile');
      assert.deepEqual(profile.body.ipRestrictions, ['192.0.2.1'], `${why}: the list is unchanged`);
    }
    // The stored list still decides: the old address is admitted, the refused entries' are not.
    assert.equal((await postToken(app, apiKeyCreds(p), { ip: '192.0.2.1' })).status, 200);
    await assertTokenRefused(app, p.partnerId, before + 1, await postToken(app, apiKeyCreds(p), { ip: '192.0.2.5' }), 403, 'unauthorized_client');
    await setAllowList(p, []);
  });
});

test('a spoofed X-Forwarded-For from an untrusted peer does not get past the allow-list', async (t) => {
  for (const [label, env] of [
    ['no trusted proxies', {}],
    ['another range trusted', { PARLEY_TRUSTED_PROXIES: '10.0.0.0/8, 2001:db8::/32' }],
  ] as const) {
    await t.test(label, async (tt: TestContext) => {
      const app = await startParley(tt, env);
      const p = await approvedPartner(app);
      const token = await issue(app, apiKeyCreds(p)); // while the list is empty
      await setAllowList(p, ['198.51.100.9']);
      const rows = await oauthTokenRows(app, p.partnerId);
      for (const xff of ['198.51.100.9', '198.51.100.9, 198.51.100.9', '10.1.2.3, 198.51.100.9']) {
        await assertTokenRefused(app, p.partnerId, rows, await postToken(app, apiKeyCreds(p), { ip: xff }), 403, 'unauthorized_client', xff);
        await assertApiRefused(app, p.partnerId, token, 403, { ip: xff }, xff);
      }
      // Control: the real peer address is what the list is checked against.
      await setAllowList(p, ['127.0.0.1']);
      assert.equal((await listSites(app, token, { ip: '198.51.100.9' })).status, 200);
    });
  }
});

test('token endpoint: client authentication, grants, parameters, scopes, suspension and key rotation', async (t) => {
  const app = await startParley(t, { PARLEY_PARTNER_TOKEN_RATE_LIMIT: '1000' });
  const p = await approvedPartner(app);
  const other = await approvedPartner(app);

  await t.test('refusals: an OAuth error, no-store, and no token', async () => {
    const id = String(p.partnerId);
    const cases: { why: string; body?: string; params?: Record<string, string>; headers?: Record<string, string>; status: number; error: string }[] = [
      { why: 'wrong apiKey', params: { grant_type: 'client_credentials', client_id: id, client_secret: `${p.apiKey}x` }, status: 401, error: 'invalid_client' },
      { why: "another partner's apiKey", params: { grant_type: 'client_credentials', client_id: id, client_secret: other.apiKey }, status: 401, error: 'invalid_client' },
      { why: 'wrong client secret', params: { grant_type: 'client_credentials', client_id: p.clientId, client_secret: 'pcs_wrong' }, status: 401, error: 'invalid_client' },
      { why: 'wrong secret over Basic', params: { grant_type: 'client_credentials' }, headers: { authorization: basic(id, 'ppk_wrong') }, status: 401, error: 'invalid_client' },
      { why: 'malformed Basic', params: { grant_type: 'client_credentials' }, headers: { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }, status: 401, error: 'invalid_client' },
      { why: 'unknown partner id', params: { grant_type: 'client_credentials', client_id: '987654321', client_secret: p.apiKey }, status: 401, error: 'invalid_client' },
      { why: 'unknown client id', params: { grant_type: 'client_credentials', client_id: 'pcl_unknown', client_secret: p.clientSecret }, status: 401, error: 'invalid_client' },
      { why: 'no client credentials', params: { grant_type: 'client_credentials' }, status: 401, error: 'invalid_client' },
      { why: 'no secret', params: { grant_type: 'client_credentials', client_id: id }, status: 401, error: 'invalid_client' },
      { why: 'missing grant_type', params: { client_id: id, client_secret: p.apiKey }, status: 400, error: 'invalid_request' },
      { why: 'unsupported grant', params: { grant_type: 'authorization_code', client_id: id, client_secret: p.apiKey, code: 'x' }, status: 400, error: 'unsupported_grant_type' },
      { why: 'refresh grant', params: { grant_type: 'refresh_token', client_id: id, client_secret: p.apiKey, refresh_token: 'x' }, status: 400, error: 'unsupported_grant_type' },
      {
        why: 'repeated parameter',
        body: `grant_type=client_credentials&client_id=${id}&client_secret=${encodeURIComponent(p.apiKey)}&client_secret=${encodeURIComponent(p.apiKey)}`,
        status: 400,
        error: 'invalid_request',
      },
      { why: 'repeated grant_type', body: `grant_type=client_credentials&grant_type=password&client_id=${id}&client_secret=${encodeURIComponent(p.apiKey)}`, status: 400, error: 'invalid_request' },
      { why: 'Basic and form secret both', params: { grant_type: 'client_credentials', client_secret: p.apiKey }, headers: { authorization: basic(id, p.apiKey) }, status: 400, error: 'invalid_request' },
      { why: 'Basic and another form client_id', params: { grant_type: 'client_credentials', client_id: String(other.partnerId) }, headers: { authorization: basic(id, p.apiKey) }, status: 400, error: 'invalid_request' },
      { why: 'unknown scope', params: { ...apiKeyCreds(p), scope: 'admin' }, status: 400, error: 'invalid_scope' },
      { why: 'scope beyond the client', params: { ...apiKeyCreds(p), scope: 'partner-api site-data:write' }, status: 400, error: 'invalid_scope' },
      { why: 'site scope without site-data', params: { ...apiKeyCreds(p), scope: 'site:1' }, status: 400, error: 'invalid_scope' },
    ];
    for (const c of cases) {
      const rows = await oauthTokenRows(app, p.partnerId);
      const res = await send(app, 'POST', TOKEN, { headers: { ...FORM, ...c.headers }, body: c.body ?? form(c.params ?? {}) });
      await assertTokenRefused(app, p.partnerId, rows, res, c.status, c.error, c.why);
    }
  });

  await t.test("the spec's GET form, Basic, and the password alias issue tokens with no-store", async () => {
    const rows = await oauthTokenRows(app, p.partnerId);
    const query = form({ grant_type: 'password', client_id: String(p.partnerId), client_secret: p.apiKey });
    const viaGet = await send(app, 'GET', `${TOKEN}?${query}`);
    assert.equal(viaGet.status, 200, JSON.stringify(viaGet.body));
    assert.deepEqual(Object.keys(viaGet.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(viaGet.body.token_type, 'bearer');
    assert.equal(viaGet.body.scope, 'partner-api');
    assert.equal(viaGet.headers['cache-control'], 'no-store');
    assert.equal(viaGet.headers.pragma, 'no-cache');
    assert.equal((await listSites(app, viaGet.body.access_token)).status, 200);
    const viaBasic = await postToken(app, { grant_type: 'client_credentials', scope: 'partner-api' }, { headers: { authorization: basic(p.clientId, p.clientSecret) } });
    assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));
    assert.equal(viaBasic.headers['cache-control'], 'no-store');
    assert.equal(await oauthTokenRows(app, p.partnerId), rows + 2);
    // The GET form refuses what the POST form refuses.
    const wrong = await send(app, 'GET', `${TOKEN}?${form({ grant_type: 'password', client_id: String(p.partnerId), client_secret: 'ppk_wrong' })}`);
    await assertTokenRefused(app, p.partnerId, rows + 2, wrong, 401, 'invalid_client', 'GET wrong secret');
    const repeated = await send(app, 'GET', `${TOKEN}?${query}&grant_type=password`);
    await assertTokenRefused(app, p.partnerId, rows + 2, repeated, 400, 'invalid_request', 'GET repeated');
  });

  await t.test('a suspended partner gets no token and its tokens stop; reactivated, both work again', async () => {
    const admin = await platformAdmin(app);
    const apiKeyToken = await issue(app, apiKeyCreds(p));
    const clientToken = await issue(app, { grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.clientSecret });
    const otherToken = await issue(app, apiKeyCreds(other));
    assert.equal((await admin.post(`/api/v1/platform/partners/${p.partnerId}/suspend`, {})).body.isActive, false);

    const rows = await oauthTokenRows(app, p.partnerId);
    await assertTokenRefused(app, p.partnerId, rows, await postToken(app, apiKeyCreds(p)), 401, 'invalid_client', 'suspended, apiKey');
    await assertTokenRefused(app, p.partnerId, rows, await postToken(app, { grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.clientSecret }), 401, 'invalid_client', 'suspended, client');
    for (const token of [apiKeyToken, clientToken]) {
      await assertApiRefused(app, p.partnerId, token, 401);
      assert.equal((await listSites(app, token)).headers['www-authenticate'], INVALID_TOKEN);
    }
    assert.equal((await listSites(app, otherToken)).status, 200, 'another partner is not affected');

    assert.equal((await admin.post(`/api/v1/platform/partners/${p.partnerId}/reactivate`, {})).body.isActive, true);
    assert.equal((await listSites(app, apiKeyToken)).status, 200);
    assert.equal((await listSites(app, clientToken)).status, 200);
    assert.equal((await listSites(app, await issue(app, apiKeyCreds(p)))).status, 200);
  });

  await t.test('a rotated apiKey: the old key and its tokens are refused, the new key works', async () => {
    const oldToken = await issue(app, apiKeyCreds(p));
    const clientToken = await issue(app, { grant_type: 'client_credentials', client_id: p.clientId, client_secret: p.clientSecret });
    const rotated = await p.portal.post('/api/v1/partner/api-key/rotate');
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const newKey: string = rotated.body.apiKey;
    assert.match(newKey, /^ppk_/);
    assert.notEqual(newKey, p.apiKey);

    const rows = await oauthTokenRows(app, p.partnerId);
    await assertTokenRefused(app, p.partnerId, rows, await postToken(app, apiKeyCreds(p)), 401, 'invalid_client', 'old key');
    await assertApiRefused(app, p.partnerId, oldToken, 401);
    assert.equal((await listSites(app, clientToken)).status, 200, "the OAuth client's tokens are not the apiKey's");
    const fresh = await issue(app, apiKeyCreds({ partnerId: p.partnerId, apiKey: newKey }));
    assert.equal((await listSites(app, fresh)).status, 200);
    p.apiKey = newKey;
  });

  await t.test('a site-data-only client gets a token the Partner API refuses for its scope', async () => {
    const created = await p.portal.post('/api/v1/partner/oauth-clients', { name: 'reporting', scopes: ['site-data:read'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const creds = { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret };
    const res = await postToken(app, creds);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.scope, 'site-data:read');
    const token = res.body.access_token;

    const refused = await listSites(app, token);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason, 'insufficient-scope');
    assert.match(String(refused.headers['www-authenticate']), /^Bearer realm="parley-partner-api", error="insufficient_scope"/);
    assert.equal(refused.headers['x-parley-insufficient-scope'], undefined, 'the internal marker stays inside');
    await assertApiRefused(app, p.partnerId, token, 403);
    // Nor can it ask for the Partner API scope.
    const rows = await oauthTokenRows(app, p.partnerId);
    await assertTokenRefused(app, p.partnerId, rows, await postToken(app, { ...creds, scope: 'partner-api' }), 400, 'invalid_scope');
  });
});

test('site endpoints: expired, revoked, malformed and missing tokens, token in the URL, browsers, CORS', async (t) => {
  const app = await startParley(t, { PARLEY_PARTNER_TOKEN_TTL: '60' });
  const p = await approvedPartner(app);
  const other = await approvedPartner(app);

  await t.test('an expired token is refused as invalid_token', async () => {
    const res = await postToken(app, apiKeyCreds(p));
    assert.equal(res.body.expires_in, 60);
    const token = res.body.access_token;
    assert.equal((await listSites(app, token)).status, 200);
    const updated = await app.parley.database.db
      .updateTable('partner_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', tokenHash(token))
      .executeTakeFirst();
    assert.equal(Number(updated.numUpdatedRows), 1);
    await assertApiRefused(app, p.partnerId, token, 401);
    assert.equal((await listSites(app, token)).headers['www-authenticate'], INVALID_TOKEN);
  });

  await t.test('RFC 7009 revocation: the token stops; unknown tokens and strangers get 200 and change nothing', async () => {
    const token = await issue(app, apiKeyCreds(p));
    const spare = await issue(app, apiKeyCreds(p));
    const creds = { client_id: String(p.partnerId), client_secret: p.apiKey };

    // Another partner, or the same partner's other client, cannot revoke it (and learns nothing).
    for (const stranger of [
      { client_id: String(other.partnerId), client_secret: other.apiKey },
      { client_id: p.clientId, client_secret: p.clientSecret },
    ]) {
      const res = await postToken(app, { token, ...stranger }, { path: REVOKE });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal((await listSites(app, token)).status, 200);
    }
    // Without valid client credentials revocation is refused.
    const unauth = await postToken(app, { token, client_id: String(p.partnerId), client_secret: 'ppk_wrong' }, { path: REVOKE });
    assert.equal(unauth.status, 401);
    assert.equal(unauth.body.error, 'invalid_client');
    assert.match(String(unauth.headers['www-authenticate']), /^Basic /);
    assert.equal((await listSites(app, token)).status, 200);

    const revoked = await postToken(app, { token, token_type_hint: 'access_token', ...creds }, { path: REVOKE });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(revoked.headers['cache-control'], 'no-store');
    const refused = await listSites(app, token);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['www-authenticate'], INVALID_TOKEN);
    await assertApiRefused(app, p.partnerId, token, 401);
    assert.equal((await listSites(app, spare)).status, 200, 'only that token is revoked');
    // Again, or an unknown token: still 200.
    assert.equal((await postToken(app, { token, ...creds }, { path: REVOKE })).status, 200);
    assert.equal((await postToken(app, { token: `ppt_${randomBytes(32).toString('base64url')}`, ...creds }, { path: REVOKE })).status, 200);
    assert.equal((await postToken(app, { token: 'not-even-a-token' }, { path: REVOKE, headers: { authorization: basic(p.clientId, p.clientSecret) } })).status, 200);
    assert.equal((await postToken(app, creds, { path: REVOKE })).status, 400, 'token is required');
  });

  await t.test('malformed and missing tokens', async () => {
    const cases: [string, string | undefined, string][] = [
      ['two words', 'Bearer abc def', INVALID_TOKEN],
      ['Basic with the apiKey', basic(String(p.partnerId), p.apiKey), INVALID_TOKEN],
      ['random ppt_ token', `Bearer ppt_${randomBytes(32).toString('base64url')}`, INVALID_TOKEN],
      ['not ours', 'Bearer abc', INVALID_TOKEN],
      ['scheme only', 'Bearer', INVALID_TOKEN],
      ['the apiKey as a bearer', `Bearer ${p.apiKey}`, INVALID_TOKEN],
      ['no token', undefined, CHALLENGE],
    ];
    for (const [why, authorization, challenge] of cases) {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const sitesBefore = await siteRows(app, p.partnerId);
      const res = await send(app, 'GET', SITES, { headers });
      assert.equal(res.status, 401, why);
      assert.equal(res.headers['www-authenticate'], challenge, why);
      const created = await send(app, 'POST', SITES, { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ company: 'X', admin: { email: 'x@x.example' } }) });
      assert.equal(created.status, 401, why);
      assert.equal(await siteRows(app, p.partnerId), sitesBefore, why);
    }
  });

  await t.test('a token in the query string is refused, with or without the header', async () => {
    const token = await issue(app, apiKeyCreds(p));
    for (const headers of [{}, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
      const res = await send(app, 'GET', `${SITES}?access_token=${token}`, { headers });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.reason, 'token-in-query');
      assert.ok(!Array.isArray(res.body));
      assert.equal(res.headers['www-authenticate'], `${CHALLENGE}, error="invalid_request"`);
    }
  });

  // src bug: refuseBrowsers throws a BadRequest (a DomainError with status 400) in onRequest, and the
  // OAuth error handler maps only 403 DomainErrors, so this answers 500 server_error and logs an error.
  await t.test('access_token in the URL of the token and revocation endpoints is invalid_request', async () => {
    const rows = await oauthTokenRows(app, p.partnerId);
    const viaGet = await send(app, 'GET', `${TOKEN}?${form({ ...apiKeyCreds(p), grant_type: 'password', access_token: 'ppt_x' })}`);
    await assertTokenRefused(app, p.partnerId, rows, viaGet, 400, 'invalid_request', 'GET');
    const viaPost = await postToken(app, apiKeyCreds(p), { path: `${TOKEN}?access_token=ppt_x` });
    await assertTokenRefused(app, p.partnerId, rows, viaPost, 400, 'invalid_request', 'POST');
    const revoke = await postToken(app, { token: 'ppt_x', client_id: String(p.partnerId), client_secret: p.apiKey }, { path: `${REVOKE}?access_token=ppt_x` });
    assert.equal(revoke.status, 400);
    assert.equal(revoke.body.error, 'invalid_request');
  });

  await t.test('browser markers are refused on the token endpoint and the site endpoints', async () => {
    const token = await issue(app, apiKeyCreds(p));
    const markers: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-mode': 'navigate' },
      { 'sec-fetch-mode': 'no-cors' },
      { 'sec-fetch-dest': 'document' },
      { 'sec-fetch-user': '?1' },
    ];
    for (const headers of markers) {
      const label = JSON.stringify(headers);
      const rows = await oauthTokenRows(app, p.partnerId);
      await assertTokenRefused(app, p.partnerId, rows, await postToken(app, apiKeyCreds(p), { headers }), 403, 'invalid_request', label);
      const viaGet = await send(app, 'GET', `${TOKEN}?${form({ ...apiKeyCreds(p), grant_type: 'password' })}`, { headers });
      await assertTokenRefused(app, p.partnerId, rows, viaGet, 403, 'invalid_request', `GET ${label}`);
      const revoke = await postToken(app, { token, client_id: String(p.partnerId), client_secret: p.apiKey }, { path: REVOKE, headers });
      assert.equal(revoke.status, 403, label);
      const refused = await listSites(app, token, { headers });
      assert.equal(refused.body.reason, 'browser-request', label);
      await assertApiRefused(app, p.partnerId, token, 403, { headers }, label);
    }
    // The browser-marked revocation did not revoke; Node's fetch marker alone is let through.
    assert.equal((await listSites(app, token, { headers: { 'sec-fetch-mode': 'cors' } })).status, 200);
    assert.equal((await postToken(app, apiKeyCreds(p), { headers: { 'sec-fetch-mode': 'cors' } })).status, 200);
  });

  await t.test('no CORS: a preflight gets no Access-Control-* headers', async () => {
    // send() refuses any access-control-* header on every answer in this file; here, preflights.
    for (const path of [TOKEN, REVOKE, SITES, `${SITES}/1`]) {
      const res = await send(app, 'OPTIONS', path, {
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      assert.ok(res.status >= 400, `${path}: ${res.status}`);
    }
  });
});

test('rate limits: per partner on the site endpoints, per client on the token endpoint', async (t) => {
  const app = await startParley(t, { PARLEY_PARTNER_RATE_LIMIT: '5', PARLEY_PARTNER_TOKEN_RATE_LIMIT: '3' });
  const a = await approvedPartner(app);
  const b = await approvedPartner(app);
  const tokenA = await issue(app, apiKeyCreds(a)); // a's client id: 1 of 3
  const tokenB = await issue(app, apiKeyCreds(b)); // b's client id: 1 of 3

  await t.test('the 6th call in the minute is 429 with Retry-After; another partner is not affected', async () => {
    for (let i = 1; i <= 5; i++) assert.equal((await listSites(app, tokenA)).status, 200, `call ${i}`);
    const limited = await listSites(app, tokenA);
    assert.equal(limited.status, 429, JSON.stringify(limited.body));
    assert.match(String(limited.headers['retry-after']), /^[1-9][0-9]*$/);
    assert.ok(Number(limited.headers['retry-after']) <= 60);
    assert.ok(!Array.isArray(limited.body));
    assert.equal((await listSites(app, tokenB)).status, 200, 'partner b has its own budget');
  });

  await t.test('the 4th token request in the minute is 429 slow_down with Retry-After', async () => {
    assert.equal((await postToken(app, apiKeyCreds(b))).status, 200); // 2 of 3
    assert.equal((await postToken(app, apiKeyCreds(b))).status, 200); // 3 of 3
    const rows = await oauthTokenRows(app, b.partnerId);
    const limited = await postToken(app, apiKeyCreds(b));
    await assertTokenRefused(app, b.partnerId, rows, limited, 429, 'slow_down');
    assert.match(String(limited.headers['retry-after']), /^[1-9][0-9]*$/);
    // The count is per client id: a wrong secret for b's id is counted too, a's id is not.
    await assertTokenRefused(app, b.partnerId, rows, await postToken(app, { ...apiKeyCreds(b), client_secret: 'ppk_wrong' }), 429, 'slow_down');
    assert.equal((await postToken(app, apiKeyCreds(a))).status, 200);
  });

  // src bug: @fastify/rate-limit gives every route its own store (LocalStore.child), so the budget
  // is per partner *per route*: the other site endpoints, and the GET form of the token endpoint,
  // each start from zero.
  await t.test('the budget counts all calls of a partner, whichever site endpoint', async () => {
    const sitesBefore = await siteRows(app, a.partnerId);
    const created = await createSite(app, tokenA);
    assert.equal(created.status, 429, JSON.stringify(created.body));
    assert.equal(await siteRows(app, a.partnerId), sitesBefore);
    assert.equal((await listSites(app, tokenA, { suffix: '/1' })).status, 429);
  });

  await t.test("the token budget counts the spec's GET form too", async () => {
    const rows = await oauthTokenRows(app, b.partnerId);
    const viaGet = await send(app, 'GET', `${TOKEN}?${form({ ...apiKeyCreds(b), grant_type: 'password' })}`);
    await assertTokenRefused(app, b.partnerId, rows, viaGet, 429, 'slow_down');
  });
});

test('logs never hold secrets', async (t) => {
  // Pino writes to process.stdout itself when its write has been replaced; capture its lines.
  const lines: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = function capture(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    if (text.startsWith('{"level":')) {
      lines.push(text);
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof process.stdout.write;
  let app: Running;
  try {
    app = await startParley(t, { PARLEY_LOG_LEVEL: 'info', PARLEY_TRUSTED_PROXIES: '127.0.0.1' });
  } finally {
    // Undone after the node has closed (after hooks run in order), so its last lines are caught too.
    t.after(() => {
      process.stdout.write = original;
    });
  }
  const p = await approvedPartner(app);
  const secrets = [p.apiKey, p.clientSecret, p.portal.token ?? ''];
  const token = await issue(app, apiKeyCreds(p));
  secrets.push(token);
  const viaGet = await send(app, 'GET', `${TOKEN}?${form({ grant_type: 'password', client_id: String(p.partnerId), client_secret: p.apiKey })}`);
  secrets.push(viaGet.body.access_token);
  await postToken(app, { grant_type: 'client_credentials' }, { headers: { authorization: basic(p.clientId, p.clientSecret) } });
  secrets.push(basic(p.clientId, p.clientSecret).slice(6));
  const wrong = `ppk_${randomBytes(32).toString('base64url')}`;
  secrets.push(wrong);
  await postToken(app, { ...apiKeyCreds(p), client_secret: wrong });
  await send(app, 'GET', `${TOKEN}?${form({ grant_type: 'password', client_id: String(p.partnerId), client_secret: wrong })}`);
  await listSites(app, token, { ip: '203.0.113.9' });
  await listSites(app, undefined, { suffix: `?access_token=${token}` });
  await listSites(app, token, { suffix: `?access_token=${token}` });
  await postToken(app, { token, client_id: String(p.partnerId), client_secret: p.apiKey }, { path: REVOKE });
  const rotated = await p.portal.post('/api/v1/partner/api-key/rotate');
  secrets.push(rotated.body.apiKey);

  const text = lines.join('');
  assert.ok(text.includes('"url":"/partner/oauth/token?'), 'the capture sees request logs');
  assert.ok(text.includes('client_secret=[redacted]'));
  for (const secret of secrets) {
    assert.ok(secret.length >= 20);
    assert.ok(!text.includes(secret), `a log line holds the secret ${secret.slice(0, 8)}…`);
  }
});
