// The site settings of the mobile WebView chat through the real API (docs/mobile-webview.md,
// docs/control-panel.md): skills (a round trip, each bad field refused by name with nothing stored,
// names unique whatever their case, groups of the site only, the spec's standard skills added once),
// the Ssotoken settings (a JWT secret shown once and replaced, a verification URL and its timeout),
// manageSettings on every route, and one site never reaching another's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApiResponse, client } from './helpers/api.ts';
import { startParley } from './helpers/parley.ts';
import { type PartnerSite, partnerWithTwoSites } from './helpers/partners.ts';

type Api = ReturnType<typeof client>;
type Skill = { id: number; name: string; groupId: number | null; deepLink: unknown };

const SKILLS = '/api/v1/webview/skills';
const SETTINGS = '/api/v1/webview/settings';

/** The spec's Skill table: name → deep link (action, uri, destination), in English. */
const SPEC_SKILLS: Record<string, { action: string; uri: string; destination: string } | null> = {
  Generic: null,
  GuaranTee: { action: 'guarantee', uri: 'https://www.nextbank.com.tw/app/?action=guarantee', destination: 'App account home' },
  MobChg: { action: 'mob_chg', uri: 'https://www.nextbank.com.tw/app/?action=mob_chg', destination: 'Settings' },
  AccUp: { action: 'acc_up', uri: 'https://www.nextbank.com.tw/app/?action=acc_up', destination: 'App account home' },
  '3APlus': { action: '3a_plus', uri: 'https://www.nextbank.com.tw/app/?action=3a_plus', destination: 'App account home' },
  SetAgreeAcc: { action: 'set_agree_acc', uri: 'https://www.nextbank.com.tw/app/?action=set_agree_acc', destination: 'App account home' },
  PreDesAcc: { action: 'pre_des_acc', uri: 'https://www.nextbank.com.tw/app/?action=pre_des_acc', destination: 'App account home' },
  Mortgage: null,
};

function assertProblem(res: ApiResponse, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
}

