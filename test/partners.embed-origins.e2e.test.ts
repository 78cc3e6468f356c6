// A partner's embed origins through real HTTP: the list is checked and normalised, an invalid entry
// is reported at its index and changes nothing, each partner reaches only its own list (platform
// admins reach any), every change is in the audit log, and the origins may frame the partner's
// console and control panel pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { cookieOf, cspOf, signIn } from './helpers/console.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner, partnerApiToken, platformAdmin } from './helpers/partners.ts';
import { browse, partnerSite } from './helpers/sso.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

// Several partners and admin logins per test come from one address: lift the per-address limits.
const LIMITS = { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000' };
const OWN = '/api/v1/partner/embed-origins';
const onPlatform = (partnerId: number) => `/api/v1/platform/partners/${partnerId}/embed-origins`;

test('embed origins: set and read back in normalised form, without duplicates; each change in the audit log', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);

  assert.deepEqual((await p.portal.get(OWN)).body, { origins: [] }, 'a new partner lists none');

  const saved = await p.portal.put(OWN, {
    origins: [
      'HTTPS://App.Partner.Example',
      'https://app.partner.example:443/', // the default port and the root path are dropped: a duplicate
      ' https://app.partner.example:8443 ',
      'http://LOCALHOST:3000',
      'http://127.0.0.1:5173',
      'http://[::1]:8080',
      'https://localhost:8443',
      'https://bücher.example', // an international name, as the browser sends it: punycode
      'https://app.partner.example',
    ],
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const normalised = [
    'https://app.partner.example',
    'https://app.partner.example:8443',
    'http://localhost:3000',
    'http://127.0.0.1:5173',
    'http://[::1]:8080',
    'https://localhost:8443',
    'https://xn--bcher-kva.example',
  ];
  assert.deepEqual(saved.body, { origins: normalised });
  assert.deepEqual((await p.portal.get(OWN)).body, { origins: normalised });

  const cleared = await p.portal.put(OWN, { origins: [] });
  assert.deepEqual(cleared.body, { origins: [] });
  assert.deepEqual((await p.portal.get(OWN)).body, { origins: [] });

  // Newest first: the clearing, then the setting, each with the list before and after, by the portal user.
  const entries = ((await p.portal.get('/api/v1/partner/audit')).body as Json[]).filter((e) => e.action === 'partner.embedOriginsUpdated');
  assert.equal(entries.length, 2);
  assert.deepEqual(
    entries.map((e) => ({ actor: e.actor.kind, target: e.target, before: e.before, after: e.after })),
    [
      { actor: 'partner', target: `partner:${p.partnerId}`, before: normalised, after: [] },
      { actor: 'partner', target: `partner:${p.partnerId}`, before: [], after: normalised },
    ],
  );
  assert.equal(entries[0].partnerId, p.partnerId);
  assert.ok(entries[0].requestId, 'the request is named');
});

test('embed origins: every invalid entry is refused at its index, and nothing is stored', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);
  const kept = ['https://app.partner.example'];
  assert.equal((await p.portal.put(OWN, { origins: kept })).status, 200);
  const auditCount = async () => ((await p.portal.get('/api/v1/partner/audit')).body as Json[]).length;
  const audited = await auditCount();

  const invalid: [string, string][] = [
    ['', 'empty'],
    ['   ', 'blank'],
    ['app.partner.example', 'no scheme'],
    ['not a url', 'not a URL'],
    ['https://app.partner.example/console', 'a path'],
    ['https://app.partner.example/?embed=1', 'a query'],
    ['https://app.partner.example?', 'an empty query'],
    ['https://app.partner.example/#top', 'a fragment'],
    ['https://app.partner.example#', 'an empty fragment'],
    ['https://user:secret@app.partner.example', 'a user name and password'],
    ['https://user@app.partner.example', 'a user name'],
    ['https://*.partner.example', 'a wildcard host'],
    ['https://app.partner.example:*', 'a wildcard port'],
    ['*', 'a bare wildcard'],
    ['http://app.partner.example', 'http on a public host'],
    ['http://192.168.1.10:3000', 'http on a private address'],
    ['http://localhost.partner.example', 'http on a host that only starts with localhost'],
    ['https://203.0.113.7', 'an IP address'],
    ['https://intranet', 'a host that is not a public name'],
    ['https://app.partner.example:99999', 'a port out of range'],
    ['ftp://app.partner.example', 'another scheme'],
    ['javascript:alert(1)', 'javascript:'],
    ['data:text/html,hi', 'data:'],
    ['file:///etc/passwd', 'file:'],
    ["https://app.partner.example 'unsafe-inline'", 'a second CSP source'],
  ];
  for (const [entry, why] of invalid) {
    const res = await p.portal.put(OWN, { origins: ['https://ok.partner.example', entry] });
    assert.equal(res.status, 400, `${why}: ${JSON.stringify(res.body)}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, why);
    assert.deepEqual(
      (res.body.errors as Json[]).map((e) => e.path),
      ['body.origins.1'],
      `${why}: ${JSON.stringify(res.body)}`,
    );
    assert.ok(typeof res.body.errors[0].message === 'string' && res.body.errors[0].message.length > 0, why);
    assert.deepEqual((await p.portal.get(OWN)).body, { origins: kept }, `${why}: the list is unchanged`);
  }

  // Every invalid entry is reported, each at its own index.
  const several = await p.portal.put(OWN, { origins: ['https://a.partner.example', 'http://b.partner.example', 'https://c.partner.example', 'https://d.partner.example/path'] });
  assert.equal(several.status, 400);
  assert.deepEqual(
    (several.body.errors as Json[]).map((e) => e.path),
    ['body.origins.1', 'body.origins.3'],
  );

  // The request's shape: at most 20 origins of at most 300 characters, nothing else in the body.
  const twenty = Array.from({ length: 20 }, (_, i) => `https://app${i}.partner.example`);
  for (const [body, why] of [
    [{ origins: [...twenty, 'https://app20.partner.example'] }, '21 origins'],
    [{ origins: [`https://${'a'.repeat(290)}.example`] }, 'an origin over 300 characters'],
    [{ origins: 'https://app.partner.example' }, 'not an array'],
    [{ origins: [42] }, 'not a string'],
    [{}, 'no origins'],
    [{ origins: [], extra: true }, 'an unknown field'],
  ] as const) {
    const res = await p.portal.put(OWN, body);
    assert.equal(res.status, 400, `${why}: ${JSON.stringify(res.body)}`);
    assert.deepEqual((await p.portal.get(OWN)).body, { origins: kept }, `${why}: the list is unchanged`);
  }
  assert.equal(await auditCount(), audited, 'a refused change is not audited');

  // Twenty are allowed.
  const full = await p.portal.put(OWN, { origins: twenty });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  assert.deepEqual(full.body.origins, twenty);
});

test('embed origins: a partner reaches only its own list; a platform admin reaches any', async (t) => {
  const app = await startParley(t, LIMITS);
  const a = await approvedPartner(app, 'Partner A');
  const b = await approvedPartner(app, 'Partner B');
  const admin = await platformAdmin(app);

  assert.equal((await a.portal.put(OWN, { origins: ['https://app.a-partner.example'] })).status, 200);
  assert.equal((await b.portal.put(OWN, { origins: ['https://app.b-partner.example'] })).status, 200);
  assert.deepEqual((await a.portal.get(OWN)).body, { origins: ['https://app.a-partner.example'] });
  assert.deepEqual((await b.portal.get(OWN)).body, { origins: ['https://app.b-partner.example'] });

  // A partner's token does not open the platform's mount, not for another partner nor for its own.
  for (const partnerId of [a.partnerId, b.partnerId]) {
    assert.equal((await b.portal.get(onPlatform(partnerId))).status, 403);
    assert.equal((await b.portal.put(onPlatform(partnerId), { origins: ['https://evil.example'] })).status, 403);
  }
  // Nor does a Partner API token open either mount; no token opens nothing.
  const api = client(app.url, await partnerApiToken(app, b));
  assert.equal((await api.get(onPlatform(a.partnerId))).status, 403);
  assert.equal((await api.put(OWN, { origins: ['https://evil.example'] })).status, 403);
  assert.equal((await client(app.url).get(OWN)).status, 401);
  assert.equal((await client(app.url).put(onPlatform(a.partnerId), { origins: [] })).status, 401);
  // A platform admin's token is not a portal session.
  assert.equal((await admin.put(OWN, { origins: ['https://evil.example'] })).status, 403);
  assert.deepEqual((await a.portal.get(OWN)).body, { origins: ['https://app.a-partner.example'] }, "nothing of A's changed");

  // A platform admin reads and replaces any partner's list; the partner sees the change.
  assert.deepEqual((await admin.get(onPlatform(a.partnerId))).body, { origins: ['https://app.a-partner.example'] });
  const set = await admin.put(onPlatform(a.partnerId), { origins: ['https://APP.a-partner.example:8443', 'http://localhost:3000'] });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body, { origins: ['https://app.a-partner.example:8443', 'http://localhost:3000'] });
  assert.deepEqual((await a.portal.get(OWN)).body, set.body);
  assert.deepEqual((await b.portal.get(OWN)).body, { origins: ['https://app.b-partner.example'] }, "B's list is its own");
  const bad = await admin.put(onPlatform(a.partnerId), { origins: ['http://app.a-partner.example'] });
  assert.equal(bad.status, 400);
  assert.deepEqual(
    (bad.body.errors as Json[]).map((e) => e.path),
    ['body.origins.0'],
  );
  const entry = ((await admin.get(`/api/v1/platform/partners/${a.partnerId}/audit`)).body as Json[])[0];
  assert.deepEqual(
    { action: entry.action, actor: entry.actor.kind, before: entry.before, after: entry.after },
    { action: 'partner.embedOriginsUpdated', actor: 'platform', before: ['https://app.a-partner.example'], after: set.body.origins },
  );
  assert.ok(((await b.portal.get('/api/v1/partner/audit')).body as Json[]).every((e) => e.partnerId === b.partnerId), "B's audit log shows none of A's changes");

  // A partner that does not exist.
  assert.equal((await admin.get(onPlatform(999999))).status, 404);
  assert.equal((await admin.put(onPlatform(999999), { origins: [] })).status, 404);
});

