// The partner portal through real HTTP: theme and its style sheet, logo uploads, branding text,
// profile and name changes, white-label hosts and custom domains, OAuth clients, the platform
// admins' side of the same routes, and the audit log they leave.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { type ApiResponse, client } from './helpers/api.ts';
import { type Running, startParley } from './helpers/parley.ts';
import { type ApprovedPartner, approvedPartner, partnerApi, partnerApiToken, platformAdmin, postForm } from './helpers/partners.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

// Several partners and admin logins per test come from one address: lift the per-address limits.
const LIMITS = { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000' };

/** A real 1x1 PNG. */
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** A real 1x1 GIF. */
const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/** A valid PNG of about `size` bytes: the 1x1 image with a tEXt chunk padding it out. */
function bigPng(size: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdrEnd = 8 + 25; // signature, then IHDR (4 length + 4 type + 13 data + 4 crc)
  const text = chunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), Buffer.alloc(Math.max(0, size - PNG_1X1.length - 20), 'x')]));
  return Buffer.concat([PNG_1X1.subarray(0, ihdrEnd), text, PNG_1X1.subarray(ihdrEnd)]);
}

/** Uploads raw logo bytes with a Content-Type. */
async function putLogo(app: Running, token: string | undefined, bytes: Buffer, type: string, base = '/api/v1/partner'): Promise<ApiResponse<Json>> {
  const res = await fetch(`${app.url}${base}/branding/logo`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(bytes) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text };
}

/** GET with a chosen Host header (fetch does not let a caller set it). */
function getWithHost(app: Running, path: string, host: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Json }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${app.url}${path}`, { headers: { host } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        data += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: (res.headers['content-type'] ?? '').includes('json') ? JSON.parse(data) : data }));
    });
    req.on('error', reject);
    req.end();
  });
}

const brandAt = async (app: Running, host: string): Promise<Json> => {
  const res = await getWithHost(app, '/api/v1/brand', host);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

const PLATFORM_BRAND = { partnerId: null, slug: null, name: 'Parley', branding: null, logoUrl: null, themeCssUrl: null };

/** The path of one of Parley's absolute URLs (publicUrl is not this test's listening address). */
const pathOf = (url: string) => new URL(url).pathname;

async function themeCss(app: Running, slug: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${app.url}/brand/${slug}/theme.css`, { headers });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

