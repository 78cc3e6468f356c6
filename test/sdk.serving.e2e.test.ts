// What the server does for the Agent Console SDK (docs/agent-console-sdk.md): the script, the ES
// module and the types for any page; the SDK's frame for the partner's own origins only (its hosts
// and embed origins, never another partner's), framed by that one origin and resuming only a
// session of that partner's sites; and the JWT sign-in that starts a session in the frame, same-site
// only and for the host's partner's sites only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cspOf, raw } from './helpers/console.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner } from './helpers/partners.ts';
import { partnerSite, SESSION_COOKIE, setUpJwt, signJwt } from './helpers/sso.ts';

/** The `parley-sdk` meta the server put in the frame's page. */
function sdkMeta(html: string): { origin: string; refused: string | null; resume: boolean; partnerId: number | null } | null {
  const m = /<meta name="parley-sdk" content="([^"]*)">/.exec(html);
  return m ? JSON.parse(m[1]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))) : null;
}

test('the SDK, its frame and its sign-in', async (t) => {
  const app = await startParley(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: 'http://parley.test', PARLEY_LOGIN_RATE_LIMIT: '1000', PARLEY_SSO_RATE_LIMIT: '10000' });
  const a = await partnerSite(app, await approvedPartner(app, 'Acme'));
  const b = await partnerSite(app, await approvedPartner(app, 'Bolt'));
  const hostA = `${a.partner.slug}.parley.test`;
  const hostB = `${b.partner.slug}.parley.test`;
  assert.equal((await a.partner.portal.put('/api/v1/partner/embed-origins', { origins: ['https://app.acme.example'] })).status, 200);
  assert.equal((await b.partner.portal.put('/api/v1/partner/embed-origins', { origins: ['https://app.bolt.example'] })).status, 200);
  const secretA = await setUpJwt(a.partner);
  const secretB = await setUpJwt(b.partner);
  const frame = (host: string, query: string, cookie?: string) =>
    raw(app.url, `/sdk/console.html?${query}`, { headers: { host, ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}) } });
  const jwtSignIn = (host: string, body: unknown, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) =>
    raw(app.url, '/api/v1/auth/session/jwt', { method: 'POST', headers: { host, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  await t.test('the script, the module and the types load from any page', async () => {
    for (const [file, type, marker] of [
      ['agent-console.js', 'text/javascript', 'Comm100AgentConsole'],
      ['agent-console.mjs', 'text/javascript', 'export'],
      ['agent-console.d.ts', 'text/plain', 'interface AgentConsoleSdk'],
    ] as const) {
      const res = await raw(app.url, `/sdk/${file}`, { headers: { host: hostA, origin: 'https://app.acme.example' } });
      assert.equal(res.status, 200, file);
      assert.match(String(res.headers['content-type']), new RegExp(`^${type}`), file);
      assert.equal(res.headers['access-control-allow-origin'], '*', `${file}: a module is fetched with CORS`);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.ok(res.text.includes(marker), `${file} holds ${marker}`);
    }
  });

  await t.test("the frame for the partner's embed origin and its own host, framed by exactly that origin", async () => {
    for (const origin of ['https://app.acme.example', `https://${hostA}`, `https://${hostA}:8443`]) {
      const res = await frame(hostA, `origin=${encodeURIComponent(origin)}`);
      assert.equal(res.status, 200, res.text.slice(0, 200));
      assert.deepEqual(cspOf(res.headers['content-security-policy'] as string).get('frame-ancestors'), [origin], origin);
      assert.deepEqual(sdkMeta(res.text), { origin, refused: null, resume: false, partnerId: a.partner.partnerId });
      assert.match(res.text, /\/console\/assets\//, 'the console app');
    }
    // On Parley's own host, the partner is named.
    const named = await frame('parley.test', `origin=${encodeURIComponent('https://app.acme.example')}&partnerId=${a.partner.partnerId}`);
    assert.deepEqual(sdkMeta(named.text)?.refused, null);
  });

  await t.test('any other origin gets a refusal page, never the console session; malformed origins a 400', async () => {
    const cases: [host: string, query: string, why: RegExp][] = [
      [hostA, `origin=${encodeURIComponent('https://evil.example')}`, /not one of the partner/],
      [hostA, `origin=${encodeURIComponent('https://app.bolt.example')}`, /not one of the partner/],
      [hostA, `origin=${encodeURIComponent(`https://${hostB}`)}`, /not one of the partner/],
      [hostA, `origin=${encodeURIComponent('http://app.acme.example')}`, /not one of the partner/],
      [hostA, `origin=${encodeURIComponent('https://app.acme.example')}&partnerId=${b.partner.partnerId}`, /another partner/],
      ['parley.test', `origin=${encodeURIComponent('https://app.acme.example')}`, /partnerId/],
      ['parley.test', `origin=${encodeURIComponent('https://app.acme.example')}&partnerId=${b.partner.partnerId}`, /not one of the partner/],
    ];
    for (const [host, query, why] of cases) {
      const res = await frame(host, query, undefined);
      assert.equal(res.status, 200, `${host} ${query}`);
      const meta = sdkMeta(res.text);
      assert.match(meta?.refused ?? '', why, `${host} ${query}: ${JSON.stringify(meta)}`);
      assert.equal(meta?.resume, false);
      assert.deepEqual(cspOf(res.headers['content-security-policy'] as string).get('frame-ancestors'), ['*'], 'a refusal may show anywhere: it shows nothing else');
      assert.ok(!res.text.includes('csrf-token'), 'no session in a refusal');
    }
    for (const bad of ['https://app.acme.example/path', 'javascript:alert(1)', 'app.acme.example', 'https://user@app.acme.example']) {
      const res = await frame(hostA, `origin=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.ok(!res.text.includes('parley-sdk'), bad);
    }
  });

  let cookieA = '';
  await t.test("the JWT sign-in: a session in the frame for the partner's own sites, same-site only", async () => {
    const good = await signJwt(secretA, { email: a.agent.email, site_id: a.siteId });
    const crossSite = await jwtSignIn(hostA, { jwt: good }, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403, crossSite.text);
    assert.equal(crossSite.headers['set-cookie'], undefined);

    const signed = await jwtSignIn(hostA, { jwt: good });
    assert.equal(signed.status, 200, signed.text);
    const session = JSON.parse(signed.text);
    assert.deepEqual([session.agentId, session.siteId, session.method], [a.agent.id, a.siteId, 'jwt']);
    assert.ok(session.csrfToken);
    const cookie = String(signed.headers['set-cookie']);
    assert.match(cookie, /HttpOnly; Secure; SameSite=None; Partitioned/);
    cookieA = /__Host-parley_session=([^;]+)/.exec(cookie)![1]!;

    const replay = await jwtSignIn(hostA, { jwt: good });
    assert.equal(replay.status, 401);
    assert.match(JSON.parse(replay.text).detail, /already used/);
    const forged = await jwtSignIn(hostA, { jwt: await signJwt(secretB, { email: a.agent.email, site_id: a.siteId }) });
    assert.equal(forged.status, 401);
    assert.match(JSON.parse(forged.text).detail, /signature/);
    // Bolt's site on Acme's host: refused, whoever signed it.
    const other = await jwtSignIn(hostA, { jwt: await signJwt(secretB, { email: b.agent.email, site_id: b.siteId }) });
    assert.ok(other.status === 403 || other.status === 404, `${other.status} ${other.text}`);
    assert.equal(other.headers['set-cookie'], undefined);
    // On Parley's own host the frame names its partner: a sign-in for another partner's site is refused.
    const elsewhere = await jwtSignIn('parley.test', { jwt: await signJwt(secretA, { email: a.agent.email, site_id: a.siteId }), partnerId: b.partner.partnerId });
    assert.equal(elsewhere.status, 404, elsewhere.text);
    assert.equal(elsewhere.headers['set-cookie'], undefined);
    const mismatch = await jwtSignIn(hostA, { jwt: await signJwt(secretA, { email: a.agent.email, site_id: a.siteId }), partnerId: b.partner.partnerId });
    assert.equal(mismatch.status, 403, mismatch.text);
    const password = (host: string, body: Record<string, unknown>) =>
      raw(app.url, '/api/v1/auth/session', { method: 'POST', headers: { host, 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, body: JSON.stringify(body) });
    const kim = { email: a.agent.email, password: 'agent-password-1' };
    assert.equal((await password('parley.test', { ...kim, partnerId: b.partner.partnerId })).status, 401, "Acme's agent is nobody among Bolt's sites");
    assert.equal((await password('parley.test', { ...kim, partnerId: a.partner.partnerId })).status, 200);
    const extra = await jwtSignIn(hostA, { jwt: good, siteId: a.siteId });
    assert.equal(extra.status, 400);
    assert.equal(extra.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  await t.test("the frame resumes a session of the partner's sites only", async () => {
    const own = await frame(hostA, `origin=${encodeURIComponent('https://app.acme.example')}`, cookieA);
    assert.equal(sdkMeta(own.text)?.resume, true);
    assert.match(own.text, /<meta name="csrf-token"/);
    // Bolt's frame on Parley's host, with Acme's agent's cookie in the browser: not resumed there.
    const foreign = await frame('parley.test', `origin=${encodeURIComponent('https://app.bolt.example')}&partnerId=${b.partner.partnerId}`, cookieA);
    assert.equal(sdkMeta(foreign.text)?.refused, null);
    assert.equal(sdkMeta(foreign.text)?.resume, false);
    assert.ok(!foreign.text.includes('csrf-token'));
  });
});
