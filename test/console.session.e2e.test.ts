// The console's browser session as an API: signing in from the console's own form (cookie and
// CSRF token), what is refused (wrong password, other sites' forms, unknown hosts, an e-mail of
// several sites without a choice), the cookie's use and its CSRF rule, and the short-lived
// real-time token, which connects the centrifuge client until the session ends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call } from './helpers/api.ts';
import { cookieClient, cookieOf, type Json, on, raw, signIn } from './helpers/console.ts';
import { createAgent, createSite } from './helpers/factories.ts';
import { operatorClient } from './helpers/operator.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';
import { browse, SESSION_COOKIE, sessionOf } from './helpers/sso.ts';

const ENV = { PARLEY_SSO_RATE_LIMIT: '10000' };

/** Connecting with `token` is refused (the client is let go before it is connected). */
async function refused(url: string, token: string): Promise<string> {
  const err = await connectLive(url, token).then(
    (live) => {
      live.close();
      return null;
    },
    (e: Error) => e,
  );
  assert.ok(err, 'the token still connects');
  return err.message;
}

test('signing in from the console: cookie, CSRF token, refusals, and the session in use', async (t) => {
  const app = await startParley(t, ENV);
  const site = await createSite(app);
  const agent = await createAgent(app, site, { name: 'Kim Agent' });

  await t.test('a wrong password is refused and sets nothing', async () => {
    const res = await signIn(app, { email: agent.email, password: 'not-the-password' });
    assert.equal(res.status, 401, JSON.stringify(res.body));
    assert.equal(res.headers.get('set-cookie'), null);
    assert.match(res.headers.get('content-type')!, /problem\+json/);
    const unknown = await signIn(app, { email: 'nobody@example.com', password: agent.password });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.headers.get('set-cookie'), null);
  });

  await t.test('a form posted from another site is refused, even with the right password', async () => {
    const attempts: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: app.url.replace('127.0.0.1', 'localhost') },
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    ];
    for (const headers of attempts) {
      const res = await call(app.url, 'POST', '/api/v1/auth/session', { body: { email: agent.email, password: agent.password }, headers });
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.body.reason, 'cross-site-login', JSON.stringify(headers));
      assert.equal(res.headers.get('set-cookie'), null, JSON.stringify(headers));
    }
  });

  await t.test('a host that is not Parley’s is refused', async () => {
    const body = JSON.stringify({ email: agent.email, password: agent.password });
    const res = await raw(app.url, '/api/v1/auth/session', { method: 'POST', headers: { host: 'parley.evil.example', 'content-type': 'application/json' }, body });
    assert.equal(res.status, 400, res.text);
    assert.equal(JSON.parse(res.text).reason, 'unknown-host');
    assert.equal(res.headers['set-cookie'], undefined);
  });

  let cookie = '';
  let csrf = '';
  await t.test('the right password sets the session cookie and says who is signed in', async () => {
    const res = await signIn(app, { email: agent.email, password: agent.password });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const setCookie = res.headers.get('set-cookie')!;
    for (const attr of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=None']) assert.ok(setCookie.split(';').map((s) => s.trim()).includes(attr), `cookie lacks ${attr}: ${setCookie}`);
    cookie = cookieOf(res);
    const b = res.body;
    assert.deepEqual([b.agentId, b.siteId, b.email, b.name, b.method], [agent.id, site.siteId, agent.email, 'Kim Agent', 'password']);
    assert.ok(Date.parse(b.expiresAt) > Date.now(), b.expiresAt);
    assert.equal(typeof b.csrfToken, 'string');
    assert.ok(b.csrfToken.length >= 20);
    csrf = b.csrfToken;
    assert.ok(!JSON.stringify(b).includes(cookie), 'the session token stays in the cookie');

    const me = await sessionOf(app, cookie);
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.deepEqual([me.body.agentId, me.body.siteId, me.body.email, me.body.method, me.body.csrfToken], [agent.id, site.siteId, agent.email, 'password', csrf]);
    assert.equal((await call(app.url, 'GET', '/api/v1/auth/session')).status, 401, 'no cookie, nobody');
    // An app with a bearer token (no cookie) needs no CSRF token.
    const bearer = await call(app.url, 'GET', '/api/v1/auth/session', { token: agent.token });
    assert.equal(bearer.status, 200, JSON.stringify(bearer.body));
    assert.deepEqual([bearer.body.agentId, bearer.body.csrfToken], [agent.id, null]);
  });

  await t.test('a change made with the cookie needs the CSRF token', async () => {
    const without = await cookieClient(app, cookie, null).put('/api/v1/agents/me/status', { status: 'online' });
    assert.equal(without.status, 403);
    assert.equal(without.body.reason, 'csrf');
    const wrong = await cookieClient(app, cookie, 'x'.repeat(csrf.length)).put('/api/v1/agents/me/status', { status: 'online' });
    assert.equal(wrong.status, 403);
    assert.equal((await cookieClient(app, cookie, null).get('/api/v1/agents/me')).body.status, 'offline', 'nothing changed');
    const ok = await cookieClient(app, cookie, csrf).put('/api/v1/agents/me/status', { status: 'online' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.status, 'online');
  });

  await t.test('signing in again ends the session the browser had', async () => {
    const res = await signIn(app, { email: agent.email, password: agent.password }, { cookie: `${SESSION_COOKIE}=${cookie}` });
    assert.equal(res.status, 200);
    const fresh = cookieOf(res);
    assert.notEqual(fresh, cookie);
    assert.equal((await sessionOf(app, cookie)).status, 401);
    assert.equal((await sessionOf(app, fresh)).status, 200);
  });
});