test('theme: valid tokens are saved and served as CSS with an ETag; unsafe or unknown ones are refused', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);

  // A fresh partner has an empty theme and an empty (but valid) style sheet.
  assert.deepEqual((await p.portal.get('/api/v1/partner/theme')).body, { pairs: [] });
  const empty = await themeCss(app, p.slug);
  assert.equal(empty.status, 200);
  assert.match(empty.body, /:root\{\}/);

  const saved = await p.portal.put('/api/v1/partner/theme', {
    pairs: [
      { cssKey: 'primaryColor', cssValue: '#1C86EE' },
      { cssKey: 'textColor', cssValue: 'rgb(28,134,238)' },
      { cssKey: 'agentBubbleColor', cssValue: 'hsla(210, 86%, 52%, .25)' },
      { cssKey: 'fontFamily', cssValue: "'Open Sans', Arial, sans-serif" },
      { cssKey: 'borderRadius', cssValue: ' 8px ' },
      { cssKey: 'fontSize', cssValue: '.875REM' },
    ],
  });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  const normalised = [
    { cssKey: 'primaryColor', cssValue: '#1c86ee' },
    { cssKey: 'textColor', cssValue: 'rgb(28, 134, 238)' },
    { cssKey: 'agentBubbleColor', cssValue: 'hsla(210, 86%, 52%, 0.25)' },
    { cssKey: 'fontFamily', cssValue: '"Open Sans", "Arial", sans-serif' },
    { cssKey: 'borderRadius', cssValue: '8px' },
    { cssKey: 'fontSize', cssValue: '0.875rem' },
  ];
  assert.deepEqual(saved.body.pairs, normalised);
  const stored = (await p.portal.get('/api/v1/partner/theme')).body;
  const byKey = (a: { cssKey: string }, b: { cssKey: string }) => a.cssKey.localeCompare(b.cssKey);
  assert.deepEqual([...stored.pairs].sort(byKey), [...normalised].sort(byKey));

  // The style sheet: custom properties sorted by key, cacheable, revalidated by ETag.
  const css = await themeCss(app, p.slug);
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
  assert.equal(css.headers.get('x-content-type-options'), 'nosniff');
  assert.match(css.headers.get('cache-control') ?? '', /public/);
  const etag = css.headers.get('etag');
  assert.match(etag ?? '', /^"[A-Za-z0-9_-]{22}"$/);
  assert.ok(
    css.body.includes(
      ':root{--parley-agent-bubble-color:hsla(210, 86%, 52%, 0.25);--parley-border-radius:8px;--parley-font-family:"Open Sans", "Arial", sans-serif;--parley-font-size:0.875rem;--parley-primary-color:#1c86ee;--parley-text-color:rgb(28, 134, 238);}',
    ),
    css.body,
  );
  const revalidated = await themeCss(app, p.slug, { 'if-none-match': etag ?? '' });
  assert.equal(revalidated.status, 304);
  assert.equal(revalidated.body, '');
  assert.equal(revalidated.headers.get('etag'), etag);
  assert.equal((await themeCss(app, p.slug, { 'if-none-match': '"stale"' })).status, 200);
  assert.equal((await themeCss(app, 'no-such-partner')).status, 404);

  // Refused, whole: the stored theme and its style sheet do not change.
  const refused: [string, { cssKey: string; cssValue: string }[]][] = [
    ['unknown token', [{ cssKey: 'zIndex', cssValue: '10' }]],
    ['unknown token that looks like CSS', [{ cssKey: 'primaryColor;color', cssValue: 'red' }]],
    ['prototype key', [{ cssKey: '__proto__', cssValue: '#fff' }]],
    ['short hex', [{ cssKey: 'primaryColor', cssValue: '#12' }]],
    ['rgb out of range', [{ cssKey: 'primaryColor', cssValue: 'rgb(300,0,0)' }]],
    ['colour name', [{ cssKey: 'primaryColor', cssValue: 'red' }]],
    ['declaration end', [{ cssKey: 'primaryColor', cssValue: 'red;}' }]],
    ['rule injection', [{ cssKey: 'primaryColor', cssValue: '#fff;}body{display:none}' }]],
    ['javascript url', [{ cssKey: 'backgroundColor', cssValue: 'url(javascript:alert(1))' }]],
    ['expression', [{ cssKey: 'backgroundColor', cssValue: 'expression(alert(1))' }]],
    ['style end', [{ cssKey: 'textColor', cssValue: '</style><script>alert(1)</script>' }]],
    ['second declaration', [{ cssKey: 'textColor', cssValue: 'red;background:url(x)' }]],
    ['backslash escape', [{ cssKey: 'textColor', cssValue: '\\72 ed' }]],
    ['escape in a font', [{ cssKey: 'fontFamily', cssValue: 'Ari\\61 l' }]],
    ['comment', [{ cssKey: 'borderColor', cssValue: '#fff/**/' }]],
    ['comment in a font', [{ cssKey: 'fontFamily', cssValue: 'Arial/*x*/, sans-serif' }]],
    ['font breaking out', [{ cssKey: 'fontFamily', cssValue: 'Arial;}body{display:none}' }]],
    ['import', [{ cssKey: 'fontFamily', cssValue: '@import url(//evil.example/x.css)' }]],
    ['var()', [{ cssKey: 'borderRadius', cssValue: 'var(--x)' }]],
    ['calc()', [{ cssKey: 'launcherSize', cssValue: 'calc(100vh)' }]],
    ['important', [{ cssKey: 'primaryColor', cssValue: '#fff !important' }]],
    ['negative length', [{ cssKey: 'borderRadius', cssValue: '-4px' }]],
    ['control character', [{ cssKey: 'primaryColor', cssValue: '#fff\u0000' }]],
    [
      'duplicate key',
      [
        { cssKey: 'primaryColor', cssValue: '#fff' },
        { cssKey: 'primaryColor', cssValue: '#000' },
      ],
    ],
  ];
  for (const [why, bad] of refused) {
    // A valid pair alongside: nothing of the request is applied.
    const res = await p.portal.put('/api/v1/partner/theme', { pairs: [{ cssKey: 'linkColor', cssValue: '#abcdef' }, ...bad] });
    assert.equal(res.status, 400, `${why}: ${JSON.stringify(res.body)}`);
    assert.match(res.headers.get('content-type') ?? '', /problem\+json/);
    // The value itself is never echoed back.
    const echoed = bad.map((b) => b.cssValue).find((v) => v.length > 4 && JSON.stringify(res.body).includes(v));
    assert.equal(echoed, undefined, `${why}: the refusal echoes the value`);
  }
  // Shapes the schema refuses.
  for (const body of [{ pairs: [{ cssKey: 'primaryColor', cssValue: 5 }] }, { pairs: [{ cssKey: 'primaryColor' }] }, { pairs: 'primaryColor:red' }, {}]) {
    assert.equal((await p.portal.put('/api/v1/partner/theme', body)).status, 400, JSON.stringify(body));
  }
  const afterRefusals = (await p.portal.get('/api/v1/partner/theme')).body;
  assert.deepEqual([...afterRefusals.pairs].sort(byKey), [...normalised].sort(byKey));
  const unchanged = await themeCss(app, p.slug);
  assert.equal(unchanged.headers.get('etag'), etag);
  assert.equal(unchanged.body, css.body);

  // A change gives a new ETag, and the old one no longer answers 304.
  const changed = await p.portal.put('/api/v1/partner/theme', { pairs: [{ cssKey: 'primaryColor', cssValue: '#000' }] });
  assert.equal(changed.status, 200);
  const after = await themeCss(app, p.slug, { 'if-none-match': etag ?? '' });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.get('etag'), etag);
  assert.match(after.body, /:root\{--parley-primary-color:#000;\}/);
  // An empty theme clears it.
  assert.deepEqual((await p.portal.put('/api/v1/partner/theme', { pairs: [] })).body, { pairs: [] });
  assert.match((await themeCss(app, p.slug)).body, /:root\{\}/);
});

