// Finding sites: a partner searches its own sites in the portal (by company, website or id), and
// platform admins look through every partner's sites with filters and paging. `%` and `_` are
// letters, not wildcards, and no search reaches another partner's sites.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiResponse } from './helpers/api.ts';
import { startParley } from './helpers/parley.ts';
import { type ApprovedPartner, approvedPartner, platformAdmin } from './helpers/partners.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

const LIMITS = { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000' };

/** Opens a site through the portal; returns its id. */
async function openSite(p: ApprovedPartner, company: string, website?: string): Promise<number> {
  const admin = { email: `admin-${Math.random().toString(36).slice(2, 10)}@site.example` };
  const res = await p.portal.post('/api/v1/partner/sites', { company, ...(website && { website }), admin });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** The companies of a list answer, in its order. */
function companies(res: ApiResponse<Json>): string[] {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.map((s: Json) => s.company);
}

function assertBadRequest(res: ApiResponse<Json>, why: string): void {
  assert.equal(res.status, 400, `${why}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, why);
  assert.equal(res.body.status, 400, why);
}

test("the portal's site list searches the partner's own sites by company, website or id", async (t) => {
  const app = await startParley(t, LIMITS);
  const a = await approvedPartner(app, 'Search Alpha');
  const b = await approvedPartner(app, 'Search Beta');
  const acme = await openSite(a, 'Acme Shop', 'https://acme.example');
  await openSite(a, 'Organic% Farm');
  await openSite(a, 'Bolt_Works');
  await openSite(a, 'Corner Store', 'https://CORNER.example/shop');
  const rival = await openSite(b, 'Acme Rival');
  const list = (q: string, extra = '') => a.portal.get(`/api/v1/partner/sites?q=${encodeURIComponent(q)}${extra}`);

  assert.deepEqual(companies(await list('')), ['Acme Shop', 'Organic% Farm', 'Bolt_Works', 'Corner Store'], 'an empty search lists every site, oldest first');
  assert.deepEqual(companies(await a.portal.get('/api/v1/partner/sites')), ['Acme Shop', 'Organic% Farm', 'Bolt_Works', 'Corner Store'], 'as does none');
  assert.deepEqual(companies(await list('acme')), ['Acme Shop'], "a name in any case; never another partner's site");
  assert.deepEqual(companies(await list('  SHOP ')), ['Acme Shop', 'Corner Store'], 'company or website, trimmed');
  assert.deepEqual(companies(await list('corner.EXAMPLE')), ['Corner Store'], 'a website in any case');
  assert.deepEqual(companies(await list(String(acme))), ['Acme Shop'], 'a site id');
  assert.deepEqual(companies(await list(String(rival))), [], "another partner's site id finds nothing");
  const diner = await openSite(a, 'Route 66 Diner');
  assert.deepEqual(companies(await list('66')), ['Route 66 Diner'], 'digits match names too');
  assert.deepEqual(companies(await list(String(diner))), ['Route 66 Diner']);
  assert.deepEqual(companies(await list('%')), ['Organic% Farm'], '% is a letter, not a wildcard');
  assert.deepEqual(companies(await list('C% F')), ['Organic% Farm']);
  assert.deepEqual(companies(await list('_')), ['Bolt_Works'], '_ is a letter, not a wildcard');
  assert.deepEqual(companies(await list('t_w')), ['Bolt_Works']);
  assert.deepEqual(companies(await list('a%e')), [], 'no wildcard between letters either');
  assert.deepEqual(companies(await list('\\')), [], 'a backslash is a letter too');
  assert.deepEqual(companies(await list('Rival')), []);

  // Deleted sites are searched among the deleted ones.
  assert.equal((await a.portal.delete(`/api/v1/partner/sites/${acme}`)).status, 200);
  assert.deepEqual(companies(await list('acme')), []);
  assert.deepEqual(companies(await list('acme', '&deleted=true')), ['Acme Shop']);

  // A platform admin searches one partner's sites through its mount.
  const admin = await platformAdmin(app);
  assert.deepEqual(companies(await admin.get(`/api/v1/platform/partners/${b.partnerId}/sites?q=acme`)), ['Acme Rival']);

  assertBadRequest(await list('x'.repeat(101)), 'a search longer than 100');
});

test("platform admins list every partner's sites, newest first, with filters and paging", async (t) => {
  const app = await startParley(t, LIMITS);
  const a = await approvedPartner(app, 'Alpha Resellers');
  const b = await approvedPartner(app, 'Beta Resellers');
  const admin = await platformAdmin(app);
  const ids: Record<string, number> = {};
  for (const [p, company, website] of [
    [a, 'Acme Shop', 'https://acme.example'],
    [b, 'Acme Rival', undefined],
    [a, 'Half% Off Outlet', undefined],
    [b, 'Quiet Bakery', 'https://bakery.example'],
    [a, 'Zed Garage', undefined],
  ] as const) {
    ids[company] = await openSite(p, company, website);
  }
  const sites = (query = '') => admin.get(`/api/v1/platform/sites${query}`);

  const all = await sites();
  assert.deepEqual(companies(all), ['Zed Garage', 'Quiet Bakery', 'Half% Off Outlet', 'Acme Rival', 'Acme Shop']);
  const shop = all.body.find((s: Json) => s.company === 'Acme Shop');
  assert.equal(shop.partnerId, a.partnerId);
  assert.equal(shop.partnerName, 'Alpha Resellers');
  assert.equal(shop.website, 'https://acme.example');
  assert.equal(shop.status, 'active');
  assert.equal(all.body.find((s: Json) => s.company === 'Acme Rival').partnerName, 'Beta Resellers');
  assert.equal('serving' in shop, false);

  assert.deepEqual(companies(await sites('?q=ACME')), ['Acme Rival', 'Acme Shop'], 'a search spans partners');
  assert.deepEqual(companies(await sites('?q=bakery.example')), ['Quiet Bakery']);
  assert.deepEqual(companies(await sites(`?q=${ids['Acme Rival']}`)), ['Acme Rival']);
  assert.deepEqual(companies(await sites('?q=%25')), ['Half% Off Outlet'], '% is a letter');
  assert.deepEqual(companies(await sites('?q=_')), [], '_ is a letter');
  assert.deepEqual(companies(await sites(`?partnerId=${b.partnerId}`)), ['Quiet Bakery', 'Acme Rival']);
  assert.deepEqual(companies(await sites(`?partnerId=${a.partnerId}&q=acme`)), ['Acme Shop']);
  assert.deepEqual(companies(await sites('?partnerId=999999')), []);

  // Paging back with before and limit.
  const first = await sites('?limit=2');
  assert.deepEqual(companies(first), ['Zed Garage', 'Quiet Bakery']);
  const second = await sites(`?limit=2&before=${first.body[1].id}`);
  assert.deepEqual(companies(second), ['Half% Off Outlet', 'Acme Rival']);
  assert.deepEqual(companies(await sites(`?limit=2&before=${second.body[1].id}`)), ['Acme Shop']);

  // Status: by default all but the deleted ones.
  assert.equal((await a.portal.post(`/api/v1/partner/sites/${ids['Zed Garage']}/disable`)).status, 200);
  assert.equal((await b.portal.delete(`/api/v1/partner/sites/${ids['Quiet Bakery']}`)).status, 200);
  assert.deepEqual(companies(await sites()), ['Zed Garage', 'Half% Off Outlet', 'Acme Rival', 'Acme Shop']);
  assert.deepEqual(companies(await sites('?status=disabled')), ['Zed Garage']);
  assert.deepEqual(companies(await sites('?status=deleted')), ['Quiet Bakery']);
  assert.deepEqual(companies(await sites('?status=active&q=acme')), ['Acme Rival', 'Acme Shop']);

  // Bad input is a problem+json 400.
  for (const [query, why] of [
    ['?limit=0', 'limit 0'],
    ['?limit=201', 'limit over 200'],
    ['?limit=ten', 'limit not a number'],
    ['?status=x', 'unknown status'],
    ['?before=0', 'before not an id'],
    ['?partnerId=-1', 'partnerId not an id'],
    [`?q=${'x'.repeat(101)}`, 'search longer than 100'],
    ['?q=%00', 'a NUL in the search (it would cut the pattern short)'],
    ['?q=a%1Fb', 'a control character in the search'],
    ['?sort=name', 'unknown parameter'],
  ]) {
    assertBadRequest(await sites(query), why!);
  }

  // Only platform admins: a partner's portal token is refused, and without a token too.
  const refused = await a.portal.get('/api/v1/platform/sites');
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal((await a.portal.get('/api/v1/platform/sites?q=acme')).status, 403);
  assert.equal((await fetch(`${app.url}/api/v1/platform/sites`)).status, 401);
  // The partner's own search still shows only its own sites.
  assert.deepEqual(companies(await a.portal.get('/api/v1/partner/sites?q=acme')), ['Acme Shop']);
});
