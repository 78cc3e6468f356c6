// SAML 2.0 single sign-on for agents, end to end against a real Parley and a real (test) identity
// provider: the partner's settings and SP metadata, the signed AuthnRequest, sign-in at the ACS
// with the session cookie, mapping NameID to agents and creating them at first sign-in, return
// addresses, IdP- and SP-initiated logout; and the attacks an SP must refuse, each leaving nobody
// signed in: missing or foreign signatures, edits after signing, XSW1–XSW8, comment injection,
// extra roots, stale, early, replayed and misaddressed Responses, a Response of one partner on
// another's request, DOCTYPE entities and oversize posts.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { type Running, startParley } from './helpers/parley.ts';
import { type ApprovedPartner, approvedPartner, partnerApi, partnerApiToken, platformAdmin } from './helpers/partners.ts';
import {
  ALG,
  type AuthnRequest,
  assertionOf,
  createAttackerIdp,
  createCertificate,
  createIdp,
  editNameId,
  type Idp,
  idpLogoutPost,
  idpLogoutRedirect,
  idpLogoutResponseRedirect,
  injectComment,
  issueResponse,
  NAMEID,
  parseAuthnRequest,
  parseLogoutRequest,
  parseLogoutResponse,
  parseXml,
  postBody,
  type ResponseOptions,
  type SignWhat,
  samlId,
  samlResponse,
  statusUri,
  withAppendedAssertion,
  withDoctype,
  withExtraRoot,
  xsw,
} from './helpers/saml-idp.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