test('logo: raster images are stored and served safely; SVG, HTML, mismatches, empty and oversize uploads are refused', async (t) => {
  const app = await startParley(t, { ...LIMITS, PARLEY_LOGO_MAX_BYTES: '2048' });
  const p = await approvedPartner(app);
  const token = p.portal.token;
  const profile = async () => (await p.portal.get('/api/v1/partner/profile')).body;
  assert.equal((await profile()).logoUrl, null);

  const up = await putLogo(app, token, PNG_1X1, 'image/png');
  assert.equal(up.status, 200, JSON.stringify(up.body));
  const logoUrl: string = up.body.logoUrl;
  assert.match(logoUrl, new RegExp(`/brand/logos/p${p.partnerId}-[0-9a-f]{32}\\.png$`));
  assert.equal((await profile()).logoUrl, logoUrl);

  const served = await fetch(`${app.url}${pathOf(logoUrl)}`);
  assert.equal(served.status, 200);
  assert.equal(served.headers.get('content-type'), 'image/png');
  assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
  assert.match(served.headers.get('cache-control') ?? '', /public.*max-age=31536000/);
  assert.ok(Buffer.from(await served.arrayBuffer()).equals(PNG_1X1));

  // The same image again: the same content-addressed URL. Media-type parameters are ignored.
  const again = await putLogo(app, token, PNG_1X1, 'image/png; charset=binary');
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.logoUrl, logoUrl);

  const big = bigPng(4096);
  assert.ok(big.length >= 4096 && big.subarray(0, 8).equals(PNG_1X1.subarray(0, 8)));
  const refusals: [string, Buffer, string, number][] = [
    ['SVG with a script', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml', 415],
    ['HTML', Buffer.from('<!doctype html><script>alert(1)</script>'), 'text/html', 415],
    ['PNG declared as JPEG', PNG_1X1, 'image/jpeg', 400],
    ['HTML declared as PNG', Buffer.from('<html><script>alert(1)</script></html>'), 'image/png', 400],
    ['SVG declared as PNG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image/png', 400],
    ['empty', Buffer.alloc(0), 'image/png', 400],
    ['over PARLEY_LOGO_MAX_BYTES', big, 'image/png', 413],
  ];
  for (const [why, bytes, type, status] of refusals) {
    const res = await putLogo(app, token, bytes, type);
    assert.equal(res.status, status, `${why}: ${JSON.stringify(res.body)}`);
    assert.equal((await profile()).logoUrl, logoUrl, `${why}: the logo changed`);
  }
  // The mismatch refusals say which check failed.
  assert.equal((await putLogo(app, token, PNG_1X1, 'image/jpeg')).body.reason, 'type-mismatch');
  assert.equal((await putLogo(app, token, Buffer.alloc(0), 'image/png')).body.reason, 'empty');
  // Nothing but a portal user uploads.
  assert.equal((await putLogo(app, undefined, PNG_1X1, 'image/png')).status, 401);

  // Another type: a GIF gets its own URL, served as a GIF.
  const gif = await putLogo(app, token, GIF_1X1, 'image/gif');
  assert.equal(gif.status, 200, JSON.stringify(gif.body));
  assert.match(gif.body.logoUrl, /\.gif$/);
  const servedGif = await fetch(`${app.url}${pathOf(gif.body.logoUrl)}`);
  assert.equal(servedGif.headers.get('content-type'), 'image/gif');
  await servedGif.arrayBuffer();

  // Names the store never writes are not read.
  for (const name of ['..%2F..%2Fparley.db', 'p1-0000.png', `p${p.partnerId}-${'0'.repeat(32)}.png`, 'x.svg']) {
    const r = await fetch(`${app.url}/brand/logos/${name}`);
    await r.arrayBuffer();
    assert.equal(r.status, 404, name);
  }

  const removed = await p.portal.delete('/api/v1/partner/branding/logo');
  assert.equal(removed.status, 200);
  assert.equal(removed.body.logoUrl, null);
  assert.equal((await profile()).logoUrl, null);
});

