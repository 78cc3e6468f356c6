// Agents' browser sessions in real Chromium, behind an HTTPS front as in production: a partner
// embeds Parley's console in an iframe on its own domain, the agent signs in there through the
// partner's JWT single sign-on, and the session cookie works inside that cross-site frame; while
// another site can neither ride that cookie with a forged form nor frame the console.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { BrowserContext, Frame, Page, Response } from 'playwright-core';
import { client } from './helpers/api.ts';
import { esc, html } from './helpers/browser.ts';
import { partnerBehindFront } from './helpers/front.ts';
import { partnerApi, partnerApiToken } from './helpers/partners.ts';

const COOKIE = '__Host-parley_session';
const WAIT = { timeout: 20_000 };

/** The sources of one CSP directive ([] when absent). */
function directive(csp: string, name: string): string[] {
  for (const part of csp.split(';')) {
    const [key, ...sources] = part.trim().split(/\s+/);
    if (key?.toLowerCase() === name) return sources;
  }
  return [];
}

/** True when a CSP host source (scheme://host[:port|:*]) admits `origin`. */
function sourceAdmits(source: string, origin: string): boolean {
  const o = new URL(origin);
  const m = /^(https?):\/\/([^:/]+)(?::(\d+|\*))?$/i.exec(source);
  if (!m) return false;
  const [, scheme, host, port] = m;
  const defaultPort = scheme!.toLowerCase() === 'https' ? '443' : '80';
  return `${scheme!.toLowerCase()}:` === o.protocol && host!.toLowerCase() === o.hostname && (port === '*' || (port ?? defaultPort) === (o.port || defaultPort));
}

/** Runs fetch inside a frame (with its cookies, as the page's own script would). */
function fetchIn(frame: Frame, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return frame.evaluate(
    async ({ path, init }) => {
      const res = await fetch(path, { ...init, credentials: 'include' });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      return { status: res.status, body: body as Record<string, unknown> & { [k: string]: unknown } };
    },
    { path, init },
  );
}

/** The frame of `page` whose URL starts with `prefix`, once it is there. */
async function frameAt(page: Page, prefix: string): Promise<Frame> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const frame = page.frames().find((f) => f.url().startsWith(prefix));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame at ${prefix}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Collects the responses of a page (with its frames) whose path is `path`. */
function responsesTo(page: Page, path: string): Response[] {
  const seen: Response[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === path) seen.push(r);
  });
  return seen;
}

async function sessionCookie(ctx: BrowserContext) {
  return (await ctx.cookies()).find((c) => c.name === COOKIE);
}

