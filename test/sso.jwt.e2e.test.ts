// JWT single sign-on as the spec has it: a partner's login page sends the agent to /sso/jwt with
// an HS256 token; Parley signs the agent in with a session cookie, and logs it out both ways.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { call, client } from './helpers/api.ts';
import { startParley } from './helpers/parley.ts';
import { partnerApi, partnerApiToken } from './helpers/partners.ts';
import { browse, partnerSite, SESSION_COOKIE, sessionFrom, sessionOf, setUpJwt, signJwt } from './helpers/sso.ts';

test('JWT sign-on: sign-in, console, logout both ways, and every malformed token refused', async (t) => {
  const app = await startParley(t, { PARLEY_SSO_RATE_LIMIT: '10000' });
  const s = await partnerSite(app);
  const secret = await setUpJwt(s.partner);
  const claims = () => ({ email: s.agent.email, name: 'Kim from the IdP', site_id: s.siteId });
  const consoleUrl = `${app.url}/console?siteId=${s.siteId}`;

  await t.test('the secret is shown once; the settings say where to send agents', async () => {
    const got = await s.partner.portal.get('/api/v1/partner/sso');
    assert.equal(got.status, 200);
    assert.equal(got.body.primarySSO, 'JWT');
    assert.equal(got.body.jwt.loginUrl, 'https://login.partner.example/sso');
    assert.equal(got.body.secret, undefined);
    assert.ok(!JSON.stringify(got.body).includes(secret));
    assert.equal(got.body.serviceProvider.jwtLoginUrl, `${new URL(app.config.publicUrl).origin}/sso/jwt`);
    const again = await s.partner.portal.put('/api/v1/partner/sso/jwt', { loginUrl: 'https://login.partner.example/sso', logoutUrl: 'https://login.partner.example/logout' });
    assert.equal(again.status, 200);
    assert.equal(again.body.secret, undefined, 'updating the URLs does not show the secret again');
    const plain = await s.partner.portal.put('/api/v1/partner/sso/jwt', { loginUrl: 'http://login.partner.example/sso' });
    assert.equal(plain.status, 400);
    assert.match(plain.body.detail, /https/);
  });

  await t.test('an agent who is not signed in is sent to the partner’s login page', async () => {
    const res = await browse(consoleUrl);
    assert.equal(res.status, 302);
    const to = new URL(res.location!);
    assert.equal(to.origin + to.pathname, 'https://login.partner.example/sso');
    assert.equal(to.searchParams.get('return_to'), consoleUrl);
  });

  await t.test('a valid token signs the agent in and returns it to the page it asked for', async () => {
    const jwt = await signJwt(secret, claims());
    const res = await browse(`${app.url}/sso/jwt?jwt=${jwt}&return_to=${encodeURIComponent(consoleUrl)}`);
    assert.equal(res.status, 303);
    assert.equal(res.location, consoleUrl);
    const cookie = sessionFrom(res);
    const me = await sessionOf(app, cookie);
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.agentId, s.agent.id);
    assert.equal(me.body.method, 'jwt');
    assert.ok(me.body.csrfToken);
    const page = await browse(consoleUrl, { cookie });
    assert.equal(page.status, 200);
    // The console app, carrying this session's CSRF token.
    assert.match(page.text, /<div id="root">/);
    assert.match(page.text, new RegExp(`<meta name="csrf-token" content="${me.body.csrfToken}">`));
    const csp = page.headers.get('content-security-policy')!;
    const frameAncestors = csp.split(';').find((d) => d.trim().startsWith('frame-ancestors'))!;
    assert.match(frameAncestors, /'self'/);
    assert.doesNotMatch(frameAncestors, /login\.partner\.example/, 'the host of the IdP (maybe shared with others) may not frame the console');
    // The login form itself may not be framed.
    const login = await browse(`${app.url}/login`);
    assert.match(login.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  });

  await t.test('POST keeps the token out of the URL; the session id is new at every sign-in', async () => {
    const first = sessionFrom(await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims()) } }));
    const res = await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims()) }, cookie: first });
    assert.equal(res.status, 303);
    assert.equal(res.location, consoleUrl, 'without return_to, the console of the site');
    const second = sessionFrom(res);
    assert.notEqual(second, first);
    assert.equal((await sessionOf(app, first)).status, 401, 'the session the browser had before is over');
    assert.equal((await sessionOf(app, second)).status, 200);
  });

  await t.test('state changes with the cookie need the CSRF token', async () => {
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims()) } }));
    const csrf = (await sessionOf(app, cookie)).body.csrfToken;
    const headers = { cookie: `${SESSION_COOKIE}=${cookie}` };
    const without = await call(app.url, 'PUT', '/api/v1/agents/me/status', { body: { status: 'online' }, headers });
    assert.equal(without.status, 403);
    assert.equal(without.body.reason, 'csrf');
    const wrong = await call(app.url, 'PUT', '/api/v1/agents/me/status', { body: { status: 'online' }, headers: { ...headers, 'x-csrf-token': 'x'.repeat(43) } });
    assert.equal(wrong.status, 403);
    assert.equal((await call(app.url, 'GET', '/api/v1/agents/me', { headers })).body.status, 'offline', 'nothing changed');
    const ok = await call(app.url, 'PUT', '/api/v1/agents/me/status', { body: { status: 'online' }, headers: { ...headers, 'x-csrf-token': csrf } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'online');
    // Another session's token does not do.
    const other = sessionFrom(await browse(`${app.url}/sso/jwt`, { form: { jwt: await signJwt(secret, claims()) } }));
    const crossed = await call(app.url, 'PUT', '/api/v1/agents/me/status', { body: { status: 'away' }, headers: { cookie: `${SESSION_COOKIE}=${other}`, 'x-csrf-token': csrf } });
    assert.equal(crossed.status, 403);
  });

  await t.test('each bad token is refused with nothing signed in', async () => {
    const other = await partnerSite(app);
    const otherSecret = await setUpJwt(other.partner);
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const key = new TextEncoder().encode(secret);
    const cases: [string, string][] = [
      ['alg none', new UnsecuredJWT({ ...claims(), iat: now, jti: 'none-1' }).encode()],
      ['HS512', await new SignJWT({ ...claims(), iat: now, jti: 'hs512-1' }).setProtectedHeader({ alg: 'HS512' }).sign(key)],
      ['RS256', await new SignJWT({ ...claims(), iat: now, jti: 'rs256-1' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey)],
      ['wrong key', await signJwt(randomBytes(32).toString('base64url'), claims())],
      ['expired', await signJwt(secret, { ...claims(), iat: now - 60, exp: now - 200 })],
      ['iat too old', await signJwt(secret, { ...claims(), iat: now - 200 })],
      ['iat in the future', await signJwt(secret, { ...claims(), iat: now + 200 })],
      ['no jti', await new SignJWT({ ...claims(), iat: now }).setProtectedHeader({ alg: 'HS256' }).sign(key)],
      ['no iat', await new SignJWT({ ...claims(), jti: 'no-iat-1' }).setProtectedHeader({ alg: 'HS256' }).sign(key)],
      ['no email', await signJwt(secret, { site_id: s.siteId })],
      ['another partner’s secret', await signJwt(otherSecret, claims())],
      ['another partner’s site', await signJwt(otherSecret, { ...claims(), site_id: s.siteId })],
      ['not a JWT', 'not.a.jwt'],
    ];
    for (const [name, jwt] of cases) {
      const res = await browse(`${app.url}/sso/jwt?jwt=${encodeURIComponent(jwt)}`);
      assert.ok(res.status >= 400 && res.status < 500, `${name}: ${res.status}`);
      assert.equal(res.setCookie, null, `${name}: no session`);
      assert.match(res.headers.get('content-type')!, /text\/html/, name);
    }
    const replayed = await signJwt(secret, claims());
    assert.equal((await browse(`${app.url}/sso/jwt?jwt=${replayed}`)).status, 303);
    const again = await browse(`${app.url}/sso/jwt?jwt=${replayed}`);
    assert.equal(again.status, 401);
    assert.equal(again.setCookie, null);
    assert.match(again.text, /already used/);
  });

  await t.test('return_to goes only to Parley or the partner', async () => {
    for (const bad of ['//evil.example', 'https://evil.example', 'https://parley-host.evil.example/console', 'javascript:alert(1)', '/\\evil.example', 'http://login.partner.example/']) {
      const jwt = await signJwt(secret, claims());
      const res = await browse(`${app.url}/sso/jwt?jwt=${jwt}&return_to=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.setCookie, null, bad);
      // The refused address did not use up the token.
      assert.equal((await browse(`${app.url}/sso/jwt?jwt=${jwt}`)).status, 303, bad);
    }
    const partnerPage = await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}&return_to=${encodeURIComponent('https://login.partner.example/back')}`);
    assert.equal(partnerPage.status, 303);
    assert.equal(partnerPage.location, 'https://login.partner.example/back');
  });

  await t.test('agents are created at first sign-in only when the partner allows it', async () => {
    const newcomer = { email: `new-${randomBytes(3).toString('hex')}@shop.example`, name: 'New Person', site_id: s.siteId, external_id: 'idp-42' };
    const refused = await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, newcomer)}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.setCookie, null);
    const listed = async () => (await s.admin.get('/api/v1/agents')).body;
    assert.ok(!JSON.stringify(await listed()).includes(newcomer.email));
    await s.partner.portal.put('/api/v1/partner/sso/jwt', { loginUrl: 'https://login.partner.example/sso', logoutUrl: 'https://login.partner.example/logout', jitProvisioning: true });
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, newcomer)}`));
    const me = await sessionOf(app, cookie);
    assert.equal(me.body.email, newcomer.email);
    assert.equal(me.body.name, 'New Person');
    assert.ok(JSON.stringify(await listed()).includes(newcomer.email));
    // The partner's id for the agent wins over a changed e-mail.
    const renamed = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, { ...newcomer, email: 'changed@shop.example' })}`));
    assert.equal((await sessionOf(app, renamed)).body.agentId, me.body.agentId);
    await s.partner.portal.put('/api/v1/partner/sso/jwt', { loginUrl: 'https://login.partner.example/sso', logoutUrl: 'https://login.partner.example/logout', jitProvisioning: false });
  });

  await t.test('the partner logs the agent out with a JWT: every session ends', async () => {
    const a = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`));
    const b = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`));
    const res = await browse(`${app.url}/sso/jwt/logout?jwt=${await signJwt(secret, claims())}&return_to=${encodeURIComponent('https://login.partner.example/bye')}`);
    assert.equal(res.status, 303);
    assert.equal(res.location, 'https://login.partner.example/bye');
    assert.equal((await sessionOf(app, a)).status, 401);
    assert.equal((await sessionOf(app, b)).status, 401);
    const forged = await browse(`${app.url}/sso/jwt/logout?jwt=${await signJwt('forged-secret-forged-secret-forged', claims())}`);
    assert.equal(forged.status, 401);
  });

  await t.test('logging out in Parley ends the session and goes on to the partner’s logout', async () => {
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`));
    const csrf = (await sessionOf(app, cookie)).body.csrfToken;
    const forged = await browse(`${app.url}/sso/logout`, { cookie, form: {} });
    assert.equal(forged.status, 403, 'a form from elsewhere carries no CSRF token');
    assert.equal((await sessionOf(app, cookie)).status, 200);
    const res = await browse(`${app.url}/sso/logout`, { cookie, form: { _csrf: csrf } });
    assert.equal(res.status, 303);
    assert.equal(res.location, 'https://login.partner.example/logout');
    assert.match(res.setCookie!, /Max-Age=0/);
    assert.equal((await sessionOf(app, cookie)).status, 401);
  });

  await t.test('a blocked agent’s sessions end and do not come back when it is unblocked', async () => {
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`));
    assert.equal((await s.admin.patch(`/api/v1/agents/${s.agent.id}`, { isActive: false })).status, 200);
    assert.equal((await sessionOf(app, cookie)).status, 401);
    assert.equal((await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`)).status, 403, 'a blocked agent cannot sign in');
    assert.equal((await s.admin.patch(`/api/v1/agents/${s.agent.id}`, { isActive: true })).status, 200);
    assert.equal((await sessionOf(app, cookie)).status, 401);
  });

  await t.test('disabling the site ends its agents’ sessions for good', async () => {
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`));
    const api = partnerApi(app, await partnerApiToken(app, s.partner));
    assert.equal((await api.put(`/sites/${s.siteId}/disable`)).status, 200);
    assert.equal((await sessionOf(app, cookie)).status, 401);
    assert.equal((await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`)).status, 403, 'nobody signs in to a closed site');
    assert.equal((await api.put(`/sites/${s.siteId}/enable`)).status, 200);
    assert.equal((await sessionOf(app, cookie)).status, 401);
  });

  await t.test('a mobile app exchanges the JWT for an API and real-time token', async () => {
    const res = await client(app.url).post('/api/v1/sso/jwt/exchange', { jwt: await signJwt(secret, claims()) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.agentId, s.agent.id);
    assert.match(res.body.realtime.url, /^ws.*\/connection\/websocket$/);
    const me = await client(app.url, res.body.token).get('/api/v1/auth/session');
    assert.equal(me.status, 200);
    assert.equal(me.body.csrfToken, null, 'bearer callers need no CSRF token');
    const bad = await client(app.url).post('/api/v1/sso/jwt/exchange', { jwt: await signJwt('nope-nope-nope-nope-nope-nope-nope', claims()) });
    assert.equal(bad.status, 401);
    assert.equal(bad.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  });

  await t.test('a made-up Host is refused (it would otherwise become a sign-in or return address)', async () => {
    const port = new URL(app.url).port;
    const res = await new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: `/sso/login?siteId=${s.siteId}`, headers: { host: 'evil.example' } }, (r) => {
        r.resume();
        resolve({ status: r.statusCode!, location: r.headers.location });
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.status, 400);
    assert.equal(res.location, undefined);
  });

  await t.test('the logout form may send the CSRF token as a header, with no body', async () => {
    const cookie = sessionFrom(await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`));
    const csrf = (await sessionOf(app, cookie)).body.csrfToken;
    const res = await browse(`${app.url}/sso/logout`, { method: 'POST', cookie, headers: { 'x-csrf-token': csrf } });
    assert.equal(res.status, 303);
    assert.equal((await sessionOf(app, cookie)).status, 401);
  });

  await t.test('rotating the secret stops the old one at once', async () => {
    const rotated = await s.partner.portal.post('/api/v1/partner/sso/jwt/secret');
    assert.equal(rotated.status, 200);
    assert.equal((await browse(`${app.url}/sso/jwt?jwt=${await signJwt(secret, claims())}`)).status, 401);
    assert.equal((await browse(`${app.url}/sso/jwt?jwt=${await signJwt(rotated.body.secret, claims())}`)).status, 303);
  });
});