test('branding text and profile: contact details apply, a new name waits for the platform', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app, 'Original Name');
  const admin = await platformAdmin(app);

  const branded = await p.portal.put('/api/v1/partner/branding', { branding: 'Acme Chat' });
  assert.equal(branded.status, 200, JSON.stringify(branded.body));
  assert.equal(branded.body.branding, 'Acme Chat');
  assert.equal((await p.portal.get('/api/v1/partner/profile')).body.branding, 'Acme Chat');
  assert.equal((await p.portal.put('/api/v1/partner/branding', { branding: '' })).status, 400);
  assert.equal((await p.portal.put('/api/v1/partner/branding', { branding: 'x'.repeat(201) })).status, 400);
  assert.equal((await p.portal.put('/api/v1/partner/branding', {})).status, 400);
  assert.equal((await p.portal.get('/api/v1/partner/profile')).body.branding, 'Acme Chat');

  const contact = await p.portal.patch('/api/v1/partner/profile', { contactName: 'Nia New', phone: '+1 555 0199' });
  assert.equal(contact.status, 200, JSON.stringify(contact.body));
  assert.equal(contact.body.contactName, 'Nia New');
  assert.equal(contact.body.phone, '+1 555 0199');
  for (const bad of [{}, { phone: 'call me' }, { contactEmail: 'not-an-email' }, { slug: 'taken-over' }, { isActive: false }]) {
    assert.equal((await p.portal.patch('/api/v1/partner/profile', bad)).status, 400, JSON.stringify(bad));
  }
  const cleared = await p.portal.patch('/api/v1/partner/profile', { phone: null });
  assert.equal(cleared.body.phone, null);

  // A partner's new name waits for the platform.
  const asked = await p.portal.patch('/api/v1/partner/profile', { name: 'New Name' });
  assert.equal(asked.status, 200);
  assert.equal(asked.body.name, 'Original Name');
  assert.equal(asked.body.pendingName, 'New Name');
  const listed = (await admin.get('/api/v1/platform/partners')).body.find((x: { id: number }) => x.id === p.partnerId);
  assert.equal(listed.pendingName, 'New Name');
  const approved = await admin.post(`/api/v1/platform/partners/${p.partnerId}/name/approve`);
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.name, 'New Name');
  assert.equal(approved.body.pendingName, null);
  assert.equal((await p.portal.get('/api/v1/partner/profile')).body.name, 'New Name');
  assert.equal((await admin.post(`/api/v1/platform/partners/${p.partnerId}/name/approve`)).status, 409, 'nothing is waiting');

  // Refused: the pending name goes, the name stays.
  await p.portal.patch('/api/v1/partner/profile', { name: 'Another Name' });
  const rejected = await admin.post(`/api/v1/platform/partners/${p.partnerId}/name/reject`);
  assert.equal(rejected.status, 200);
  assert.equal(rejected.body.name, 'New Name');
  assert.equal(rejected.body.pendingName, null);

  // The partner cannot decide its own name.
  assert.equal((await p.portal.post(`/api/v1/platform/partners/${p.partnerId}/name/approve`)).status, 403);

  // The platform's own change applies at once.
  const renamed = await admin.patch(`/api/v1/platform/partners/${p.partnerId}/profile`, { name: 'Platform Name' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.name, 'Platform Name');
  assert.equal(renamed.body.pendingName, null);
  assert.equal((await p.portal.get('/api/v1/partner/profile')).body.name, 'Platform Name');
});