// Several partners and logins per test come from one address: lift the per-address limits.
const LIMITS = { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000' };
const COOKIE = '__Host-parley_session';
const MINUTE = 60_000;

/** A partner using SAML with its own IdP, one site, its admin and agents. */
interface World {
  app: Running;
  idp: Idp;
  partner: ApprovedPartner;
  siteId: number;
  admin: ReturnType<typeof client>;
  /** Parley's SP side as the partner's settings show it. */
  sp: { entityId: string; acsUrl: string; metadataUrl: string; certificate: string };
  idpLoginUrl: string;
  idpLogoutUrl: string;
  /** Where this test's browser posts Responses, and sends logout messages. */
  acs: string;
  slo: string;
}

/** Sets up a partner (through the Partner API and its portal) with SAML sign-on and a site. */
async function samlWorld(app: Running, opts: { jit?: boolean } = {}): Promise<World> {
  const idp = await createIdp();
  const partner = await approvedPartner(app);
  const api = partnerApi(app, await partnerApiToken(app, partner));
  const adminEmail = `admin-${samlId().slice(1, 9)}@customer.example`;
  const password = 'site-admin-pass-1';
  const site = await api.post('/sites', { company: 'Customer Co', admin: { email: adminEmail, name: 'Site Admin', password } });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const login = await client(app.url).post('/api/v1/auth/login', { email: adminEmail, password });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const idpHost = new URL(idp.entityId).hostname;
  const idpLoginUrl = `https://${idpHost}/saml/sso`;
  const idpLogoutUrl = `https://${idpHost}/saml/slo`;
  const put = await partner.portal.put('/api/v1/partner/sso/saml', {
    loginUrl: idpLoginUrl,
    logoutUrl: idpLogoutUrl,
    idpEntityId: idp.entityId,
    certificates: [idp.certPem],
    jitProvisioning: opts.jit ?? false,
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const sso = await partner.portal.get('/api/v1/partner/sso');
  assert.equal(sso.status, 200, JSON.stringify(sso.body));
  return {
    app,
    idp,
    partner,
    siteId: site.body.id,
    admin: client(app.url, login.body.token),
    sp: sso.body.serviceProvider,
    idpLoginUrl,
    idpLogoutUrl,
    acs: `${app.url}/sso/saml/acs`,
    slo: `${app.url}/sso/saml/logout`,
  };
}

/** An agent of the world's site, made by its admin. */
async function addAgent(w: World, email: string, name = 'Agent'): Promise<{ id: number; email: string }> {
  const res = await w.admin.post('/api/v1/agents', { email, name, password: 'agent-pass-123' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, email };
}

/** The e-mails of the site's agents. */
async function agentEmails(w: World): Promise<string[]> {
  const res = await w.admin.get('/api/v1/agents');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body as { email: string }[]).map((a) => a.email).sort();
}

/** A browser asking to sign in to a site: Parley's redirect to the IdP, and the AuthnRequest it carries. */
async function startLogin(w: World, opts: { returnTo?: string; siteId?: number; path?: string } = {}): Promise<AuthnRequest & { location: string }> {
  const q = new URLSearchParams({ siteId: String(opts.siteId ?? w.siteId) });
  if (opts.returnTo !== undefined) q.set('return_to', opts.returnTo);
  const res = await fetch(`${w.app.url}${opts.path ?? '/sso/login'}?${q}`, { redirect: 'manual' });
  const location = res.headers.get('location') ?? '';
  assert.equal(res.status, 302, `${res.status} ${location} ${await res.text()}`);
  assert.ok(location.startsWith(`${w.idpLoginUrl}?`), location);
  return { ...parseAuthnRequest(location), location };
}

/** The IdP's Response to a request, for `nameId`, valid in every respect unless `o` says otherwise. */
function answer(w: World, req: AuthnRequest, o: Partial<ResponseOptions> & { nameId: string }, what: SignWhat = 'assertion', signer: Idp = w.idp): string {
  return issueResponse(signer, { issuer: w.idp.entityId, inResponseTo: req.id, destination: w.acs, audience: w.sp.entityId, ...o }, what);
}

interface Posted {
  status: number;
  location: string | null;
  type: string;
  setCookie: string[];
  text: string;
}

/** A browser posting a form (application/x-www-form-urlencoded) without following redirects. */
async function postForm(url: string, body: string, headers: Record<string, string> = {}): Promise<Posted> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type') ?? '', setCookie: res.headers.getSetCookie(), text: await res.text() };
}

/** A browser GET without following redirects. */
async function browse(url: string, headers: Record<string, string> = {}): Promise<Posted> {
  const res = await fetch(url, { headers, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type') ?? '', setCookie: res.headers.getSetCookie(), text: await res.text() };
}

/** The IdP's browser posting a Response (and RelayState) to Parley's ACS. */
const postResponse = (w: World, xml: string, relayState?: string) => postForm(w.acs, postBody(xml, relayState));

/** The session cookie a response set, checked for the attributes a cross-site frame needs. */
function sessionCookie(res: Posted): string {
  const set = res.setCookie.find((c) => c.startsWith(`${COOKIE}=`));
  assert.ok(set, `no session cookie in ${JSON.stringify(res.setCookie)}`);
  const [pair, ...attrs] = set.split(';').map((s) => s.trim());
  const names = attrs.map((a) => a.split('=')[0]!.toLowerCase());
  for (const a of ['httponly', 'secure', 'partitioned']) assert.ok(names.includes(a), `${a} missing: ${set}`);
  assert.ok(attrs.some((a) => a.toLowerCase() === 'path=/'), set);
  assert.ok(attrs.some((a) => a.toLowerCase() === 'samesite=none'), set);
  assert.ok(!names.includes('domain'), `a __Host- cookie has no Domain: ${set}`);
  const value = pair!.slice(COOKIE.length + 1);
  assert.ok(value.length > 20, set);
  return `${COOKIE}=${value}`;
}

/** GET /api/v1/auth/session with a cookie (or none). */
async function session(app: Running, cookie?: string) {
  const res = await fetch(`${app.url}/api/v1/auth/session`, { headers: cookie ? { cookie } : {} });
  const text = await res.text();
  return { status: res.status, body: (res.headers.get('content-type') ?? '').includes('json') && text ? (JSON.parse(text) as Json) : text };
}

/** What a refusal page says (its alert), for failure messages. */
const alertOf = (html: string): string => /role="alert">([^<]*)</.exec(html)?.[1] ?? html.slice(0, 300);

/** A successful sign-in: 303 to `returnTo` with the session cookie, whose session is the agent's. */
async function assertSignedIn(w: World, res: Posted, agent: { id?: number; email: string }, returnTo: string): Promise<{ cookie: string; session: Json }> {
  assert.equal(res.status, 303, `${res.status} ${alertOf(res.text)}`);
  assert.equal(res.location, returnTo);
  const cookie = sessionCookie(res);
  const s = await session(w.app, cookie);
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.email, agent.email);
  if (agent.id !== undefined) assert.equal(s.body.agentId, agent.id);
  assert.equal(s.body.siteId, w.siteId);
  assert.equal(s.body.method, 'saml');
  assert.equal(typeof s.body.csrfToken, 'string');
  assert.ok(s.body.csrfToken.length >= 16);
  assert.ok(Date.parse(s.body.expiresAt) > Date.now(), s.body.expiresAt);
  return { cookie, session: s.body };
}

/** A refused sign-in: a 4xx HTML page, no cookie, no redirect, and nobody signed in. */
async function assertRefused(w: World, res: Posted, why: string, statuses: number[] = []): Promise<void> {
  if (res.status === 303) {
    const s = await session(w.app, sessionCookie(res));
    assert.fail(`${why}: accepted, signed in as ${s.body.email} (agent ${s.body.agentId})`);
  }
  assert.ok(res.status >= 400 && res.status < 500, `${why}: ${res.status} ${res.location ?? ''} ${alertOf(res.text)}`);
  if (statuses.length > 0) assert.ok(statuses.includes(res.status), `${why}: ${res.status}`);
  assert.match(res.type, /^text\/html/, `${why}: ${res.type} ${res.text.slice(0, 200)}`);
  assert.match(res.text, /<html|<!doctype html/i, why);
  assert.deepEqual(res.setCookie, [], `${why}: a cookie was set`);
  assert.equal(res.location, null, why);
  assert.equal((await session(w.app)).status, 401, why);
}

/** The CSRF token the console page carries. */
function csrfOfPage(html: string): string {
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(token, 'no CSRF token on the page');
  return token;
}

/** The console URL a sign-in returns to by default. */
const consoleUrl = (w: World) => `${w.app.url}/console?siteId=${w.siteId}`;

test('SAML settings: the partner configures its IdP, sees Parley as SP and its metadata; bad settings are refused', async (t) => {
  const app = await startParley(t, LIMITS);
  const partner = await approvedPartner(app);
  const idp = await createIdp();

  const before = await partner.portal.get('/api/v1/partner/sso');
  assert.equal(before.status, 200, JSON.stringify(before.body));
  assert.equal(before.body.saml, null);
  assert.equal(before.body.primarySSO, null);
  const sp = before.body.serviceProvider;
  assert.ok(sp.entityId && sp.acsUrl && sp.metadataUrl, JSON.stringify(sp));
  assert.match(new URL(sp.acsUrl).pathname, /^\/sso\/saml\/acs$/);
  // Parley's signing certificate is a real X.509 certificate.
  const spCert = new X509Certificate(sp.certificate);
  assert.ok(Date.parse(spCert.validTo) > Date.now());

  const loginUrl = 'https://idp.customer.example/saml/sso';
  const good = { loginUrl, logoutUrl: 'https://idp.customer.example/saml/slo', idpEntityId: idp.entityId, certificates: [idp.certPem], jitProvisioning: true };
  const put = await partner.portal.put('/api/v1/partner/sso/saml', good);
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const fingerprint = new X509Certificate(idp.certPem).fingerprint256;
  assert.equal(put.body.saml.loginUrl, loginUrl);
  assert.equal(put.body.saml.idpEntityId, idp.entityId);
  assert.equal(put.body.saml.jitProvisioning, true);
  assert.equal(put.body.saml.certificates.length, 1);
  assert.equal(put.body.saml.certificates[0].fingerprint, fingerprint);
  assert.ok(Date.parse(put.body.saml.certificates[0].notAfter) > Date.now());
  assert.equal(put.body.primarySSO, 'SAML');
  assert.deepEqual((await partner.portal.get('/api/v1/partner/sso')).body, put.body);

  // A platform admin sees the same settings.
  const admin = await platformAdmin(app);
  const seen = await admin.get(`/api/v1/platform/partners/${partner.partnerId}/sso`);
  assert.equal(seen.status, 200, JSON.stringify(seen.body));
  assert.deepEqual(seen.body.saml, put.body.saml);

  // Metadata: an EntityDescriptor naming the SP entity id.
  const md = await fetch(`${app.url}/sso/saml/metadata/${partner.partnerId}`);
  assert.equal(md.status, 200);
  assert.match(md.headers.get('content-type') ?? '', /xml/);
  const root = parseXml(await md.text()).documentElement!;
  assert.equal(root.localName, 'EntityDescriptor');
  assert.equal(root.getAttribute('entityID'), sp.entityId);

  // Refused, and nothing changes.
  const attacker = await createAttackerIdp();
  const sixCerts = await Promise.all(Array.from({ length: 6 }, (_, i) => createCertificate(`idp-${i}.customer.example`).then((c) => c.certPem)));
  assert.equal((await partner.portal.put('/api/v1/partner/sso/saml', { ...good, certificates: sixCerts.slice(0, 5) })).status, 200, 'five certificates are allowed');
  assert.equal((await partner.portal.put('/api/v1/partner/sso/saml', good)).status, 200);
  const refusedBodies: [string, Json][] = [
    ['plain http to another host', { ...good, loginUrl: 'http://idp.customer.example/sso' }],
    ['not a URL', { ...good, loginUrl: 'idp.customer.example' }],
    ['javascript: URL', { ...good, logoutUrl: 'javascript:alert(1)' }],
    ['no certificates', { ...good, certificates: [] }],
    ['six certificates', { ...good, certificates: sixCerts }],
    ['the same certificate twice', { ...good, certificates: [idp.certPem, idp.certPem] }],
    ['not a certificate', { ...good, certificates: ['-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----'] }],
    ['a private key', { ...good, certificates: [attacker.keyPem] }],
    ['no entity id', { loginUrl, certificates: [idp.certPem] }],
  ];
  for (const [why, body] of refusedBodies) {
    const res = await partner.portal.put('/api/v1/partner/sso/saml', body);
    assert.equal(res.status, 400, `${why}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  assert.deepEqual((await partner.portal.get('/api/v1/partner/sso')).body, put.body);

  // Plain http is allowed for an IdP on this machine.
  const local = await partner.portal.put('/api/v1/partner/sso/saml', { ...good, loginUrl: 'http://127.0.0.1:8080/sso', logoutUrl: null });
  assert.equal(local.status, 200, JSON.stringify(local.body));
  assert.equal(local.body.saml.logoutUrl, null);

  // A platform admin can change them too.
  const byAdmin = await admin.put(`/api/v1/platform/partners/${partner.partnerId}/sso/saml`, { ...good, jitProvisioning: false });
  assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
  assert.equal((await partner.portal.get('/api/v1/partner/sso')).body.saml.jitProvisioning, false);

  // Another partner's portal sees its own (empty) settings, not these; the portal needs a login.
  const other = await approvedPartner(app);
  assert.equal((await other.portal.get('/api/v1/partner/sso')).body.saml, null);
  assert.equal((await client(app.url).get('/api/v1/partner/sso')).status, 401);
  assert.equal((await client(app.url).put('/api/v1/partner/sso/saml', good)).status, 401);
});

test('SAML sign-in and logout', async (t) => {
  const app = await startParley(t, LIMITS);
  const w = await samlWorld(app, { jit: true });
  const alice = await addAgent(w, 'alice@customer.example', 'Alice');

  await t.test('the AuthnRequest is signed by Parley and names its SP entity id and this ACS', async () => {
    const req = await startLogin(w);
    assert.match(req.id, /^[A-Za-z_][\w.-]*$/);
    assert.equal(req.issuer, w.sp.entityId);
    assert.equal(req.acsUrl, w.acs);
    assert.equal(req.destination, w.idpLoginUrl);
    assert.equal(req.sigAlg, ALG.rsaSha256);
    assert.ok(req.signatureValid(w.sp.certificate), 'the AuthnRequest signature does not verify with the SP certificate');
    const attacker = await createAttackerIdp();
    assert.equal(req.signatureValid(attacker.certPem), false);
    // The console sends a signed-out agent the same way.
    const fromConsole = await startLogin(w, { path: '/console' });
    assert.ok(fromConsole.signatureValid(w.sp.certificate));
    assert.notEqual(fromConsole.id, req.id);
  });

  await t.test('an agent signs in: 303 to the console with a session cookie', async () => {
    const req = await startLogin(w);
    const res = await postResponse(w, answer(w, req, { nameId: alice.email, attributes: { email: alice.email, name: 'Alice' } }), req.relayState ?? undefined);
    const { cookie, session: s } = await assertSignedIn(w, res, alice, consoleUrl(w));
    assert.equal(s.name, 'Alice');
    // The cookie is what signs the browser in: the console app comes with the session's CSRF token.
    const page = await browse(consoleUrl(w), { cookie });
    assert.equal(page.status, 200, `${page.status} ${page.location}`);
    assert.match(page.type, /^text\/html/);
    assert.equal(csrfOfPage(page.text), s.csrfToken);
    // Without the cookie, the console sends the browser to the IdP instead.
    const anonymous = await browse(consoleUrl(w));
    assert.equal(anonymous.status, 302);
    assert.ok(anonymous.location?.startsWith(`${w.idpLoginUrl}?`), anonymous.location ?? '');
  });

  await t.test('an e-mail NameID maps to the agent with that e-mail, in any case, every time', async () => {
    const bob = await addAgent(w, 'bob@customer.example', 'Bob');
    for (const nameId of ['Bob@Customer.Example', 'bob@customer.example', 'BOB@customer.example']) {
      const req = await startLogin(w);
      await assertSignedIn(w, await postResponse(w, answer(w, req, { nameId }), req.relayState ?? undefined), bob, consoleUrl(w));
    }
  });

  await t.test("an opaque NameID is linked to the agent of the e-mail attribute, and then finds that agent by itself", async () => {
    const carol = await addAgent(w, 'carol@customer.example', 'Carol');
    const persistent = { nameId: 'u-4711', nameIdFormat: NAMEID.persistent };
    const r1 = await startLogin(w);
    await assertSignedIn(w, await postResponse(w, answer(w, r1, { ...persistent, attributes: { email: carol.email } }), r1.relayState ?? undefined), carol, consoleUrl(w));
    // The NameID alone finds Carol now.
    const r2 = await startLogin(w);
    await assertSignedIn(w, await postResponse(w, answer(w, r2, persistent), r2.relayState ?? undefined), carol, consoleUrl(w));
    // Another NameID claiming Carol's e-mail is not Carol.
    const r3 = await startLogin(w);
    const res = await postResponse(w, answer(w, r3, { nameId: 'u-9999', nameIdFormat: NAMEID.persistent, attributes: { email: carol.email } }), r3.relayState ?? undefined);
    await assertRefused(w, res, 'another NameID with a linked e-mail', [403]);
  });

  await t.test('JIT provisioning: an unknown user becomes an agent with the e-mail and name the IdP sent', async () => {
    const email = 'new.hire@customer.example';
    assert.ok(!(await agentEmails(w)).includes(email));
    const req = await startLogin(w);
    const res = await postResponse(w, answer(w, req, { nameId: email, attributes: { email, name: 'New Hire' } }), req.relayState ?? undefined);
    const { session: s } = await assertSignedIn(w, res, { email }, consoleUrl(w));
    assert.equal(s.name, 'New Hire');
    const agents = (await w.admin.get('/api/v1/agents')).body as Json[];
    const made = agents.find((a) => a.email === email);
    assert.ok(made, 'no agent was created');
    assert.equal(made.id, s.agentId);
    assert.equal(made.name, 'New Hire');
    assert.equal(made.role, 'agent');
    // The second sign-in finds the same agent.
    const again = await startLogin(w);
    await assertSignedIn(w, await postResponse(w, answer(w, again, { nameId: email, attributes: { email, name: 'New Hire' } }), again.relayState ?? undefined), { id: made.id, email }, consoleUrl(w));
  });

  await t.test('without JIT provisioning an unknown user is refused and no agent is made', async () => {
    const strict = await samlWorld(app, { jit: false });
    const before = await agentEmails(strict);
    const req = await startLogin(strict);
    const res = await postResponse(strict, answer(strict, req, { nameId: 'stranger@customer.example', attributes: { email: 'stranger@customer.example', name: 'S' } }), req.relayState ?? undefined);
    await assertRefused(strict, res, 'unknown user without JIT', [403]);
    assert.deepEqual(await agentEmails(strict), before);
  });

  await t.test('return_to is honoured through RelayState; other origins are refused', async () => {
    const target = `/console?siteId=${w.siteId}&tab=chats`;
    const req = await startLogin(w, { returnTo: target });
    assert.ok(req.relayState, 'no RelayState');
    assert.ok(req.signatureValid(w.sp.certificate));
    const res = await postResponse(w, answer(w, req, { nameId: alice.email }), req.relayState ?? undefined);
    await assertSignedIn(w, res, alice, `${w.app.url}${target}`);

    for (const evil of ['https://evil.example/steal', '//evil.example/steal', 'javascript:alert(1)', `${w.app.url.replace('127.0.0.1', 'localhost')}/console`, 'https://evil.example\\@127.0.0.1/']) {
      const q = new URLSearchParams({ siteId: String(w.siteId), return_to: evil });
      const refused = await browse(`${w.app.url}/sso/login?${q}`);
      assert.equal(refused.status, 400, `${evil}: ${refused.status} ${refused.location}`);
      assert.match(refused.type, /^text\/html/, evil);
      assert.equal(refused.location, null, evil);
      assert.deepEqual(refused.setCookie, [], evil);
    }

    // A RelayState changed on the way back to another origin is not followed.
    const r2 = await startLogin(w);
    const tampered = await postResponse(w, answer(w, r2, { nameId: alice.email }), 'https://evil.example/steal');
    assert.notEqual(tampered.location, 'https://evil.example/steal');
    if (tampered.status === 303) assert.ok(tampered.location?.startsWith(`${w.app.url}/`), tampered.location ?? '');
    else await assertRefused(w, tampered, 'RelayState to another origin');
  });

  await t.test('the AuthnRequest signature verifies over the query as sent, whatever the return address holds', async () => {
    // Characters the two URL encoders of Node (querystring, URLSearchParams) write differently.
    for (const q of ['(me)', 'yes!', 'a~b', "it's", 'a b', 'a*b']) {
      const req = await startLogin(w, { returnTo: `/console?siteId=${w.siteId}&q=${q}` });
      assert.ok(req.signatureValid(w.sp.certificate), `return_to with ${q}: the signature does not verify over ${req.location.split('&RelayState=')[1]?.split('&')[0]}`);
    }
  });

  await t.test('IdP-initiated logout by redirect: signed, it ends the session and answers with a signed LogoutResponse', async () => {
    const sessionIndex = samlId();
    const req = await startLogin(w);
    const { cookie } = await assertSignedIn(w, await postResponse(w, answer(w, req, { nameId: alice.email, sessionIndex }), req.relayState ?? undefined), alice, consoleUrl(w));

    // Unsigned: refused, the session lives on.
    const unsigned = await browse(idpLogoutRedirect(w.idp, w.slo, { nameId: alice.email, sessionIndex, signed: false }));
    assert.ok(unsigned.status >= 400 && unsigned.status < 500, `${unsigned.status} ${unsigned.location}`);
    assert.equal(unsigned.location, null);
    assert.equal((await session(app, cookie)).status, 200);
    // Signed by another key: refused too.
    const attacker = await createAttackerIdp();
    const forged = await browse(idpLogoutRedirect({ ...attacker, entityId: w.idp.entityId }, w.slo, { nameId: alice.email, sessionIndex }));
    assert.ok(forged.status >= 400 && forged.status < 500, `${forged.status} ${forged.location}`);
    assert.equal((await session(app, cookie)).status, 200);

    const id = samlId();
    const res = await browse(idpLogoutRedirect(w.idp, w.slo, { id, nameId: alice.email, sessionIndex, relayState: 'idp-state-1' }));
    assert.equal(res.status, 302, `${res.status} ${res.text.slice(0, 300)}`);
    assert.ok(res.location?.startsWith(`${w.idpLogoutUrl}?`), res.location ?? '');
    const lr = parseLogoutResponse(res.location!);
    assert.equal(lr.inResponseTo, id);
    assert.equal(lr.status, statusUri('Success'));
    assert.equal(lr.issuer, w.sp.entityId);
    assert.equal(lr.relayState, 'idp-state-1');
    assert.ok(lr.signatureValid(w.sp.certificate), 'the LogoutResponse signature does not verify');
    assert.equal((await session(app, cookie)).status, 401);

    // The same logout request again is not accepted twice.
    const replay = await browse(idpLogoutRedirect(w.idp, w.slo, { id, nameId: alice.email, sessionIndex, relayState: 'idp-state-1' }));
    assert.ok(replay.status >= 400 && replay.status < 500, `${replay.status}`);
  });

  await t.test("the LogoutResponse signature verifies over the query as sent, whatever the IdP's RelayState holds", async () => {
    for (const relayState of ['state (1)', 'done!', 'a~b', "it's", 'a b', 'a*b']) {
      const sessionIndex = samlId();
      const req = await startLogin(w);
      await assertSignedIn(w, await postResponse(w, answer(w, req, { nameId: alice.email, sessionIndex }), req.relayState ?? undefined), alice, consoleUrl(w));
      const res = await browse(idpLogoutRedirect(w.idp, w.slo, { nameId: alice.email, sessionIndex, relayState }));
      assert.equal(res.status, 302, alertOf(res.text));
      const lr = parseLogoutResponse(res.location!);
      assert.equal(lr.relayState, relayState);
      assert.ok(lr.signatureValid(w.sp.certificate), `RelayState ${relayState}: the signature does not verify over ${res.location!.split('&RelayState=')[1]?.split('&')[0]}`);
    }
  });

  await t.test('IdP-initiated logout by POST: an XML-signed LogoutRequest ends the session', async () => {
    const sessionIndex = samlId();
    const req = await startLogin(w);
    const { cookie } = await assertSignedIn(w, await postResponse(w, answer(w, req, { nameId: alice.email, sessionIndex }), req.relayState ?? undefined), alice, consoleUrl(w));

    const unsigned = await postForm(w.slo, idpLogoutPost(w.idp, w.slo, { nameId: alice.email, sessionIndex, signed: false }));
    assert.ok(unsigned.status >= 400 && unsigned.status < 500, `${unsigned.status} ${unsigned.location}`);
    assert.equal((await session(app, cookie)).status, 200);

    const id = samlId();
    const res = await postForm(w.slo, idpLogoutPost(w.idp, w.slo, { id, nameId: alice.email, sessionIndex, relayState: 'idp-state-2' }));
    assert.ok(res.status === 302 || res.status === 303, `${res.status} ${res.text.slice(0, 300)}`);
    const lr = parseLogoutResponse(res.location!);
    assert.equal(lr.endpoint, w.idpLogoutUrl);
    assert.equal(lr.inResponseTo, id);
    assert.equal(lr.status, statusUri('Success'));
    assert.ok(lr.signatureValid(w.sp.certificate));
    assert.equal((await session(app, cookie)).status, 401);
  });

  await t.test('SP-initiated logout: with the CSRF token the session ends and the IdP gets a signed LogoutRequest', async () => {
    const sessionIndex = samlId();
    const req = await startLogin(w);
    const { cookie, session: s } = await assertSignedIn(w, await postResponse(w, answer(w, req, { nameId: alice.email, sessionIndex }), req.relayState ?? undefined), alice, consoleUrl(w));

    // Without the CSRF token (a form another site could post): refused, still signed in.
    const forged = await postForm(`${app.url}/sso/logout`, '', { cookie });
    assert.equal(forged.status, 403, `${forged.status} ${forged.text.slice(0, 200)}`);
    const wrong = await postForm(`${app.url}/sso/logout`, new URLSearchParams({ _csrf: 'x'.repeat(43) }).toString(), { cookie });
    assert.equal(wrong.status, 403);
    assert.equal((await session(app, cookie)).status, 200);

    // The agent presses "Sign out" on the console: its form carries the CSRF token.
    const page = await browse(consoleUrl(w), { cookie });
    assert.equal(csrfOfPage(page.text), s.csrfToken);
    const res = await postForm(`${app.url}/sso/logout`, new URLSearchParams({ _csrf: csrfOfPage(page.text) }).toString(), { cookie });
    assert.equal(res.status, 303, `${res.status} ${res.text.slice(0, 300)}`);
    assert.equal((await session(app, cookie)).status, 401);
    assert.ok(res.location?.startsWith(`${w.idpLogoutUrl}?`), res.location ?? '');
    const lr = parseLogoutRequest(res.location!);
    assert.equal(lr.nameId, alice.email);
    assert.deepEqual(lr.sessionIndexes, [sessionIndex]);
    assert.equal(lr.issuer, w.sp.entityId);
    assert.equal(lr.destination, w.idpLogoutUrl);
    assert.equal(lr.sigAlg, ALG.rsaSha256);
    assert.ok(lr.signatureValid(w.sp.certificate), 'the LogoutRequest signature does not verify');
    // The cookie is cleared in the browser too.
    const cleared = res.setCookie.find((c) => c.startsWith(`${COOKIE}=`));
    if (cleared) assert.match(cleared, /Max-Age=0|Expires=Thu, 01 Jan 1970/i);

    // The IdP answers with a signed LogoutResponse; the browser is shown that it is signed out.
    const back = await browse(idpLogoutResponseRedirect(w.idp, lr, w.slo));
    if (back.status >= 300 && back.status < 400) {
      assert.ok(back.location?.startsWith(`${app.url}/`) || back.location?.startsWith('/'), back.location ?? '');
    } else {
      assert.equal(back.status, 200, back.text.slice(0, 300));
      assert.match(back.type, /^text\/html/);
      assert.match(back.text, /<title>Signed out<\/title>/);
    }
    assert.deepEqual(
      back.setCookie.filter((c) => c.startsWith(`${COOKIE}=`) && !/Max-Age=0/i.test(c)),
      [],
    );
    assert.equal((await session(app, cookie)).status, 401);
  });

  await t.test('certificate rotation: every listed certificate is trusted, a removed one no longer is', async () => {
    const next = await createIdp(w.idp.entityId);
    const settings = { loginUrl: w.idpLoginUrl, logoutUrl: w.idpLogoutUrl, idpEntityId: w.idp.entityId, jitProvisioning: true };
    const signIn = async (signer: Idp) => {
      const req = await startLogin(w);
      return postResponse(w, answer(w, req, { nameId: alice.email }, 'assertion', signer), req.relayState ?? undefined);
    };
    // Before the new certificate is listed, its signatures are refused.
    await assertRefused(w, await signIn(next), 'a certificate not yet listed');
    assert.equal((await w.partner.portal.put('/api/v1/partner/sso/saml', { ...settings, certificates: [w.idp.certPem, next.certPem] })).status, 200);
    await assertSignedIn(w, await signIn(w.idp), alice, consoleUrl(w));
    await assertSignedIn(w, await signIn(next), alice, consoleUrl(w));
    // The old one is removed: only the new one works.
    assert.equal((await w.partner.portal.put('/api/v1/partner/sso/saml', { ...settings, certificates: [next.certPem] })).status, 200);
    await assertRefused(w, await signIn(w.idp), 'a removed certificate');
    await assertSignedIn(w, await signIn(next), alice, consoleUrl(w));
    // Back as it was, for whatever runs next.
    assert.equal((await w.partner.portal.put('/api/v1/partner/sso/saml', { ...settings, certificates: [w.idp.certPem] })).status, 200);
  });
});

test('SAML attacks: every forged, altered or misdirected Response is refused and nobody is signed in', async (t) => {
  const app = await startParley(t, LIMITS);
  const w = await samlWorld(app, { jit: true });
  const victim = await addAgent(w, 'victim@x.example', 'Victim');
  const mallory = await addAgent(w, 'mallory@x.example', 'Mallory');
  const agentsBefore = await agentEmails(w);

  /** Starts a sign-in and posts what `attack` makes of it; expects a refusal. */
  const refuses = async (why: string, attack: (req: AuthnRequest) => string, opts: { relayState?: string; statuses?: number[] } = {}) => {
    const req = await startLogin(w);
    const res = await postResponse(w, attack(req), opts.relayState ?? req.relayState ?? undefined);
    await assertRefused(w, res, why, opts.statuses);
  };
  const mallorys = (req: AuthnRequest, what: SignWhat = 'assertion') => answer(w, req, { nameId: mallory.email, attributes: { email: mallory.email } }, what);

  await t.test('control: Mallory, a genuine agent, signs in as herself', async () => {
    for (const what of ['assertion', 'response', 'both'] as const) {
      const req = await startLogin(w);
      await assertSignedIn(w, await postResponse(w, mallorys(req, what), req.relayState ?? undefined), mallory, consoleUrl(w));
    }
  });

  await t.test('unsigned Response', () => refuses('unsigned', (req) => samlResponse({ issuer: w.idp.entityId, inResponseTo: req.id, destination: w.acs, audience: w.sp.entityId, nameId: victim.email })));

  await t.test("signed by another key, with the attacker's certificate in KeyInfo", async () => {
    const attacker = await createAttackerIdp(w.idp.entityId);
    for (const what of ['assertion', 'response', 'both'] as const) {
      await refuses(`attacker key (${what})`, (req) => answer(w, req, { nameId: victim.email }, what, attacker));
    }
  });

  await t.test('NameID edited after signing', async () => {
    await refuses('edited NameID (assertion signed)', (req) => editNameId(mallorys(req), victim.email));
    await refuses('edited NameID (response signed)', (req) => editNameId(mallorys(req, 'response'), victim.email));
    await refuses('edited NameID (both signed)', (req) => editNameId(mallorys(req, 'both'), victim.email));
  });

  for (const n of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
    await t.test(`XSW${n}`, () => refuses(`XSW${n}`, (req) => xsw(n, mallorys(req, n <= 2 ? 'both' : 'assertion'), victim.email)));
  }

  await t.test('comment-injected NameID does not sign in as the agent it was cut down to', async () => {
    // The IdP vouches for "victim@x.example.evil.example", a user of the attacker's own domain.
    const longer = await addAgent(w, 'victim@x.example.evil.example', 'Not the victim');
    const req = await startLogin(w);
    const res = await postResponse(w, injectComment(answer(w, req, { nameId: longer.email }), victim.email), req.relayState ?? undefined);
    if (res.status === 303) {
      // Taking the whole text is right: that is who the IdP signed for.
      const s = await session(app, sessionCookie(res));
      assert.equal(s.body.email, longer.email);
      assert.notEqual(s.body.agentId, victim.id);
    } else {
      await assertRefused(w, res, 'comment injection');
    }
    // With no such agent (and JIT on), it must not become the victim either.
    const req2 = await startLogin(w);
    const res2 = await postResponse(w, injectComment(answer(w, req2, { nameId: 'victim@x.example.other.example' }), victim.email), req2.relayState ?? undefined);
    if (res2.status === 303) {
      const s = await session(app, sessionCookie(res2));
      assert.notEqual(s.body.agentId, victim.id);
      assert.equal(s.body.email, 'victim@x.example.other.example');
    } else {
      await assertRefused(w, res2, 'comment injection (no such agent)');
    }
  });

  const victimsUnsignedAssertion = (req: AuthnRequest) =>
    assertionOf(samlResponse({ issuer: w.idp.entityId, inResponseTo: req.id, destination: w.acs, audience: w.sp.entityId, nameId: victim.email }));
  const signedError = (req: AuthnRequest) => answer(w, req, { nameId: victim.email, status: 'Responder', statusMessage: 'Authentication failed' }, 'response');

  await t.test('signed error Response with an appended Assertion', async () => {
    await refuses('error Response alone', (req) => signedError(req));
    await refuses('error Response, appended Assertion', (req) => withAppendedAssertion(signedError(req), victimsUnsignedAssertion(req)));
    // Even a genuinely signed Assertion does not turn an error into a success.
    await refuses('error Response, appended signed Assertion', (req) => withAppendedAssertion(signedError(req), assertionOf(mallorys(req))));
  });

  await t.test('a signed Response followed by an extra root element', async () => {
    await refuses('error Response, extra root Assertion', (req) => withExtraRoot(signedError(req), victimsUnsignedAssertion(req)));
    await refuses('success Response, extra root Assertion', (req) => withExtraRoot(mallorys(req), victimsUnsignedAssertion(req)));
  });

  await t.test('expired', async () => {
    const past = new Date(Date.now() - 20 * MINUTE);
    await refuses('expired', (req) => answer(w, req, { nameId: mallory.email, issueInstant: past, notBefore: new Date(past.getTime() - MINUTE), notOnOrAfter: new Date(Date.now() - 10 * MINUTE) }));
    await refuses('subject confirmation expired', (req) => answer(w, req, { nameId: mallory.email, subjectNotOnOrAfter: new Date(Date.now() - 10 * MINUTE) }));
  });

  await t.test('not yet valid', () => refuses('not yet valid', (req) => answer(w, req, { nameId: mallory.email, notBefore: new Date(Date.now() + 10 * MINUTE), notOnOrAfter: new Date(Date.now() + 20 * MINUTE) })));

  await t.test('replayed: the same Response posted twice signs in once', async () => {
    const req = await startLogin(w);
    const body = postBody(mallorys(req), req.relayState ?? undefined);
    const first = await postForm(w.acs, body);
    await assertSignedIn(w, first, mallory, consoleUrl(w));
    await assertRefused(w, await postForm(w.acs, body), 'replayed Response');
    // The same Assertion under a new Response for a new request is still used up.
    const req2 = await startLogin(w);
    const assertion = assertionOf(Buffer.from(new URLSearchParams(body).get('SAMLResponse')!, 'base64').toString());
    const wrapped = samlResponse({ issuer: w.idp.entityId, inResponseTo: req2.id, destination: w.acs, audience: w.sp.entityId, nameId: mallory.email, withAssertion: false }).replace(
      '</saml2p:Response>',
      `${assertion}</saml2p:Response>`,
    );
    await assertRefused(w, await postResponse(w, wrapped, req2.relayState ?? undefined), 'replayed Assertion in a new Response');
  });

  await t.test('wrong audience, destination, recipient or issuer', async () => {
    await refuses('wrong audience', (req) => answer(w, req, { nameId: mallory.email, audience: 'https://other-sp.example/saml' }));
    await refuses('no audience', (req) => answer(w, req, { nameId: mallory.email, audience: null }));
    await refuses('wrong destination', (req) => answer(w, req, { nameId: mallory.email, destination: 'https://other-sp.example/acs', recipient: w.acs }));
    await refuses('wrong recipient', (req) => answer(w, req, { nameId: mallory.email, recipient: 'https://other-sp.example/acs' }));
    await refuses('wrong issuer', (req) => answer(w, req, { nameId: mallory.email, issuer: 'https://other-idp.example/saml' }));
    await refuses('wrong assertion issuer', (req) => answer(w, req, { nameId: mallory.email, assertionIssuer: 'https://other-idp.example/saml' }));
    await refuses('wrong response issuer', (req) => answer(w, req, { nameId: mallory.email, responseIssuer: 'https://other-idp.example/saml' }));
  });

  await t.test('unknown InResponseTo, and none (unsolicited)', async () => {
    await refuses('unknown InResponseTo', () => issueResponse(w.idp, { issuer: w.idp.entityId, inResponseTo: samlId(), destination: w.acs, audience: w.sp.entityId, nameId: mallory.email }));
    await refuses('unsolicited', () => issueResponse(w.idp, { issuer: w.idp.entityId, inResponseTo: null, destination: w.acs, audience: w.sp.entityId, nameId: mallory.email }));
    await refuses('unsolicited, both signed', () => issueResponse(w.idp, { issuer: w.idp.entityId, inResponseTo: null, destination: w.acs, audience: w.sp.entityId, nameId: mallory.email }, 'both'));
    // The SubjectConfirmationData naming another request.
    await refuses('assertion answers another request', (req) => answer(w, req, { nameId: mallory.email }).replace(/(SubjectConfirmationData[^>]*InResponseTo=")[^"]+/, `$1${samlId()}`));
  });

  await t.test("a Response of partner A's IdP on a sign-in started for partner B", async () => {
    const b = await samlWorld(app, { jit: true });
    await addAgent(b, mallory.email, 'Mallory at B');
    const before = await agentEmails(b);
    const req = await startLogin(b);
    // Everything of A (its IdP, key, SP entity id), answering B's request at the same ACS.
    const res = await postResponse(w, answer(w, req, { nameId: mallory.email }, 'both'), req.relayState ?? undefined);
    await assertRefused(w, res, 'cross-partner Response');
    // B's IdP addressing A's SP entity id is refused as well.
    const req2 = await startLogin(b);
    const res2 = await postResponse(b, issueResponse(b.idp, { issuer: b.idp.entityId, inResponseTo: req2.id, destination: b.acs, audience: w.sp.entityId, nameId: mallory.email }), req2.relayState ?? undefined);
    await assertRefused(b, res2, "B's IdP with A's audience");
    assert.deepEqual(await agentEmails(b), before);
  });

  await t.test('DOCTYPE with internal entities', async () => {
    await refuses('entity expansion in NameID', (req) => withDoctype(mallorys(req)));
    await refuses('DOCTYPE declared only', (req) => withDoctype(mallorys(req), { inNameId: false }));
  });

  await t.test('oversize payload', async () => {
    const req = await startLogin(w);
    const huge = `${mallorys(req).replace('</saml2p:Response>', '')}<!--${'x'.repeat(2 * 1024 * 1024)}--></saml2p:Response>`;
    const res = await postResponse(w, huge, req.relayState ?? undefined);
    assert.ok(res.status === 413 || res.status === 400, `${res.status}`);
    assert.deepEqual(res.setCookie, []);
    assert.equal(res.location, null);
    assert.equal((await session(app)).status, 401);
  });

  await t.test('garbage and malformed XML are refused with a page, not a server error', async () => {
    await assertRefused(w, await postForm(w.acs, 'SAMLResponse=not-base64-%%%'), 'garbage');
    await assertRefused(w, await postForm(w.acs, ''), 'empty form');
    await assertRefused(w, await postForm(w.acs, postBody('hello')), 'text');
    await assertRefused(w, await postForm(w.acs, postBody('<saml2p:Response')), 'not XML');
    await assertRefused(w, await postForm(w.acs, postBody(`<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol"></saml2p:Respons>`)), 'mismatched tags');
    const badLogout = await postForm(w.slo, postBody('<saml2p:LogoutRequest', undefined, 'SAMLRequest'));
    assert.ok(badLogout.status >= 400 && badLogout.status < 500, `malformed LogoutRequest: ${badLogout.status} ${alertOf(badLogout.text)}`);
  });

  await t.test('refused JIT sign-ins create no agent', async () => {
    const fresh = 'fresh.user@x.example';
    const before = await agentEmails(w);
    const attacker = await createAttackerIdp(w.idp.entityId);
    await refuses('JIT: unsigned', (req) => samlResponse({ issuer: w.idp.entityId, inResponseTo: req.id, destination: w.acs, audience: w.sp.entityId, nameId: fresh, attributes: { email: fresh } }));
    await refuses('JIT: attacker key', (req) => answer(w, req, { nameId: fresh, attributes: { email: fresh } }, 'assertion', attacker));
    await refuses('JIT: XSW3', (req) => xsw(3, mallorys(req), fresh));
    await refuses('JIT: expired', (req) => answer(w, req, { nameId: fresh, notOnOrAfter: new Date(Date.now() - 10 * MINUTE) }));
    assert.deepEqual(await agentEmails(w), before);
    assert.ok(!(await agentEmails(w)).includes(fresh));
    // And the attacks above made no agent either (the comment-injection test added one itself).
    assert.deepEqual(
      (await agentEmails(w)).filter((e) => !agentsBefore.includes(e)),
      before.filter((e) => !agentsBefore.includes(e)),
    );
  });

  await t.test('unsigned IdP logout is refused', async () => {
    const req = await startLogin(w);
    const sessionIndex = samlId();
    const { cookie } = await assertSignedIn(w, await postResponse(w, answer(w, req, { nameId: victim.email, sessionIndex }), req.relayState ?? undefined), victim, consoleUrl(w));
    for (const url of [
      idpLogoutRedirect(w.idp, w.slo, { nameId: victim.email, sessionIndex, signed: false }),
      idpLogoutRedirect(w.idp, w.slo, { nameId: victim.email, signed: false }),
    ]) {
      const res = await browse(url);
      assert.ok(res.status >= 400 && res.status < 500, `${res.status} ${res.location}`);
      assert.equal(res.location, null);
    }
    const posted = await postForm(w.slo, idpLogoutPost(w.idp, w.slo, { nameId: victim.email, sessionIndex, signed: false }));
    assert.ok(posted.status >= 400 && posted.status < 500, `${posted.status}`);
    assert.equal((await session(app, cookie)).status, 200);
  });
});