test('password sign-in page: a session cookie for sites without single sign-on, and no logins posted from other sites', async (t) => {
  const app = await startParley(t, { PARLEY_SSO_RATE_LIMIT: '5' });
  const s = await partnerSite(app);
  // Without single sign-on, the console app shows its own sign-in form (no session, no CSRF token).
  const res = await browse(`${app.url}/console?siteId=${s.siteId}`);
  assert.equal(res.status, 200);
  assert.match(res.text, /<div id="root">/);
  assert.doesNotMatch(res.text, /csrf-token/);
  const form = { email: s.agent.email, password: 'agent-password-1', siteId: String(s.siteId) };
  const cross = await browse(`${app.url}/login`, { form, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  assert.equal(cross.status, 403);
  assert.equal(cross.setCookie, null);
  const wrong = await browse(`${app.url}/login`, { form: { ...form, password: 'wrong-password' } });
  assert.equal(wrong.status, 401);
  assert.match(wrong.text, /Wrong e-mail or password/);
  const ok = await browse(`${app.url}/login`, { form, headers: { origin: app.url } });
  assert.equal(ok.status, 303);
  const cookie = sessionFrom(ok);
  assert.equal((await sessionOf(app, cookie)).body.method, 'password');
  const page = await browse(`${app.url}/console?siteId=${s.siteId}`, { cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<meta name="csrf-token"/);
  // Sign-in attempts have a budget per address.
  for (let i = 0; i < 5; i++) assert.equal((await browse(`${app.url}/sso/jwt?jwt=x.y.z`)).status, 401);
  const limited = await browse(`${app.url}/sso/jwt?jwt=x.y.z`);
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) > 0);
});