test('white-label hosts: {slug}.base domain and verified custom domains show the partner brand', async (t) => {
  const published = new Map<string, string>();
  const app = await startParley(t, { ...LIMITS, PARLEY_BASE_DOMAIN: 'parley.test' }, { domainVerifier: async (host, token) => published.get(host) === token });
  const p = await approvedPartner(app, 'Acme Resellers');
  const other = await approvedPartner(app, 'Other Partner');
  await p.portal.put('/api/v1/partner/branding', { branding: 'Acme Chat' });
  const logo = await putLogo(app, p.portal.token, PNG_1X1, 'image/png');
  assert.equal(logo.status, 200);
  const profile = (await p.portal.get('/api/v1/partner/profile')).body;
  assert.equal(profile.host, `${p.slug}.parley.test`);

  const acmeBrand = { partnerId: p.partnerId, slug: p.slug, name: 'Acme Resellers', branding: 'Acme Chat', logoUrl: logo.body.logoUrl, themeCssUrl: profile.themeCssUrl };
  assert.match(acmeBrand.themeCssUrl, new RegExp(`/brand/${p.slug}/theme\\.css\\?v=[0-9a-z]+$`));
  const res = await getWithHost(app, '/api/v1/brand', `${p.slug}.parley.test`);
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, acmeBrand);
  assert.match(String(res.headers.vary), /host/i);
  // Port, case and a trailing dot do not matter.
  assert.deepEqual(await brandAt(app, `${p.slug.toUpperCase()}.Parley.Test.:8443`), acmeBrand);
  assert.equal((await brandAt(app, `${other.slug}.parley.test`)).partnerId, other.partnerId);
  // Anything else is the platform's.
  for (const host of ['parley.test', 'nobody.parley.test', `x.${p.slug}.parley.test`, 'evil.example', `${p.slug}.parley.test.evil.example`, '127.0.0.1']) {
    assert.deepEqual(await brandAt(app, host), PLATFORM_BRAND, host);
  }

  // A custom domain: added, proven by its TXT record, then it shows the partner.
  const host = 'chat.acme-customer.example';
  const added = await p.portal.post('/api/v1/partner/domains', { host: 'Chat.Acme-Customer.example.' });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.host, host);
  assert.equal(added.body.verified, false);
  assert.equal(added.body.verification.type, 'TXT');
  assert.equal(added.body.verification.name, `_parley-verification.${host}`);
  assert.match(added.body.verification.value, /^parley-verification=[A-Za-z0-9_-]{20,}$/);
  const domainId = added.body.id;
  assert.deepEqual((await p.portal.get('/api/v1/partner/domains')).body, [added.body]);
  assert.deepEqual(await brandAt(app, host), PLATFORM_BRAND, 'not before it is verified');

  // A claim proves nothing: another partner may claim the host too, until one verifies it.
  const squat = await other.portal.post('/api/v1/partner/domains', { host });
  assert.equal(squat.status, 201, JSON.stringify(squat.body));
  const verify = () => p.portal.post(`/api/v1/partner/domains/${domainId}/verify`);
  const notYet = await verify();
  assert.equal(notYet.status, 409, JSON.stringify(notYet.body));
  assert.ok(notYet.body.detail.includes(added.body.verification.value));
  published.set(host, 'some-other-token');
  assert.equal((await verify()).status, 409);
  assert.equal((await other.portal.post(`/api/v1/partner/domains/${domainId}/verify`)).status, 404, "another partner's domain");
  const token = added.body.verification.value.slice('parley-verification='.length);
  published.set(host, token);
  const verified = await verify();
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  assert.equal(verified.body.verified, true);
  assert.ok(verified.body.verifiedAt);
  // The platform brand this host had a moment ago is not served from the cache.
  assert.deepEqual(await brandAt(app, host), acmeBrand);
  assert.deepEqual(await brandAt(app, `${host}:443`), acmeBrand);
  assert.equal((await verify()).status, 200, 'verifying again is harmless');

  // Refused domains.
  for (const bad of ['10.0.0.1', '[::1]', '::1', 'localhost', 'x.parley.test', 'parley.test', 'bad_domain!', 'http://chat.example.com', 'chat.example.com/path', '-x.example', `${'x'.repeat(64)}.example`]) {
    const r = await p.portal.post('/api/v1/partner/domains', { host: bad });
    assert.equal(r.status, 400, `${bad}: ${JSON.stringify(r.body)}`);
  }
  const taken = await other.portal.post('/api/v1/partner/domains', { host });
  assert.equal(taken.status, 409, JSON.stringify(taken.body));
  assert.equal((await p.portal.post('/api/v1/partner/domains', { host: 'CHAT.acme-customer.example' })).status, 409);
  assert.deepEqual((await other.portal.get('/api/v1/partner/domains')).body, [], "the verification removed the other partner's claim");

  // Removed: the host is the platform's again, at once.
  assert.equal((await other.portal.delete(`/api/v1/partner/domains/${domainId}`)).status, 404);
  assert.equal((await p.portal.delete(`/api/v1/partner/domains/${domainId}`)).status, 204);
  assert.deepEqual(await brandAt(app, host), PLATFORM_BRAND);
  assert.deepEqual((await p.portal.get('/api/v1/partner/domains')).body, []);
  // Now free for the other partner.
  assert.equal((await other.portal.post('/api/v1/partner/domains', { host })).status, 201);
});