/** The refusal names the field (`body.deepLink.uri`, `/body/groupId`…). */
function assertNames(res: ApiResponse, field: string, what: string): void {
  assertProblem(res, 400, what);
  const body = res.body as { errors?: { path: string }[] };
  const paths = (body.errors ?? []).map((e) => e.path.replace(/^\//, '').replaceAll('/', '.'));
  assert.ok(paths.includes(`body.${field}`), `${what}: names ${field} in ${JSON.stringify(res.body)}`);
}

async function setup(t: Parameters<typeof startParley>[0]) {
  const app = await startParley(t);
  const sites = await partnerWithTwoSites(app, 'Bank Partner', ['Next Bank', 'Other Bank']);
  const withGroups = (site: PartnerSite) => ({
    ...site,
    group: async (name: string) => {
      const created = await site.admin.post('/api/v1/groups', { name });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.id as number;
    },
  });
  const one = withGroups(sites.one);
  const two = withGroups(sites.two);
  const agent = sites.agent;
  return { app, one, two, agent };
}

const list = async (api: Api) => {
  const res = await api.get(SKILLS);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as Skill[];
};

test('skills: a round trip; each bad field is refused by name and nothing is stored; names are unique whatever their case; only groups of the site', async (t) => {
  const { one, two } = await setup(t);
  const mobile = await one.group('Mobile team');
  const loans = await one.group('Loans');
  const foreign = await two.group('Their team');

  assert.deepEqual(await list(one.admin), [], 'a new site has no skills');

  const created = await one.admin.post(SKILLS, { name: 'MobChg', groupId: mobile, deepLink: { action: 'mob_chg', uri: 'https://bank.example/app/?action=mob_chg', destination: 'Settings' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const skill = created.body;
  assert.equal(skill.name, 'MobChg');
  assert.equal(skill.groupId, mobile);
  assert.deepEqual(skill.deepLink, { action: 'mob_chg', uri: 'https://bank.example/app/?action=mob_chg', destination: 'Settings' });
  assert.ok(Date.parse(skill.createdAt) > 0 && Date.parse(skill.updatedAt) > 0);

  const bare = await one.admin.post(SKILLS, { name: 'Generic' });
  assert.equal(bare.status, 201, JSON.stringify(bare.body));
  assert.deepEqual([bare.body.groupId, bare.body.deepLink], [null, null], 'no group (the routing rule), no deep link');
  assert.deepEqual((await list(one.admin)).map((s) => s.name), ['Generic', 'MobChg']);

  await t.test('changes: the fields given change, null clears one', async () => {
    const moved = await one.admin.patch(`${SKILLS}/${skill.id}`, { groupId: loans, deepLink: { destination: 'Phone settings' } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.groupId, loans);
    assert.deepEqual(moved.body.deepLink, { action: 'mob_chg', uri: 'https://bank.example/app/?action=mob_chg', destination: 'Phone settings' }, 'the other link fields stay');
    const renamed = await one.admin.patch(`${SKILLS}/${skill.id}`, { name: 'mobchg', deepLink: { uri: null } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'mobchg', 'its own name in another case is no clash');
    assert.deepEqual(renamed.body.deepLink, { action: 'mob_chg', uri: null, destination: 'Phone settings' });
    const cleared = await one.admin.patch(`${SKILLS}/${skill.id}`, { name: 'MobChg', groupId: null, deepLink: null });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual([cleared.body.name, cleared.body.groupId, cleared.body.deepLink], ['MobChg', null, null]);
    const back = await one.admin.patch(`${SKILLS}/${skill.id}`, { groupId: mobile, deepLink: { action: 'mob_chg', uri: 'https://bank.example/m', destination: 'Settings' } });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assertProblem(await one.admin.patch(`${SKILLS}/${skill.id}`, {}), 400, 'an empty change');
  });

  await t.test('each bad field is refused naming it, on add and on change, and nothing is stored', async () => {
    const before = await list(one.admin);
    const bad: [string, Record<string, unknown>][] = [
      ['name', { name: '' }],
      ['name', { name: 'Mob Chg' }],
      ['name', { name: 'x'.repeat(51) }],
      ['name', { name: 'Mob.Chg' }],
      ['groupId', { name: 'New1', groupId: 0 }],
      ['groupId', { name: 'New2', groupId: 'one' }],
      ['groupId', { name: 'New3', groupId: foreign }],
      ['groupId', { name: 'New4', groupId: 999_999 }],
      ['deepLink.action', { name: 'New5', deepLink: { action: 'Mob-Chg' } }],
      ['deepLink.action', { name: 'New6', deepLink: { action: 'a'.repeat(101) } }],
      ['deepLink.uri', { name: 'New7', deepLink: { uri: 'http://bank.example/app' } }],
      ['deepLink.uri', { name: 'New8', deepLink: { uri: 'not a url' } }],
      ['deepLink.uri', { name: 'New9', deepLink: { uri: `https://bank.example/${'a'.repeat(500)}` } }],
      ['deepLink.destination', { name: 'New10', deepLink: { destination: 'd'.repeat(201) } }],
      ['deepLink.destination', { name: 'New11', deepLink: { destination: '   ' } }],
      ['deepLink.extra', { name: 'New12', deepLink: { extra: 'x' } }],
      ['colour', { name: 'New13', colour: 'red' }],
    ];
    for (const [field, body] of bad) {
      assertNames(await one.admin.post(SKILLS, body), field, `add with bad ${field}: ${JSON.stringify(body).slice(0, 80)}`);
      const { name: _name, ...rest } = body;
      const change = field === 'name' ? { name: body.name } : rest;
      assertNames(await one.admin.patch(`${SKILLS}/${skill.id}`, change), field, `change with bad ${field}: ${JSON.stringify(change).slice(0, 80)}`);
    }
    assertNames(await one.admin.post(SKILLS, {}), 'name', 'a skill needs a name');
    assert.deepEqual(await list(one.admin), before, 'nothing stored, nothing changed');
  });

  await t.test('a name taken in any case is 409 on add and on rename', async () => {
    const before = await list(one.admin);
    for (const name of ['MobChg', 'mobchg', 'MOBCHG']) {
      const res = await one.admin.post(SKILLS, { name });
      assertProblem(res, 409, `add ${name}`);
      assert.match(res.body.detail, /already exists/);
    }
    assertProblem(await one.admin.patch(`${SKILLS}/${bare.body.id}`, { name: 'MOBchg' }), 409, 'rename onto another skill');
    assert.deepEqual(await list(one.admin), before);
  });

  await t.test('delete: 204, then 404; an unknown skill is 404 everywhere', async () => {
    const del = await one.admin.delete(`${SKILLS}/${bare.body.id}`);
    assert.equal(del.status, 204, JSON.stringify(del.body));
    assertProblem(await one.admin.delete(`${SKILLS}/${bare.body.id}`), 404, 'deleted twice');
    assertProblem(await one.admin.patch(`${SKILLS}/${bare.body.id}`, { groupId: null }), 404, 'change a deleted skill');
    assertProblem(await one.admin.get(`${SKILLS}/nope`), 404, 'no such route');
    assertProblem(await one.admin.delete(`${SKILLS}/0`), 400, 'a bad id');
    assert.deepEqual((await list(one.admin)).map((s) => s.name), ['MobChg']);
    // The name is free again, in any case.
    const again = await one.admin.post(SKILLS, { name: 'GENERIC' });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal((await one.admin.delete(`${SKILLS}/${again.body.id}`)).status, 204);
  });
});

test("the standard skills: the spec's eight with their deep links, added once; skills the site has are kept", async (t) => {
  const { one } = await setup(t);
  const team = await one.group('Phone team');
  // The site already has MobChg (in another case, with its own group and link): it is kept as it is.
  const own = await one.admin.post(SKILLS, { name: 'mobCHG', groupId: team, deepLink: { action: 'own_action' } });
  assert.equal(own.status, 201, JSON.stringify(own.body));

  const first = await one.admin.post(`${SKILLS}/presets`);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const byName = new Map((first.body as Skill[]).map((s) => [s.name, s]));
  assert.equal(byName.size, 8, JSON.stringify(first.body));
  for (const [name, link] of Object.entries(SPEC_SKILLS)) {
    if (name === 'MobChg') continue;
    assert.deepEqual(byName.get(name)?.deepLink, link, `${name}'s deep link`);
    assert.equal(byName.get(name)?.groupId, null, `${name} has no group yet`);
  }
  assert.deepEqual(byName.get('mobCHG'), own.body, 'the site’s own MobChg is untouched');

  const second = await one.admin.post(`${SKILLS}/presets`, {});
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.deepEqual(second.body, first.body, 'a second call changes nothing');
  assert.deepEqual(await list(one.admin), first.body, 'the answer is the list');

  // Deleted standard skills come back with their spec's link; the others stay as the admin left them.
  const guarantee = byName.get('GuaranTee')!;
  const accUp = byName.get('AccUp')!;
  assert.equal((await one.admin.patch(`${SKILLS}/${accUp.id}`, { groupId: team })).status, 200);
  assert.equal((await one.admin.delete(`${SKILLS}/${guarantee.id}`)).status, 204);
  const third = await one.admin.post(`${SKILLS}/presets`);
  const again = new Map((third.body as Skill[]).map((s) => [s.name, s]));
  assert.equal(again.size, 8);
  assert.deepEqual(again.get('GuaranTee')?.deepLink, SPEC_SKILLS.GuaranTee);
  assert.equal(again.get('AccUp')?.groupId, team);

  await t.test('a site has at most 100 skills', async () => {
    for (let i = 8; i < 100; i++) assert.equal((await one.admin.post(SKILLS, { name: `Extra${i}` })).status, 201);
    const over = await one.admin.post(SKILLS, { name: 'OneTooMany' });
    assertProblem(over, 409, 'the 101st skill');
    assert.equal(over.body.reason, 'skill-limit');
    // Presets that would pass the limit add nothing; with room, the missing ones come back.
    const mortgage = again.get('Mortgage')!;
    const generic = again.get('Generic')!;
    assert.equal((await one.admin.delete(`${SKILLS}/${mortgage.id}`)).status, 204);
    assert.equal((await one.admin.delete(`${SKILLS}/${generic.id}`)).status, 204);
    assert.equal((await one.admin.post(SKILLS, { name: 'Filler' })).status, 201);
    assertProblem(await one.admin.post(`${SKILLS}/presets`), 409, 'two presets into one place');
    assert.equal((await list(one.admin)).length, 99);
    assert.equal((await one.admin.delete(`${SKILLS}/${(await list(one.admin)).find((s) => s.name === 'Filler')!.id}`)).status, 204);
    const refilled = await one.admin.post(`${SKILLS}/presets`);
    assert.equal(refilled.status, 200, JSON.stringify(refilled.body));
    assert.equal(refilled.body.length, 100);
  });
});

test('Ssotoken settings: defaults; jwt makes a secret shown once; it is never shown again; rotating replaces it; url needs a URL; a bad timeout is refused', async (t) => {
  const { one } = await setup(t);

  const initial = await one.admin.get(SETTINGS);
  assert.equal(initial.status, 200, JSON.stringify(initial.body));
  assert.deepEqual(initial.body, { mode: 'none', hasSecret: false, verifyUrl: null, verifyTimeoutMs: 3000, updatedAt: null });

  const jwt = await one.admin.put(SETTINGS, { mode: 'jwt' });
  assert.equal(jwt.status, 200, JSON.stringify(jwt.body));
  assert.equal(jwt.body.mode, 'jwt');
  assert.equal(jwt.body.hasSecret, true);
  assert.match(jwt.body.secret, /^pws_[A-Za-z0-9_-]{43}$/, 'the new secret, in this answer');
  const secret: string = jwt.body.secret;

  const shown = await one.admin.get(SETTINGS);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.mode, 'jwt');
  assert.equal(shown.body.hasSecret, true);
  assert.ok(Date.parse(shown.body.updatedAt) > 0);
  assert.equal('secret' in shown.body, false, 'the view never has the secret');
  assert.equal(JSON.stringify(shown.body).includes(secret.slice(4)), false);

  const again = await one.admin.put(SETTINGS, { mode: 'jwt' });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal('secret' in again.body, false, 'jwt again keeps the secret and does not show it');

  const rotated = await one.admin.post(`${SETTINGS}/secret`);
  assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
  assert.match(rotated.body.secret, /^pws_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(rotated.body.secret, secret, 'a new secret');
  assert.deepEqual(Object.keys(rotated.body), ['secret']);
  assert.equal('secret' in (await one.admin.get(SETTINGS)).body, false);

  await t.test('url: needs a URL (http or https, without credentials), a timeout of 500 to 10000 ms', async () => {
    const before = (await one.admin.get(SETTINGS)).body;
    const bad: [string, Record<string, unknown>][] = [
      ['verifyUrl', { mode: 'url' }],
      ['verifyUrl', { mode: 'url', verifyUrl: null }],
      ['verifyUrl', { mode: 'url', verifyUrl: 'ftp://bank.example/verify' }],
      ['verifyUrl', { mode: 'url', verifyUrl: 'not a url' }],
      ['verifyUrl', { mode: 'url', verifyUrl: 'https://user:pw@bank.example/verify' }],
      ['verifyUrl', { mode: 'url', verifyUrl: `https://bank.example/${'v'.repeat(500)}` }],
      ['verifyTimeoutMs', { mode: 'url', verifyUrl: 'https://bank.example/verify', verifyTimeoutMs: 499 }],
      ['verifyTimeoutMs', { mode: 'url', verifyUrl: 'https://bank.example/verify', verifyTimeoutMs: 10_001 }],
      ['verifyTimeoutMs', { mode: 'url', verifyUrl: 'https://bank.example/verify', verifyTimeoutMs: 1500.5 }],
      ['verifyTimeoutMs', { mode: 'url', verifyUrl: 'https://bank.example/verify', verifyTimeoutMs: '3000' }],
      ['mode', { mode: 'oauth' }],
      ['mode', {}],
      ['secret', { mode: 'jwt', secret: 'mine' }],
    ];
    for (const [field, body] of bad) {
      const res = await one.admin.put(SETTINGS, body);
      assertNames(res, field, `bad ${field}: ${JSON.stringify(body).slice(0, 80)}`);
      assert.equal(JSON.stringify(res.body).includes('pws_'), false, 'an error never carries a secret');
    }
    assert.deepEqual((await one.admin.get(SETTINGS)).body, before, 'nothing changed');

    const url = await one.admin.put(SETTINGS, { mode: 'url', verifyUrl: 'https://sso.bank.example/verify', verifyTimeoutMs: 1500 });
    assert.equal(url.status, 200, JSON.stringify(url.body));
    assert.deepEqual([url.body.mode, url.body.verifyUrl, url.body.verifyTimeoutMs, url.body.hasSecret], ['url', 'https://sso.bank.example/verify', 1500, true]);
    assert.equal('secret' in url.body, false);
    // A local verifier over plain http is allowed (the SSRF guard is issue 24's).
    const http = await one.admin.put(SETTINGS, { mode: 'url', verifyUrl: 'http://127.0.0.1:8080/verify' });
    assert.equal(http.status, 200, JSON.stringify(http.body));
    assert.equal(http.body.verifyTimeoutMs, 1500, 'a timeout left out keeps its value');
    // Back to none: the URL and the secret are kept for later.
    const none = await one.admin.put(SETTINGS, { mode: 'none' });
    assert.equal(none.status, 200, JSON.stringify(none.body));
    assert.deepEqual([none.body.mode, none.body.verifyUrl, none.body.hasSecret], ['none', 'http://127.0.0.1:8080/verify', true]);
    const url2 = await one.admin.put(SETTINGS, { mode: 'url' });
    assert.equal(url2.status, 200, 'the kept URL serves');
  });
});

test('manageSettings: an agent without it is refused (403) on every route and nothing changes; once granted, it succeeds, but the Ssotoken check stays with site admins', async (t) => {
  const { app, one, agent } = await setup(t);
  const seed = await one.admin.post(SKILLS, { name: 'Seed' });
  assert.equal(seed.status, 201);
  const una = await agent('Una');
  const calls: [string, (api: Api) => Promise<ApiResponse>, number][] = [
    ['GET skills', (api) => api.get(SKILLS), 200],
    ['POST skills', (api) => api.post(SKILLS, { name: 'Una1' }), 201],
    ['PATCH skill', (api) => api.patch(`${SKILLS}/${seed.body.id}`, { deepLink: { action: 'una' } }), 200],
    ['POST presets', (api) => api.post(`${SKILLS}/presets`), 200],
    ['GET settings', (api) => api.get(SETTINGS), 200],
    // Whoever sets the token check can sign in as any bank customer: site admins only.
    ['PUT settings', (api) => api.put(SETTINGS, { mode: 'jwt' }), 403],
    ['POST secret', (api) => api.post(`${SETTINGS}/secret`), 403],
    ['DELETE skill', (api) => api.delete(`${SKILLS}/${seed.body.id}`), 204],
  ];
  const snapshot = async () => ({ skills: await list(one.admin), settings: (await one.admin.get(SETTINGS)).body });
  const before = await snapshot();
  for (const [name, send] of calls) {
    const res = await send(una.api);
    assertProblem(res, 403, `${name} without the permission`);
    assert.equal((res.body as { permission?: string }).permission, 'manageSettings', name);
  }
  assert.deepEqual(await snapshot(), before, 'refused calls changed nothing');
  for (const [name, send] of calls) assertProblem(await send(client(app.url)), 401, `${name} signed out`);

  const granted = await one.admin.put(`/api/v1/agents/${una.id}/permissions`, { permissions: ['banVisitors', 'manageSettings'] });
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  for (const [name, send, status] of calls) {
    const res = await send(una.api);
    assert.equal(res.status, status, `${name} with the permission: ${JSON.stringify(res.body)}`);
  }
  assert.equal((await one.admin.get(SETTINGS)).body.mode, 'none', 'the token check is unchanged');
});

test("one site's admin cannot read, change or delete another site's skill, nor see or change its settings", async (t) => {
  const { one, two } = await setup(t);
  const theirs = await two.admin.post(SKILLS, { name: 'MobChg', deepLink: { action: 'mob_chg' } });
  assert.equal(theirs.status, 201);
  const jwt = await two.admin.put(SETTINGS, { mode: 'jwt' });
  assert.equal(jwt.status, 200);
  const before = { skills: await list(two.admin), settings: (await two.admin.get(SETTINGS)).body };

  assert.deepEqual(await list(one.admin), [], "site One's list has none of Two's skills");
  assertProblem(await one.admin.patch(`${SKILLS}/${theirs.body.id}`, { name: 'Taken' }), 404, "change Two's skill");
  assertProblem(await one.admin.delete(`${SKILLS}/${theirs.body.id}`), 404, "delete Two's skill");
  const mine = await one.admin.get(SETTINGS);
  assert.deepEqual(mine.body, { mode: 'none', hasSecret: false, verifyUrl: null, verifyTimeoutMs: 3000, updatedAt: null }, "One sees its own settings, not Two's");
  // The same name in another site is free; presets and settings act on the caller's site only.
  assert.equal((await one.admin.post(SKILLS, { name: 'mobchg' })).status, 201);
  assert.equal((await one.admin.post(`${SKILLS}/presets`)).status, 200);
  assert.equal((await one.admin.put(SETTINGS, { mode: 'url', verifyUrl: 'https://one.example/verify' })).status, 200);
  assert.equal((await one.admin.post(`${SETTINGS}/secret`)).status, 200);

  assert.deepEqual({ skills: await list(two.admin), settings: (await two.admin.get(SETTINGS)).body }, before, "Two's skills and settings are as they were");
});