test('an agent signs in by JWT SSO inside a partner-embedded iframe; other sites can neither forge its requests nor frame the console', async (t) => {
  const started = Date.now();
  const { front, app, browser, acme, parleyOrigin, customerOrigin } = await partnerBehindFront(t);
  const evilOrigin = front.origin('evil.test');
  const idpOrigin = front.origin('idp.test');

  // ---- A customer's site of the partner (its verified domain customer.test) with an agent, and JWT SSO. ----
  const api = partnerApi(app, await partnerApiToken(app, acme));
  const adminCreds = { email: 'boss@acme-customer.example', password: 'acme-customer-boss' };
  const site = await api.post('/sites', { company: 'Acme Customer Shop', admin: { ...adminCreds, name: 'Boss' } });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const siteId: number = site.body.id;
  const adminLogin = await client(app.url).post('/api/v1/auth/login', { ...adminCreds, siteId });
  assert.equal(adminLogin.status, 200, JSON.stringify(adminLogin.body));
  const siteAdmin = client(app.url, adminLogin.body.token);
  const agentEmail = 'dana@acme-customer.example';
  const agentName = 'Dana Whitfield';
  const created = await siteAdmin.post('/api/v1/agents', { email: agentEmail, name: agentName, password: 'dana-password-1' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const agentId: number = created.body.id;
  /** The agent's status, read by the site's admin (another session, through the API). */
  const statusOfAgent = async () => {
    const res = await siteAdmin.get(`/api/v1/agents/${agentId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.status as string;
  };
  assert.equal(await statusOfAgent(), 'offline');

  const sso = await acme.portal.put('/api/v1/partner/sso/jwt', { loginUrl: `${idpOrigin}/login` });
  assert.equal(sso.status, 200, JSON.stringify(sso.body));
  assert.equal(typeof sso.body.secret, 'string', `the first PUT returns the secret: ${JSON.stringify(sso.body)}`);
  const key = new TextEncoder().encode(sso.body.secret);

  // ---- The fake identity provider: signs whoever is "logged in" there straight back in. ----
  const idpVisits: string[] = [];
  front.serve('idp.test', async (_req, res, url) => {
    if (url.pathname !== '/login') {
      res.writeHead(404).end();
      return;
    }
    const returnTo = url.searchParams.get('return_to') ?? '';
    idpVisits.push(returnTo);
    const jwt = await new SignJWT({ email: agentEmail, name: agentName, site_id: siteId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(key);
    const to = new URL('/sso/jwt', parleyOrigin);
    to.searchParams.set('jwt', jwt);
    to.searchParams.set('return_to', returnTo);
    res.writeHead(302, { location: to.toString(), 'cache-control': 'no-store' }).end();
  });

  const consoleUrl = `${parleyOrigin}/console?siteId=${siteId}`;
  front.serve('customer.test', (_req, res) =>
    html(res, `<h1>Acme customer help desk</h1><iframe id="parley" src="${esc(consoleUrl)}" width="900" height="600"></iframe>`),
  );
  const pauseUrl = `${parleyOrigin}/operator/users/me/pause`;
  front.serve('evil.test', (_req, res, url) => {
    if (url.pathname === '/frame') return html(res, `<h1>Totally legit</h1><iframe id="stolen" src="${esc(consoleUrl)}" width="900" height="600"></iframe>`);
    // A classic CSRF: a form the page submits itself, as the top-level document, with a body a
    // JSON-reading server might accept (text/plain is a "simple" request: no preflight).
    html(
      res,
      `<h1>You won a prize</h1>
       <form id="f" method="POST" action="${esc(pauseUrl)}" enctype="text/plain" target="_top"><input type="hidden" name='{"x":"' value='"}'></form>
       <script>document.getElementById('f').submit();</script>`,
    );
  });
  t.diagnostic(`setup ${Date.now() - started} ms`);

  // Each failure prints where the browser went.
  const trail = () => `\nrequests to Parley:\n  ${front.proxied.slice(-30).join('\n  ')}`;

  await t.test('(a) inside the partner-embedded cross-site iframe, the SSO session cookie works and unsafe calls need the CSRF token', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const consoleAnswers = responsesTo(page, '/console');
    await page.goto(customerOrigin);
    const frame = page.frameLocator('#parley');
    await frame.getByText(agentName).first().waitFor(WAIT).catch((err: Error) => assert.fail(`${err.message}${trail()}`));

    assert.deepEqual(idpVisits, [consoleUrl], 'the console sent the agent to the IdP with return_to = the console');
    const cookie = await sessionCookie(ctx);
    assert.ok(cookie, `a session cookie was stored: ${JSON.stringify(await ctx.cookies())}`);
    assert.equal(cookie.secure, true);
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'None');
    assert.equal(cookie.path, '/');
    assert.equal(cookie.domain, `${acme.slug}.parley.test`, 'host-only (__Host-)');
    assert.equal(cookie.partitionKey, 'https://customer.test', 'partitioned under the embedding site (CHIPS)');

    // The console's framing policy admits the partner's domain and nothing unrelated.
    const ok = consoleAnswers.find((r) => r.status() === 200);
    assert.ok(ok, `the console answered 200: ${consoleAnswers.map((r) => r.status()).join(', ')}`);
    const csp = (await ok.allHeaders())['content-security-policy'] ?? '';
    const ancestors = directive(csp, 'frame-ancestors');
    assert.ok(ancestors.length > 0, `CSP has frame-ancestors: ${csp}`);
    assert.ok(
      ancestors.some((s) => sourceAdmits(s, customerOrigin)),
      `frame-ancestors lists ${customerOrigin}: ${ancestors.join(' ')}`,
    );
    assert.ok(!ancestors.some((s) => s === '*' || /^https?:$/i.test(s) || sourceAdmits(s, evilOrigin)), `frame-ancestors admits no other site: ${ancestors.join(' ')}`);

    // Script of Parley's origin in that frame calls the API with the cookie. (The console page itself
    // runs no script and its CSP has default-src 'none', which forbids fetch; so the frame moves on
    // to another document of Parley's origin, still inside the customer's page and its partition.)
    const inner = await frameAt(page, `${parleyOrigin}/console`);
    await inner.goto(`${parleyOrigin}/api/v1/auth/session`);
    assert.equal(inner.url(), `${parleyOrigin}/api/v1/auth/session`);
    assert.equal(inner.parentFrame(), page.mainFrame(), 'still the iframe of the customer page');
    const session = await fetchIn(inner, '/api/v1/auth/session');
    assert.equal(session.status, 200, JSON.stringify(session.body));
    assert.equal(session.body.agentId, agentId);
    assert.equal(session.body.siteId, siteId);
    assert.equal(session.body.email, agentEmail);
    assert.equal(session.body.name, agentName);
    assert.equal(String(session.body.method).toLowerCase(), 'jwt');
    assert.ok(Date.parse(String(session.body.expiresAt)) > Date.now());
    const csrf = session.body.csrfToken;
    assert.equal(typeof csrf, 'string');

    // Changing something without the CSRF token is refused even from Parley's own frame...
    const bare = await fetchIn(inner, '/api/v1/agents/me/status', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'away' }) });
    assert.equal(bare.status, 403, JSON.stringify(bare.body));
    assert.equal(bare.body.reason, 'csrf');
    assert.equal(await statusOfAgent(), 'offline');
    // ...and works with it.
    const set = await fetchIn(inner, '/api/v1/agents/me/status', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': String(csrf) },
      body: JSON.stringify({ status: 'online' }),
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.status, 'online');
    assert.equal(await statusOfAgent(), 'online', 'the change is visible through the API');
    await ctx.close();
  });

  await t.test('(b) a cross-site form POST carries the session cookie but no CSRF token: 403, nothing changes', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(consoleUrl);
    await page.getByText(agentName).first().waitFor(WAIT).catch((err: Error) => assert.fail(`${err.message}${trail()}`));
    const cookie = await sessionCookie(ctx);
    assert.ok(cookie, 'signed in top-level');
    assert.equal(cookie.partitionKey ?? 'https://parley.test', 'https://parley.test', "a top-level session lives in Parley's own partition");
    const own = await page.goto(`${parleyOrigin}/api/v1/auth/session`);
    assert.ok(own, 'the session answered');
    assert.equal(own.status(), 200, await own.text());
    assert.equal((await own.json()).agentId, agentId);
    const before = await statusOfAgent();
    assert.equal(before, 'online');

    const forged = page.waitForResponse((r) => r.url() === pauseUrl && r.request().method() === 'POST', WAIT);
    // The page submits its form while it loads: wait only for it to commit, not for its load event.
    await page.goto(evilOrigin, { waitUntil: 'commit' });
    const answer = await forged;
    const sent = await answer.request().allHeaders();
    assert.ok((sent.cookie ?? '').includes(`${COOKIE}=`), `the browser sent the session cookie with the forged POST: ${JSON.stringify(sent)}`);
    assert.match(sent.origin ?? '', /evil\.test/, 'from the other site');
    assert.equal(answer.status(), 403, await answer.text());
    assert.match(answer.headers()['content-type'] ?? '', /application\/problem\+json/);
    const problem = await answer.json();
    assert.equal(problem.reason, 'csrf', JSON.stringify(problem));
    // docs/errors.md: the `forbidden` problem, told apart by reason "csrf".
    assert.equal(problem.type, 'urn:parley:problem:forbidden');
    assert.equal(problem.status, 403);
    assert.match(String(problem.detail), /CSRF token is missing/i, 'refused for the missing token, not for a missing login');
    assert.equal(await statusOfAgent(), before, 'the state is unchanged');
    await ctx.close();
  });

  await t.test('(c) a page not of the partner cannot frame the console', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const consoleAnswers = responsesTo(page, '/console');
    const refusals: string[] = [];
    page.on('console', (m) => {
      if (/frame-ancestors/i.test(m.text())) refusals.push(m.text());
    });
    await page.goto(`${evilOrigin}/frame`);
    // The console is reached and answers (the SSO round trip signs the agent in within evil.test's
    // partition), so only the browser's enforcement of frame-ancestors stands in the way.
    const deadline = Date.now() + WAIT.timeout;
    while (!consoleAnswers.some((r) => r.status() === 200) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(consoleAnswers.some((r) => r.status() === 200), `the console was served to the frame: ${consoleAnswers.map((r) => r.status()).join(', ')}${trail()}`);
    while (refusals.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(refusals.length > 0, 'Chromium reports the frame-ancestors violation');
    await page.waitForLoadState('load');
    const child = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(child, 'the iframe exists');
    assert.ok(!child.url().startsWith(`${parleyOrigin}/console`), `the frame did not load the console (${child.url()})`);
    const text = await child.evaluate(() => document.body?.textContent ?? '').catch(() => '');
    assert.ok(!text.includes(agentName), `the console did not render in the frame: ${text.slice(0, 200)}`);
    await ctx.close();
  });
  t.diagnostic(`total ${Date.now() - started} ms`);
});