test('OAuth clients: secret shown once, rotation and revocation take effect at once, scopes are checked', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);
  const other = await approvedPartner(app);
  const ownSite = await p.portal.post('/api/v1/partner/sites', { company: 'Own Shop', admin: { email: 'own@shop.example' } });
  assert.equal(ownSite.status, 201, JSON.stringify(ownSite.body));
  const foreignSite = await other.portal.post('/api/v1/partner/sites', { company: 'Foreign Shop', admin: { email: 'foreign@shop.example' } });
  assert.equal(foreignSite.status, 201, JSON.stringify(foreignSite.body));

  const tokenFor = (clientId: string, secret: string) => postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: secret });

  const created = await p.portal.post('/api/v1/partner/oauth-clients', { name: 'Back office', scopes: ['partner-api', 'site-data:read'] });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { id, clientId, clientSecret } = created.body;
  assert.match(clientSecret, /^pcs_[A-Za-z0-9_-]{43}$/);
  assert.match(clientId, /^pcl_/);
  assert.deepEqual(created.body.scopes, ['partner-api', 'site-data:read']);
  assert.equal(created.body.revokedAt, null);

  // The list never shows a secret (the approval's default client is there too).
  const listed = await p.portal.get('/api/v1/partner/oauth-clients');
  assert.equal(listed.status, 200);
  assert.deepEqual(
    listed.body.map((c: { clientId: string }) => c.clientId),
    [p.clientId, clientId],
  );
  for (const c of listed.body) assert.equal(c.clientSecret, undefined);
  const listedText = JSON.stringify(listed.body);
  assert.ok(!listedText.includes(clientSecret) && !listedText.includes(p.clientSecret) && !listedText.includes('pcs_'));
  assert.deepEqual((await other.portal.get('/api/v1/partner/oauth-clients')).body.map((c: { clientId: string }) => c.clientId), [other.clientId]);

  const first = await tokenFor(clientId, clientSecret);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.scope, 'partner-api site-data:read');
  const firstApi = partnerApi(app, first.body.access_token);
  assert.deepEqual((await firstApi.get('/sites')).body.map((s: { id: number }) => s.id), [ownSite.body.id]);

  // Rotation: the old secret and its tokens stop, the new one works.
  const rotated = await p.portal.post(`/api/v1/partner/oauth-clients/${id}/rotate-secret`);
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
  assert.equal(rotated.body.clientId, clientId);
  assert.match(rotated.body.clientSecret, /^pcs_/);
  assert.notEqual(rotated.body.clientSecret, clientSecret);
  assert.ok(rotated.body.rotatedAt);
  const old = await tokenFor(clientId, clientSecret);
  assert.equal(old.status, 401);
  assert.equal(old.body.error, 'invalid_client');
  assert.equal((await firstApi.get('/sites')).status, 401, "the old secret's token");
  const second = await tokenFor(clientId, rotated.body.clientSecret);
  assert.equal(second.status, 200, JSON.stringify(second.body));
  const secondApi = partnerApi(app, second.body.access_token);
  assert.equal((await secondApi.get('/sites')).status, 200);
  // Another partner cannot rotate or revoke it.
  assert.equal((await other.portal.post(`/api/v1/partner/oauth-clients/${id}/rotate-secret`)).status, 404);
  assert.equal((await other.portal.delete(`/api/v1/partner/oauth-clients/${id}`)).status, 404);
  assert.equal((await secondApi.get('/sites')).status, 200);

  // Revocation: its tokens stop on the Partner API and it gets no new ones.
  const revoked = await p.portal.delete(`/api/v1/partner/oauth-clients/${id}`);
  assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
  assert.ok(revoked.body.revokedAt);
  assert.equal((await secondApi.get('/sites')).status, 401);
  assert.equal((await tokenFor(clientId, rotated.body.clientSecret)).status, 401);
  assert.equal((await p.portal.post(`/api/v1/partner/oauth-clients/${id}/rotate-secret`)).status, 404, 'a revoked client stays revoked');
  // The partner's other credentials are untouched.
  assert.equal((await tokenFor(p.clientId, p.clientSecret)).status, 200);
  assert.equal((await partnerApi(app, await partnerApiToken(app, p)).get('/sites')).status, 200);

  // Scopes.
  const createWith = (scopes: unknown) => p.portal.post('/api/v1/partner/oauth-clients', { name: 'Scoped', scopes });
  const scoped = await createWith(['site-data:read', `site:${ownSite.body.id}`]);
  assert.equal(scoped.status, 201, JSON.stringify(scoped.body));
  for (const [scopes, status] of [
    [['admin'], 400],
    [['partner-api', 'admin'], 400],
    [['site:abc'], 400],
    [['site-data:read', 'site:abc'], 400],
    [[`site:${ownSite.body.id}`], 400], // a site scope limits site-data, so it needs one
    [['site-data:read', `site:${foreignSite.body.id}`], 404],
    [['site-data:read', 'site:999999'], 404],
    [[], 400],
    ['partner-api', 400],
  ] as const) {
    const r = await createWith(scopes);
    assert.equal(r.status, status, `${JSON.stringify(scopes)}: ${JSON.stringify(r.body)}`);
  }
  assert.equal((await p.portal.get('/api/v1/partner/oauth-clients')).body.length, 3, 'refused clients were not created');
});