test('an e-mail that works on two sites asks which one (409 siteIds), then signs in to the one chosen', async (t) => {
  const app = await startParley(t, ENV);
  const first = await createSite(app);
  const second = await createSite(app);
  const agent = await createAgent(app, first, { name: 'Two Sites' });
  await app.parley.services.agents.create({ siteId: second.siteId, system: true }, { email: agent.email, name: 'Two Sites', password: agent.password });

  const ask = await signIn(app, { email: agent.email, password: agent.password });
  assert.equal(ask.status, 409, JSON.stringify(ask.body));
  assert.deepEqual([...ask.body.siteIds].sort((a: number, b: number) => a - b), [first.siteId, second.siteId].sort((a, b) => a - b));
  assert.equal(ask.headers.get('set-cookie'), null);

  const chosen = await signIn(app, { email: agent.email, password: agent.password, siteId: second.siteId });
  assert.equal(chosen.status, 200, JSON.stringify(chosen.body));
  assert.equal(chosen.body.siteId, second.siteId);
  assert.notEqual(chosen.body.agentId, agent.id);
  assert.equal((await sessionOf(app, cookieOf(chosen))).body.siteId, second.siteId);
  // A site the e-mail does not work on is a wrong login, not a choice.
  const other = await createSite(app);
  assert.equal((await signIn(app, { email: agent.email, password: agent.password, siteId: other.siteId })).status, 401);
});

test('the real-time token of a session connects the centrifuge client until the session ends', async (t) => {
  const app = await startParley(t, ENV);
  const site = await createSite(app);
  const agent = await createAgent(app, site, { name: 'Kim Agent' });
  const start = async () => {
    const res = await signIn(app, { email: agent.email, password: agent.password });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { cookie: cookieOf(res), csrf: res.body.csrfToken as string };
  };
  const s = await start();

  // A POST with the cookie: the CSRF token is needed here too.
  const noCsrf = await cookieClient(app, s.cookie, null).post('/api/v1/auth/realtime-token');
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.reason, 'csrf');
  assert.equal((await call(app.url, 'POST', '/api/v1/auth/realtime-token')).status, 401, 'no session, no token');

  const issued = await cookieClient(app, s.cookie, s.csrf).post('/api/v1/auth/realtime-token');
  assert.equal(issued.status, 200, JSON.stringify(issued.body));
  const { token, expiresAt } = issued.body as Json;
  assert.equal(typeof token, 'string');
  assert.notEqual(token, s.cookie, 'never the cookie’s own token');
  const left = Date.parse(expiresAt) - Date.now();
  assert.ok(left > 10 * 60_000 && left <= 15 * 60_000 + 5_000, `expires in ${left} ms`);

  // The token connects as this agent: its own channel carries its status changes.
  const live = await connectLive(app.url, token, '/connection/websocket');
  t.after(() => live.close());
  assert.equal((await cookieClient(app, s.cookie, s.csrf).put('/api/v1/agents/me/status', { status: 'away' })).status, 200);
  const changed = await on(live, 'operatorStatusChanged', (d) => d.operatorId === agent.id);
  assert.equal(changed.status, 'away');

  // Logging out (with the cookie) ends the session: the connection is let go and the token no longer connects.
  const gone = new Promise<number>((resolve) => live.client.once('disconnected', (ctx) => resolve(ctx.code)));
  const out = await cookieClient(app, s.cookie, s.csrf).post('/api/v1/auth/logout');
  assert.equal(out.status, 204, JSON.stringify(out.body));
  assert.equal(await gone, 3500);
  assert.match(await refused(app.url, token), /3500/);
  assert.equal((await sessionOf(app, s.cookie)).status, 401);

  // The same through the console's sign-out form.
  const s2 = await start();
  const second = (await cookieClient(app, s2.cookie, s2.csrf).post('/api/v1/auth/realtime-token')).body.token as string;
  (await connectLive(app.url, second)).close();
  const form = await browse(`${app.url}/sso/logout`, { cookie: s2.cookie, form: { _csrf: s2.csrf } });
  assert.equal(form.status, 303);
  assert.match(await refused(app.url, second), /3500/);
  assert.equal((await operatorClient(app.url, second).get('/api/v1/agents/me')).status, 401);
});
