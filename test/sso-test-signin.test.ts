// Test sign-in: from the partner portal an admin checks its identity provider's set-up without
// signing anyone in. The portal gets a one-use ticket; its address sends the browser to the IdP
// with a marker (SAML: kept with the stored request; JWT: a sealed return address); the answer is
// checked as at a real sign-in and shown as a page, with no session, no cookie, no agent created
// or linked. The identity providers are faked here: the SAML IdP is the test toolkit
// (helpers/saml-idp.ts: real keys and XML signatures made in the test), the JWT "login page" is
// this test signing tokens with the partner's secret, and the browser is fetch without redirects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startParley } from './helpers/parley.ts';
import { approvedPartner } from './helpers/partners.ts';
import { createAttackerIdp, createIdp, issueResponse, parseAuthnRequest, postBody } from './helpers/saml-idp.ts';
import { type BrowserResponse, browse, partnerSite, sessionOf, setUpJwt, signJwt } from './helpers/sso.ts';

const LIMITS = { PARLEY_SSO_RATE_LIMIT: '10000', PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000' };

/** The result page of a test: works or failed, and its text without tags. */
function resultOf(res: BrowserResponse): { outcome: string; text: string } {
  assert.equal(res.status, 200, `${res.status} ${res.text.slice(0, 400)}`);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const outcome = /data-testid="sso-test-result" data-outcome="(\w+)"/.exec(res.text)?.[1];
  assert.ok(outcome, res.text.slice(0, 400));
  const main = /<main>([\s\S]*)<\/main>/.exec(res.text)?.[1] ?? '';
  return { outcome, text: main.replace(/<[^>]+>/g, '').replace(/&#39;|’/g, "'") };
}

/** A test's page carries no session and may not be framed or cached. */
function assertNoSession(res: BrowserResponse): void {
  assert.equal(res.setCookie, null, `a cookie was set: ${res.setCookie}`);
  assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
}

/**
 * A ticket's address on the test's node: the portal builds it on PARLEY_PUBLIC_URL, which the
 * test's node (listening on a port chosen at start) does not know.
 */
const onNode = (app: { url: string }, url: string) => `${app.url}${url.slice(new URL(url).origin.length)}`;

/** What an error page (a refused request) says. */
const alertOf = (html: string) => /role="alert"[^>]*>([^<]*)</.exec(html)?.[1] ?? html.slice(0, 300);

test('JWT test sign-in: a ticket, the login page, and a result page that signs nobody in', async (t) => {
  const app = await startParley(t, LIMITS);
  const s = await partnerSite(app);
  const origin = new URL(app.url).origin;
  const claims = (o: Record<string, unknown> = {}) => ({ email: s.agent.email, name: 'Kim from the IdP', site_id: s.siteId, ...o });

  /** A new ticket's address, followed to the partner's login page: the return address it carries. */
  async function startTest(): Promise<string> {
    const ticket = await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'JWT' });
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    const res = await browse(onNode(app, ticket.body.url));
    assert.equal(res.status, 302, `${res.status} ${alertOf(res.text)}`);
    const login = new URL(res.location!);
    assert.equal(login.origin + login.pathname, 'https://login.partner.example/sso');
    return login.searchParams.get('return_to')!;
  }

  await t.test('no ticket before JWT is set up', async () => {
    const res = await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'JWT' });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(res.body.detail, /JWT sign-on is not set up/);
  });

  let secret = await setUpJwt(s.partner);

  await t.test('the ticket opens once and sends the browser to the login page with a marked return address', async () => {
    const ticket = await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'JWT' });
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    assert.ok(ticket.body.url.startsWith(`${new URL(app.config.publicUrl).origin}/sso/test?ticket=`), ticket.body.url);
    assert.ok(Date.parse(ticket.body.expiresAt) - Date.now() <= 2 * 60_000 + 1000);
    const res = await browse(onNode(app, ticket.body.url));
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', 'the ticket does not travel to the IdP as a Referer');
    const returnTo = new URL(new URL(res.location!).searchParams.get('return_to')!);
    assert.equal(returnTo.origin + returnTo.pathname, `${origin}/sso/test/result`);
    assert.ok(returnTo.searchParams.get('marker'));
    const again = await browse(onNode(app, ticket.body.url));
    assert.equal(again.status, 400);
    assert.match(alertOf(again.text), /used already/);
  });

  await t.test('a good token: the page names the person and the agent; no session, and the token is used up', async () => {
    const returnTo = await startTest();
    const jwt = await signJwt(secret, claims());
    const res = await browse(`${app.url}/sso/jwt`, { form: { jwt, return_to: returnTo } });
    const r = resultOf(res);
    assertNoSession(res);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(r.outcome, 'works', r.text);
    assert.match(r.text, /JWT sign-in works/);
    assert.match(r.text, new RegExp(`Your identity provider says: ${s.agent.email}, Kim from the IdP`));
    assert.match(r.text, new RegExp(`That is agent Kim Agent \\(${s.agent.email}, agent ${s.agent.id}\\) of site ${s.siteId}`));
    assert.match(r.text, /clock (agrees with|is \d+ s (ahead of|behind)) Parley's/);
    assert.match(r.text, /nobody was signed in/);
    // The token cannot sign in afterwards, and the marker cannot be used again.
    const real = await browse(`${app.url}/sso/jwt`, { form: { jwt } });
    assert.equal(real.status, 401);
    assert.match(alertOf(real.text), /already used/);
    const replay = await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims()), return_to: returnTo } });
    assert.equal(replay.status, 400);
    assert.match(alertOf(replay.text), /used already/);
    assert.equal(replay.setCookie, null);
  });

  await t.test('each failure says exactly why, and still signs nobody in', async () => {
    const other = await partnerSite(app);
    const cases: [string, () => Promise<string>, RegExp][] = [
      ['a wrong secret', () => signJwt('pjs_not-the-secret', claims()), /signature does not match the partner’s secret|signature does not match/],
      ['an old token (clock skew)', () => signJwt(secret, claims({ iat: Math.floor(Date.now() / 1000) - 600 })), /issued more than 180 seconds ago/],
      ['a token from the future', () => signJwt(secret, claims({ iat: Math.floor(Date.now() / 1000) + 600 })), /issued in the future/],
      ['an expired token', () => signJwt(secret, claims({ exp: Math.floor(Date.now() / 1000) - 600 })), /expired/],
      ['an unknown e-mail', () => signJwt(secret, claims({ email: 'nobody@shop.example' })), /No agent of this site matches/],
      ['another partner’s site', () => signJwt(secret, claims({ site_id: other.siteId })), new RegExp(`Site ${other.siteId}, which the token's site_id claim names, is not one of your sites`)],
      ['HS512', () => signJwt(secret, claims(), { alg: 'HS512' }), /only HS256/],
    ];
    for (const [what, token, why] of cases) {
      const res = await browse(`${app.url}/sso/jwt`, { form: { jwt: await token(), return_to: await startTest() } });
      const r = resultOf(res);
      assertNoSession(res);
      assert.equal(r.outcome, 'failed', `${what}: ${r.text}`);
      assert.match(r.text, /JWT sign-in failed/, what);
      assert.match(r.text, why, what);
    }
  });

  await t.test('with JIT on, an unknown person is said to be created at first sign-in, and is not created now', async () => {
    secret = await setUpJwt(s.partner, { jitProvisioning: true }); // a new secret, too
    const before = await s.admin.get('/api/v1/agents');
    const res = await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims({ email: 'newcomer@shop.example', name: 'New Comer', external_id: 'idp-7' })), return_to: await startTest() } });
    const r = resultOf(res);
    assert.equal(r.outcome, 'works', r.text);
    assert.match(r.text, /its id for the person: idp-7/);
    assert.match(r.text, new RegExp(`Site ${s.siteId} has no agent for this person yet: the first sign-in creates agent New Comer \\(newcomer@shop.example\\)`));
    const after = await s.admin.get('/api/v1/agents');
    assert.deepEqual(after.body, before.body, 'no agent was created');
    // An existing agent found by e-mail would be linked to the IdP's id at a real sign-in only.
    const linked = resultOf(await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims({ external_id: 'idp-kim' })), return_to: await startTest() } }));
    assert.match(linked.text, /A first real sign-in links this agent to the identity provider's id idp-kim/);
    const still = resultOf(await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims({ external_id: 'idp-kim' })), return_to: await startTest() } }));
    assert.match(still.text, /links this agent to the identity provider's id idp-kim/, 'the test did not link it');
  });

  await t.test('a login page that comes straight back without a token is told what to do', async () => {
    const res = await browse(await startTest());
    const r = resultOf(res);
    assertNoSession(res);
    assert.equal(r.outcome, 'failed');
    assert.match(r.text, new RegExp(`must send it to ${origin}/sso/jwt with jwt`));
  });

  await t.test('a forged, altered or missing marker is refused before the token is used', async () => {
    const jwt = await signJwt(secret, claims());
    const marked = new URL(await startTest());
    const marker = marked.searchParams.get('marker')!;
    const altered = `${marker.slice(0, -4)}${marker.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const returnTo of [`${origin}/sso/test/result?marker=${encodeURIComponent(altered)}`, `${origin}/sso/test/result`, '/sso/test/result?marker=forged']) {
      const res = await browse(`${app.url}/sso/jwt`, { form: { jwt, return_to: returnTo } });
      assert.equal(res.status, 400, returnTo);
      assert.match(alertOf(res.text), /not valid or has expired/, returnTo);
      assert.equal(res.setCookie, null);
    }
    // The token is still good for a real sign-in: the refusals did not use it up.
    const real = await browse(`${app.url}/sso/jwt`, { form: { jwt } });
    assert.equal(real.status, 303, alertOf(real.text));
    assert.equal((await sessionOf(app, /=([^;]+)/.exec(real.setCookie!)![1]!)).status, 200);
    // A forged ticket does nothing either.
    const forged = await browse(`${app.url}/sso/test?ticket=${encodeURIComponent(altered)}`);
    assert.equal(forged.status, 400);
    assert.match(forged.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  await t.test('only the partner’s own portal (or a platform admin) gets tickets, for its own set-up', async () => {
    const b = await approvedPartner(app);
    const own = await b.portal.post('/api/v1/partner/sso/test', { type: 'JWT' });
    assert.equal(own.status, 409, 'partner B has no JWT set-up of its own; A’s is not used');
    const onA = await b.portal.post(`/api/v1/platform/partners/${s.partner.partnerId}/sso/test`, { type: 'JWT' });
    assert.equal(onA.status, 403, JSON.stringify(onA.body));
    const anonymous = await fetch(`${app.url}/api/v1/partner/sso/test`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"JWT"}' });
    assert.equal(anonymous.status, 401);
  });
});

test('SAML test sign-in: the IdP’s Response is checked as at a sign-in, and its findings shown', async (t) => {
  const app = await startParley(t, LIMITS);
  const s = await partnerSite(app);
  const idp = await createIdp();
  const idpLoginUrl = `https://${new URL(idp.entityId).hostname}/saml/sso`;
  // The first set-up needs a certificate; later, a change without one keeps those held.
  const bare = await s.partner.portal.put('/api/v1/partner/sso/saml', { loginUrl: idpLoginUrl, idpEntityId: idp.entityId });
  assert.equal(bare.status, 400, JSON.stringify(bare.body));
  assert.equal(bare.body.errors[0].path, '/certificates');
  const first = await s.partner.portal.put('/api/v1/partner/sso/saml', { loginUrl: `${idpLoginUrl}/old`, idpEntityId: idp.entityId, certificates: [idp.certPem] });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const put = await s.partner.portal.put('/api/v1/partner/sso/saml', { loginUrl: idpLoginUrl, idpEntityId: idp.entityId });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.deepEqual(put.body.saml.certificates, first.body.saml.certificates, 'the certificate held stays');
  const sp = put.body.serviceProvider;
  const acs = `${app.url}/sso/saml/acs`;

  /** A new test for the site, followed to the IdP: the AuthnRequest it carries. */
  async function startTest(siteId = s.siteId) {
    const ticket = await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'SAML', siteId });
    assert.equal(ticket.status, 200, JSON.stringify(ticket.body));
    const res = await browse(onNode(app, ticket.body.url));
    assert.equal(res.status, 302, `${res.status} ${alertOf(res.text)}`);
    assert.ok(res.location!.startsWith(`${idpLoginUrl}?`), res.location!);
    return parseAuthnRequest(res.location!);
  }
  const post = (xml: string, relayState?: string | null) =>
    fetch(acs, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: postBody(xml, relayState ?? undefined), redirect: 'manual' }).then(
      async (res): Promise<BrowserResponse> => ({ status: res.status, location: res.headers.get('location'), setCookie: res.headers.get('set-cookie'), headers: res.headers, text: await res.text() }),
    );

  await t.test('SAML tickets need a site of the partner’s', async () => {
    const none = await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'SAML' });
    assert.equal(none.status, 400, JSON.stringify(none.body));
    assert.match(none.body.detail, /Choose the site/);
    const other = await partnerSite(app);
    const foreign = await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'SAML', siteId: other.siteId });
    assert.equal(foreign.status, 404, JSON.stringify(foreign.body));
  });

  await t.test('a signed Response for the agent: the page names it; no session; the test Response cannot be used again', async () => {
    const req = await startTest();
    assert.equal(new URL(req.acsUrl!).pathname, new URL(sp.acsUrl).pathname, 'the test uses the ACS of a sign-in');
    assert.equal(req.acsUrl, acs, 'on the host the test was opened on');
    const xml = issueResponse(idp, { issuer: idp.entityId, inResponseTo: req.id, destination: acs, audience: sp.entityId, nameId: s.agent.email, attributes: { name: 'Kim in the IdP' } });
    const res = await post(xml, req.relayState);
    const r = resultOf(res);
    assertNoSession(res);
    assert.equal(r.outcome, 'works', r.text);
    assert.match(r.text, /SAML sign-in works/);
    assert.match(r.text, new RegExp(`Your identity provider says: ${s.agent.email}, Kim in the IdP`));
    assert.match(r.text, new RegExp(`That is agent Kim Agent \\(${s.agent.email}, agent ${s.agent.id}\\) of site ${s.siteId}`));
    const replay = await post(xml, req.relayState);
    assert.equal(replay.status, 401);
    assert.match(alertOf(replay.text), /answers no pending sign-in/);
    assert.equal(replay.setCookie, null);
  });

  await t.test('failures say why: a key the partner does not trust, a stale assertion, the wrong audience, an unknown person', async () => {
    const attacker = await createAttackerIdp(idp.entityId);
    const cases: [string, (id: string) => string, RegExp][] = [
      ['a foreign signature', (id) => issueResponse(attacker, { issuer: idp.entityId, inResponseTo: id, destination: acs, audience: sp.entityId, nameId: s.agent.email }), /signature/i],
      [
        'an IdP clock 20 minutes behind',
        (id) =>
          issueResponse(idp, {
            issuer: idp.entityId,
            inResponseTo: id,
            destination: acs,
            audience: sp.entityId,
            nameId: s.agent.email,
            issueInstant: new Date(Date.now() - 20 * 60_000),
            notBefore: new Date(Date.now() - 21 * 60_000),
            notOnOrAfter: new Date(Date.now() - 15 * 60_000),
          }),
        /clock is 1[12]\d\d s behind Parley's \(at most 180 s either way are accepted\)/,
      ],
      ['the wrong audience', (id) => issueResponse(idp, { issuer: idp.entityId, inResponseTo: id, destination: acs, audience: 'https://someone-else.example/sp', nameId: s.agent.email }), /audience/i],
      ['an unknown person', (id) => issueResponse(idp, { issuer: idp.entityId, inResponseTo: id, destination: acs, audience: sp.entityId, nameId: 'stranger@shop.example' }), /No agent of this site matches/],
    ];
    for (const [what, xml, why] of cases) {
      const req = await startTest();
      const res = await post(xml(req.id), req.relayState);
      const r = resultOf(res);
      assertNoSession(res);
      assert.equal(r.outcome, 'failed', `${what}: ${r.text}`);
      assert.match(r.text, /SAML sign-in failed/, what);
      assert.match(r.text, why, `${what}: ${r.text}`);
    }
  });

  await t.test('a real sign-in is unchanged: it starts a session', async () => {
    const res = await browse(`${app.url}/sso/login?siteId=${s.siteId}`);
    const req = parseAuthnRequest(res.location!);
    const answer = await post(issueResponse(idp, { issuer: idp.entityId, inResponseTo: req.id, destination: acs, audience: sp.entityId, nameId: s.agent.email }), req.relayState);
    assert.equal(answer.status, 303, alertOf(answer.text));
    assert.ok(answer.setCookie?.startsWith('__Host-parley_session='));
  });
});

test('test sign-in is rate-limited per address like a sign-in', async (t) => {
  const app = await startParley(t, { PARLEY_SSO_RATE_LIMIT: '3', PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000' });
  const s = await partnerSite(app);
  await setUpJwt(s.partner);
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await s.partner.portal.post('/api/v1/partner/sso/test', { type: 'JWT' })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
  const starts: number[] = [];
  for (let i = 0; i < 4; i++) starts.push((await browse(`${app.url}/sso/test?ticket=x`)).status);
  assert.deepEqual(starts, [400, 400, 400, 429]);
});