test('platform admins run the portal for any partner; portal and Partner API tokens stay out of the platform routes', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);
  const admin = await platformAdmin(app);
  const base = `/api/v1/platform/partners/${p.partnerId}`;

  const theme = await admin.put(`${base}/theme`, { pairs: [{ cssKey: 'primaryColor', cssValue: '#ABC' }] });
  assert.equal(theme.status, 200, JSON.stringify(theme.body));
  assert.deepEqual((await p.portal.get('/api/v1/partner/theme')).body, { pairs: [{ cssKey: 'primaryColor', cssValue: '#abc' }] });
  assert.equal((await admin.put(`${base}/theme`, { pairs: [{ cssKey: 'primaryColor', cssValue: 'red;}' }] })).status, 400);
  assert.equal((await admin.put(`${base}/branding`, { branding: 'Set by the platform' })).body.branding, 'Set by the platform');
  const logo = await putLogo(app, admin.token, PNG_1X1, 'image/png', base);
  assert.equal(logo.status, 200, JSON.stringify(logo.body));
  assert.equal((await p.portal.get('/api/v1/partner/profile')).body.logoUrl, logo.body.logoUrl);
  const created = await admin.post(`${base}/oauth-clients`, { name: 'By the platform', scopes: ['partner-api'] });
  assert.equal(created.status, 201);
  assert.equal((await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret })).status, 200);
  assert.equal((await p.portal.get('/api/v1/partner/oauth-clients')).body.length, 2);
  const audit = (await admin.get(`${base}/audit`)).body;
  assert.equal(audit[0].action, 'oauthClient.created');
  assert.equal(audit[0].actor.kind, 'platform');

  // A partner that does not exist.
  assert.equal((await admin.get('/api/v1/platform/partners/999999/profile')).status, 404);
  assert.equal((await admin.put('/api/v1/platform/partners/999999/theme', { pairs: [] })).status, 404);
  assert.equal((await admin.put('/api/v1/platform/partners/999999/branding', { branding: 'x' })).status, 404);
  assert.equal((await admin.post('/api/v1/platform/partners/999999/oauth-clients', { name: 'x', scopes: ['partner-api'] })).status, 404);

  // A portal user is not a platform admin, not even for its own partner.
  for (const [method, path] of [
    ['get', '/api/v1/platform/partners'],
    ['get', `${base}/profile`],
    ['get', '/api/v1/platform/audit'],
    ['post', `${base}/suspend`],
  ] as const) {
    const r = method === 'get' ? await p.portal.get(path) : await p.portal.post(path);
    assert.equal(r.status, 403, `${method} ${path}: ${JSON.stringify(r.body)}`);
  }
  assert.equal((await p.portal.put(`${base}/theme`, { pairs: [] })).status, 403);
  // A Partner API token opens neither the platform routes nor the portal.
  const api = client(app.url, await partnerApiToken(app, p));
  assert.equal((await api.get(`${base}/profile`)).status, 403);
  assert.equal((await api.get('/api/v1/partner/profile')).status, 403);
  // A platform admin's token is not a portal session, and no token is no access.
  assert.equal((await admin.get('/api/v1/partner/profile')).status, 403);
  assert.equal((await client(app.url).get(`${base}/profile`)).status, 401);
  assert.equal((await client(app.url).get('/api/v1/partner/profile')).status, 401);
  assert.equal((await p.portal.get('/api/v1/partner/profile')).body.isActive, true);
});