test("embed origins may frame the partner's console and control panel; other partners' pages stay closed to them", async (t) => {
  const app = await startParley(t, LIMITS);
  const mine = await partnerSite(app, await approvedPartner(app, 'Framing Partner'));
  const other = await partnerSite(app, await approvedPartner(app, 'Other Partner'));
  const ancestorsOf = async (path: string, cookie?: string) => {
    const res = await browse(`${app.url}${path}`, { cookie });
    assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 200)}`);
    return cspOf(res.headers.get('content-security-policy')).get('frame-ancestors') ?? [];
  };
  const signInForm = `/console?siteId=${mine.siteId}`;

  const before = await ancestorsOf(signInForm);
  assert.ok(before.includes("'self'") && before.some((s) => s.startsWith(`https://${mine.partner.slug}.`)), before.join(' '));
  assert.ok(!before.some((s) => s.includes('app.framing.example')), before.join(' '));

  const origins = ['https://app.framing.example:8443', 'http://localhost:3000'];
  assert.equal((await mine.partner.portal.put(OWN, { origins })).status, 200);

  // The sign-in form of the partner's site, and its pages for a signed-in agent: the partner's own
  // hosts as before, plus the exact origins.
  const form = await ancestorsOf(signInForm);
  assert.deepEqual(form, [...before, ...origins]);
  const cookie = cookieOf(await signIn(app, { email: mine.agent.email, password: 'agent-password-1', siteId: mine.siteId }));
  for (const path of [`/console?siteId=${mine.siteId}`, `/admin?siteId=${mine.siteId}`]) {
    const res = await browse(`${app.url}${path}`, { cookie });
    assert.match(res.text, /<meta name="csrf-token" content="[^"]+">/, `${path}: signed in`);
    const signedIn = cspOf(res.headers.get('content-security-policy')).get('frame-ancestors') ?? [];
    for (const o of origins) assert.ok(signedIn.includes(o), `${path}: ${signedIn.join(' ')}`);
    assert.ok(!signedIn.includes('*'), path);
  }

  // Another partner's pages are not opened to them.
  const others = await ancestorsOf(`/console?siteId=${other.siteId}`);
  assert.ok(!others.some((s) => origins.includes(s)), others.join(' '));
});