test('the audit log records portal changes and never a secret', async (t) => {
  const published = new Map<string, string>();
  const app = await startParley(t, { ...LIMITS, PARLEY_BASE_DOMAIN: 'parley.test' }, { domainVerifier: async (host, token) => published.get(host) === token });
  const p: ApprovedPartner = await approvedPartner(app);
  const other = await approvedPartner(app);
  const secrets = [p.apiKey, p.clientSecret, p.portal.token ?? ''];

  assert.equal((await p.portal.put('/api/v1/partner/theme', { pairs: [{ cssKey: 'linkColor', cssValue: '#123456' }] })).status, 200);
  assert.equal((await p.portal.put('/api/v1/partner/branding', { branding: 'Audited' })).status, 200);
  assert.equal((await putLogo(app, p.portal.token, PNG_1X1, 'image/png')).status, 200);
  assert.equal((await p.portal.delete('/api/v1/partner/branding/logo')).status, 200);
  assert.equal((await p.portal.patch('/api/v1/partner/profile', { contactName: 'Audrey', name: 'Audited Inc' })).status, 200);
  const created = await p.portal.post('/api/v1/partner/oauth-clients', { name: 'Audited client', scopes: ['partner-api'] });
  secrets.push(created.body.clientSecret);
  const rotated = await p.portal.post(`/api/v1/partner/oauth-clients/${created.body.id}/rotate-secret`);
  secrets.push(rotated.body.clientSecret);
  assert.equal((await p.portal.delete(`/api/v1/partner/oauth-clients/${created.body.id}`)).status, 200);
  const key = await p.portal.post('/api/v1/partner/api-key/rotate');
  assert.equal(key.status, 200);
  secrets.push(key.body.apiKey);
  const domain = await p.portal.post('/api/v1/partner/domains', { host: 'audit.example.org' });
  published.set('audit.example.org', domain.body.verification.value.slice('parley-verification='.length));
  assert.equal((await p.portal.post(`/api/v1/partner/domains/${domain.body.id}/verify`)).status, 200);
  assert.equal((await p.portal.delete(`/api/v1/partner/domains/${domain.body.id}`)).status, 204);
  // Refused changes leave no entry.
  assert.equal((await p.portal.put('/api/v1/partner/theme', { pairs: [{ cssKey: 'linkColor', cssValue: 'red;}' }] })).status, 400);
  assert.equal((await putLogo(app, p.portal.token, PNG_1X1, 'image/gif')).status, 400);

  const res = await p.portal.get('/api/v1/partner/audit');
  assert.equal(res.status, 200);
  const entries: Json[] = res.body;
  assert.deepEqual(
    entries.map((e) => e.action).reverse(),
    [
      'application.approved',
      'partnerUser.passwordSet',
      'partner.themeUpdated',
      'partner.brandingUpdated',
      'partner.logoUpdated',
      'partner.logoRemoved',
      'partner.profileUpdated',
      'oauthClient.created',
      'oauthClient.secretRotated',
      'oauthClient.revoked',
      'partner.apiKeyRotated',
      'domain.added',
      'domain.verified',
      'domain.removed',
    ],
  );
  for (const e of entries) assert.equal(e.partnerId, p.partnerId);
  const byAction = (action: string) => entries.find((e) => e.action === action);
  assert.deepEqual(byAction('partner.themeUpdated').after, [{ cssKey: 'linkColor', cssValue: '#123456' }]);
  assert.deepEqual(byAction('partner.brandingUpdated').after, { branding: 'Audited' });
  assert.equal(byAction('partner.brandingUpdated').actor.kind, 'partner');
  assert.equal(byAction('partner.profileUpdated').after.pendingName, 'Audited Inc');
  assert.equal(byAction('oauthClient.created').target, `oauthClient:${created.body.id}`);
  assert.ok(byAction('partner.themeUpdated').requestId);

  const text = JSON.stringify(entries);
  for (const s of secrets) assert.ok(s && !text.includes(s), `the audit log holds a secret (${s.slice(0, 4)}…)`);
  for (const prefix of ['ppk_', 'pcs_', 'ppt_', 'ppu_', 'pol_']) assert.ok(!text.includes(prefix), `the audit log holds a ${prefix} secret`);
  // The platform's view of the same partner agrees; the other partner sees only its own.
  const admin = await platformAdmin(app);
  assert.deepEqual((await admin.get(`/api/v1/platform/audit?partnerId=${p.partnerId}`)).body, entries);
  const others = (await other.portal.get('/api/v1/partner/audit')).body;
  assert.ok(others.length > 0 && others.every((e: { partnerId: number }) => e.partnerId === other.partnerId));
});

// A partner that does not exist has no domains to list or add to, as on every other portal route.
test('a platform admin adding a domain to a partner that does not exist gets 404', async (t) => {
  const app = await startParley(t, LIMITS);
  const admin = await platformAdmin(app);
  assert.equal((await admin.post('/api/v1/platform/partners/999999/domains', { host: 'chat.nobody.example' })).status, 404);
  assert.equal((await admin.get('/api/v1/platform/partners/999999/domains')).status, 404);
});
