// The control panel's API and who may call it: every new route × {site admin, agent holding the
// permission, agent without it, another site's admin, the partner's site-data token, a partner
// token without site-data scope}; refused calls answer problem+json and change nothing. And the
// site's IP restrictions: refused visitors cannot start, chat or be stored; agents only from the
// allowed addresses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ApiResponse, call, client } from './helpers/api.ts';
import { startParley } from './helpers/parley.ts';
import { connectLive } from './helpers/realtime.ts';
import { partnerWithTwoSites, postForm } from './helpers/partners.ts';

type Api = ReturnType<typeof client>;
type Caller = { name: string; send(method: string, path: string, body?: unknown): Promise<ApiResponse> };

const PERMISSIONS = [
  'editSiteProfile',
  'manageAgents',
  'managePermissions',
  'manageCampaigns',
  'manageSettings',
  'manageCanned',
  'viewReports',
  'monitorChats',
  'banVisitors',
  'manageIpRestrictions',
];

function assertProblem(res: ApiResponse, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, what);
}

async function setup(t: Parameters<typeof startParley>[0]) {
  const app = await startParley(t);
  const { partner, one, two, agent } = await partnerWithTwoSites(app, 'Panel Partner', ['One', 'Two']);
  const token = async (scopes: string[]) => {
    const created = await partner.portal.post('/api/v1/partner/oauth-clients', { name: scopes.join(','), scopes });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const res = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.access_token as string;
  };
  return { app, one, two, agent, token };
}

test('every control-panel route gives each kind of caller the expected answer, and refused calls change nothing', async (t) => {
  const { app, one, two, agent, token } = await setup(t);
  const pat = await agent('Pat');
  const una = await agent('Una');
  // Pat holds every permission through a group; Una holds only what new agents start with.
  const staff = await one.admin.post('/api/v1/groups', { name: 'Staff', agentIds: [pat.id] });
  assert.equal(staff.status, 201);
  const granted = await one.admin.put(`/api/v1/groups/${staff.body.id}/permissions`, { permissions: PERMISSIONS });
  assert.equal(granted.status, 200, JSON.stringify(granted.body));
  assert.deepEqual(granted.body.agents.find((a: { agentId: number }) => a.agentId === pat.id).effective, PERMISSIONS);
  assert.deepEqual(granted.body.agents.find((a: { agentId: number }) => a.agentId === una.id).effective, ['banVisitors']);

  const writer = await token(['site-data:write']);
  const partnerOnly = await token(['partner-api']);
  const bearer = (name: string, tokenValue: string, siteId?: number): Caller => ({
    name,
    send: (method, path, body) => call(app.url, method, path, { token: tokenValue, body, headers: siteId === undefined ? {} : { 'parley-site-id': String(siteId) } }),
  });
  const agentCaller = (name: string, api: Api) => bearer(name, api.token!);
  const callers = {
    admin: agentCaller('site admin', one.admin),
    permitted: agentCaller('permitted agent', pat.api),
    unpermitted: agentCaller('unpermitted agent', una.api),
    otherAdmin: agentCaller("another site's admin", two.admin),
    siteData: bearer('site-data token', writer, one.siteId),
    noScope: bearer('token without site-data scope', partnerOnly, one.siteId),
  };

  // What the site looks like to its admin; a refused call must leave all of it as it was.
  const snapshot = async () => {
    const out: Record<string, unknown> = {};
    const paths = ['/api/v1/agents', '/api/v1/groups', '/api/v1/permissions', '/api/v1/site', '/api/v1/site/ip-restrictions', '/api/v1/campaigns'];
    for (const path of [...paths, '/api/v1/im/settings', '/api/v1/im/keys', '/api/v1/widget/settings', '/api/v1/file-settings']) {
      out[path] = (await one.admin.get(path)).body;
    }
    return out;
  };

  let n = 0;
  const throwaway = async () => {
    n += 1;
    const created = await one.admin.post('/api/v1/agents', { email: `temp${n}@one.example`, name: `Temp ${n}`, password: 'agent-pass-1' });
    return created.body.id as number;
  };
  const throwawayCampaign = async () => {
    n += 1;
    return (await one.admin.post('/api/v1/campaigns', { name: `Campaign ${n}` })).body.id as number;
  };
  const throwawayGroup = async () => {
    n += 1;
    return (await one.admin.post('/api/v1/groups', { name: `Group ${n}` })).body.id as number;
  };

  // Each route: how to call it (targets made fresh for every caller), and whether it is site-wide
  // (another site's admin then acts on its own site) or names one of site One's records (404).
  interface Route {
    name: string;
    permission: string | null;
    agentOnly?: boolean;
    scope: 'site' | 'record';
    make(): Promise<{ method: string; path: string; body?: unknown }>;
  }
  const routes: Route[] = [
    { name: 'GET /api/v1/site', permission: null, scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/site' }) },
    { name: 'PATCH /api/v1/site', permission: 'editSiteProfile', scope: 'site', make: async () => ({ method: 'PATCH', path: '/api/v1/site', body: { city: `City ${++n}`, timeZone: 'Europe/Berlin' } }) },
    { name: 'GET /api/v1/site/ip-restrictions', permission: 'manageIpRestrictions', scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/site/ip-restrictions' }) },
    {
      name: 'PUT /api/v1/site/ip-restrictions',
      permission: 'manageIpRestrictions',
      scope: 'site',
      make: async () => ({ method: 'PUT', path: '/api/v1/site/ip-restrictions', body: { refusedVisitors: [`203.0.113.${++n}`], agentsOnlyFrom: [] } }),
    },
    { name: 'GET /api/v1/permissions', permission: 'managePermissions', scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/permissions' }) },
    {
      name: 'PUT /api/v1/agents/:id/permissions',
      permission: 'managePermissions',
      scope: 'record',
      make: async () => ({ method: 'PUT', path: `/api/v1/agents/${await throwaway()}/permissions`, body: { permissions: ['viewReports'] } }),
    },
    {
      name: 'PUT /api/v1/groups/:id/permissions',
      permission: 'managePermissions',
      scope: 'record',
      make: async () => ({ method: 'PUT', path: `/api/v1/groups/${await throwawayGroup()}/permissions`, body: { permissions: ['viewReports'] } }),
    },
    { name: 'POST /api/v1/agents', permission: 'manageAgents', scope: 'site', make: async () => ({ method: 'POST', path: '/api/v1/agents', body: { email: `new${++n}@x.example`, name: 'New', password: 'agent-pass-1' } }) },
    { name: 'PATCH /api/v1/agents/:id', permission: 'manageAgents', scope: 'record', make: async () => ({ method: 'PATCH', path: `/api/v1/agents/${await throwaway()}`, body: { name: 'Renamed', maxConcurrentChats: 3 } }) },
    { name: 'DELETE /api/v1/agents/:id', permission: 'manageAgents', scope: 'record', make: async () => ({ method: 'DELETE', path: `/api/v1/agents/${await throwaway()}` }) },
    { name: 'POST /api/v1/agents/:id/password', permission: 'manageAgents', scope: 'record', make: async () => ({ method: 'POST', path: `/api/v1/agents/${await throwaway()}/password`, body: {} }) },
    { name: 'POST /api/v1/groups', permission: 'manageAgents', scope: 'site', make: async () => ({ method: 'POST', path: '/api/v1/groups', body: { name: `Made ${++n}` } }) },
    { name: 'PATCH /api/v1/groups/:id', permission: 'manageAgents', scope: 'record', make: async () => ({ method: 'PATCH', path: `/api/v1/groups/${await throwawayGroup()}`, body: { name: `Renamed ${++n}` } }) },
    { name: 'DELETE /api/v1/groups/:id', permission: 'manageAgents', scope: 'record', make: async () => ({ method: 'DELETE', path: `/api/v1/groups/${await throwawayGroup()}` }) },
    { name: 'GET /api/v1/campaigns', permission: null, scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/campaigns' }) },
    { name: 'POST /api/v1/campaigns', permission: 'manageCampaigns', scope: 'site', make: async () => ({ method: 'POST', path: '/api/v1/campaigns', body: { name: `New ${++n}` } }) },
    { name: 'GET /api/v1/campaigns/:id', permission: null, scope: 'record', make: async () => ({ method: 'GET', path: `/api/v1/campaigns/${await throwawayCampaign()}` }) },
    {
      name: 'PATCH /api/v1/campaigns/:id',
      permission: 'manageCampaigns',
      scope: 'record',
      make: async () => ({ method: 'PATCH', path: `/api/v1/campaigns/${await throwawayCampaign()}`, body: { settings: { look: { color: '#123456' } } } }),
    },
    { name: 'DELETE /api/v1/campaigns/:id', permission: 'manageCampaigns', scope: 'record', make: async () => ({ method: 'DELETE', path: `/api/v1/campaigns/${await throwawayCampaign()}` }) },
    // Routes that were for site admins before permissions and now need manageSettings.
    { name: 'PATCH /api/v1/im/settings', permission: 'manageSettings', scope: 'site', make: async () => ({ method: 'PATCH', path: '/api/v1/im/settings', body: { maxQueueLength: ++n } }) },
    { name: 'POST /api/v1/im/keys', permission: 'manageSettings', scope: 'site', make: async () => ({ method: 'POST', path: '/api/v1/im/keys', body: { name: `Key ${++n}` } }) },
    { name: 'GET /api/v1/im/webhook', permission: 'manageSettings', scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/im/webhook' }) },
    { name: 'GET /api/v1/file-settings', permission: null, scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/file-settings' }) },
    { name: 'PATCH /api/v1/file-settings', permission: 'manageSettings', scope: 'site', make: async () => ({ method: 'PATCH', path: '/api/v1/file-settings', body: { maxBytes: 4096 + ++n } }) },
    { name: 'PATCH /api/v1/widget/settings', permission: 'manageSettings', scope: 'site', make: async () => ({ method: 'PATCH', path: '/api/v1/widget/settings', body: { offlineForm: n++ % 2 === 0 } }) },
    { name: 'GET /api/v1/agents/me/permissions', permission: null, agentOnly: true, scope: 'site', make: async () => ({ method: 'GET', path: '/api/v1/agents/me/permissions' }) },
  ];

  for (const route of routes) {
    for (const [kind, caller] of Object.entries(callers)) {
      const { method, path, body } = await route.make();
      const before = await snapshot();
      const res = await caller.send(method, path, body);
      const what = `${route.name} by ${caller.name}`;
      const refusedStatus =
        kind === 'noScope' || (kind === 'siteData' && route.agentOnly) || (kind === 'unpermitted' && route.permission !== null)
          ? 403
          : kind === 'otherAdmin' && route.scope === 'record'
            ? 404
            : null;
      if (refusedStatus !== null) {
        assertProblem(res, refusedStatus, what);
        assert.deepEqual(await snapshot(), before, `${what} changed nothing`);
      } else {
        assert.ok(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${JSON.stringify(res.body)}`);
        if (kind === 'otherAdmin') assert.deepEqual(await snapshot(), before, `${what} acted on its own site, not on site One`);
      }
    }
  }
  // The unpermitted agent was told which permission it lacks.
  const refused = await una.api.patch('/api/v1/site', { city: 'Nowhere' });
  assert.equal(refused.body.permission, 'editSiteProfile');
});

test('an agent granted permissions through a group gets exactly those; admins keep what only admins may do', async (t) => {
  const { one, agent } = await setup(t);
  const rita = await agent('Rita');
  const team = await one.admin.post('/api/v1/groups', { name: 'Analysts', agentIds: [rita.id] });
  await one.admin.put(`/api/v1/groups/${team.body.id}/permissions`, { permissions: ['viewReports', 'manageAgents'] });
  const mine = await rita.api.get('/api/v1/agents/me/permissions');
  assert.deepEqual(mine.body, { role: 'agent', permissions: ['manageAgents', 'viewReports', 'banVisitors'] });
  // manageAgents does not reach a site admin's account or anyone's role.
  const admins = (await one.admin.get('/api/v1/agents')).body.filter((a: { role: string }) => a.role === 'admin');
  assertProblem(await rita.api.patch(`/api/v1/agents/${admins[0].id}`, { name: 'Taken over' }), 403, 'rename the admin');
  assertProblem(await rita.api.delete(`/api/v1/agents/${admins[0].id}`), 403, 'delete the admin');
  assertProblem(await rita.api.post(`/api/v1/agents/${admins[0].id}/password`, { password: 'owned-pass-1' }), 403, "reset the admin's password");
  assertProblem(await rita.api.patch(`/api/v1/agents/${rita.id}`, { role: 'admin' }), 403, 'promote herself');
  assertProblem(await rita.api.post('/api/v1/agents', { email: 'boss@one.example', name: 'Boss', password: 'agent-pass-1', role: 'admin' }), 403, 'create an admin');
  // Taking the group's grant away takes the permission away at once.
  await one.admin.put(`/api/v1/groups/${team.body.id}/permissions`, { permissions: [] });
  assertProblem(await rita.api.post('/api/v1/groups', { name: 'Mine' }), 403, 'after the grant is gone');
  // Unknown permissions are bad input.
  assertProblem(await one.admin.put(`/api/v1/agents/${rita.id}/permissions`, { permissions: ['fly'] }), 400, 'unknown permission');
});

test('deleting an agent signs it out and frees its e-mail; a reset password ends its sessions', async (t) => {
  const { app, one, agent } = await setup(t);
  const dan = await agent('Dan');
  const reset = await one.admin.post(`/api/v1/agents/${dan.id}/password`, {});
  assert.equal(reset.status, 200);
  assert.equal(typeof reset.body.password, 'string');
  assert.equal((await dan.api.get('/api/v1/agents/me')).status, 401, 'the old session ended');
  const again = await client(app.url).post('/api/v1/auth/login', { email: 'dan@one.example', password: reset.body.password });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal((await one.admin.delete(`/api/v1/agents/${dan.id}`)).status, 204);
  assert.equal((await client(app.url, again.body.token).get('/api/v1/agents/me')).status, 401, 'signed out');
  assert.ok(!(await one.admin.get('/api/v1/agents')).body.some((a: { id: number }) => a.id === dan.id), 'gone from the list');
  assert.equal((await one.admin.get(`/api/v1/agents/${dan.id}`)).status, 404);
  const reused = await one.admin.post('/api/v1/agents', { email: 'dan@one.example', name: 'New Dan', password: 'agent-pass-1' });
  assert.equal(reused.status, 201, 'the e-mail is free again');
  assertProblem(await one.admin.delete(`/api/v1/agents/${(await one.admin.get('/api/v1/agents/me')).body.id}`), 403, 'delete yourself');
});

test('a refused visitor address gets no widget, no session and no chat, and nothing is stored; agents only from allowed addresses', async (t) => {
  const { app, one, token } = await setup(t);
  const before = await client(app.url).post(`/api/v1/sites/${one.siteId}/visitors`, { name: 'Early' });
  assert.equal(before.status, 201);
  const early = client(app.url, before.body.token);
  // Tests call from 127.0.0.1 (IPv4, or IPv4-mapped IPv6).
  const set = await one.admin.put('/api/v1/site/ip-restrictions', { refusedVisitors: ['127.0.0.0/8'], agentsOnlyFrom: [] });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const visitorsBefore = (await one.admin.get('/api/v1/visitors')).body;
  assertProblem(await client(app.url).get(`/api/v1/sites/${one.siteId}/widget`), 403, 'widget configuration');
  assertProblem(await client(app.url).post(`/api/v1/sites/${one.siteId}/visitors`, { name: 'Blocked' }), 403, 'open a session');
  assertProblem(await early.post('/api/v1/chats', {}), 403, 'a visitor who came before the rule');
  assert.deepEqual((await one.admin.get('/api/v1/visitors')).body, visitorsBefore, 'nothing stored');
  // Bad entries are refused with their reason, and change nothing.
  const bad = await one.admin.put('/api/v1/site/ip-restrictions', { refusedVisitors: ['10.0.0.1/8'], agentsOnlyFrom: [] });
  assertProblem(bad, 400, 'host bits set');
  assert.deepEqual((await one.admin.get('/api/v1/site/ip-restrictions')).body.refusedVisitors, ['127.0.0.0/8']);

  // An agent cannot lock itself out; the partner's token can narrow agents to an office range.
  assertProblem(await one.admin.put('/api/v1/site/ip-restrictions', { refusedVisitors: [], agentsOnlyFrom: ['10.0.0.0/8'] }), 400, 'lock out');
  const partnerSide = (await token(['site-data:write'])) as string;
  const narrowed = await call(app.url, 'PUT', '/api/v1/site/ip-restrictions', { token: partnerSide, headers: { 'parley-site-id': String(one.siteId) }, body: { refusedVisitors: [], agentsOnlyFrom: ['10.0.0.0/8'] } });
  assert.equal(narrowed.status, 200, JSON.stringify(narrowed.body));
  assertProblem(await one.admin.get('/api/v1/agents'), 403, 'an agent outside the range');
  assertProblem(await client(app.url).post('/api/v1/auth/login', { email: 'admin@one.example', password: 'admin-pass-1', siteId: one.siteId }), 401, 'sign in from outside (as a wrong password: no oracle)');
  // Visitors are welcome again now that their range was lifted.
  assert.equal((await client(app.url).post(`/api/v1/sites/${one.siteId}/visitors`, { name: 'Welcome' })).status, 201);
});

test('delegated permissions cannot be parlayed into more: no self-grants, no joining stronger groups, no taking over stronger colleagues', async (t) => {
  const { app, one, agent } = await setup(t);
  const mia = await agent('Mia'); // manageAgents, managePermissions and what every agent starts with
  const boss = await agent('Boss'); // holds manageSettings too
  const owners = await one.admin.post('/api/v1/groups', { name: 'Owners', agentIds: [boss.id] });
  await one.admin.put(`/api/v1/groups/${owners.body.id}/permissions`, { permissions: ['manageSettings', 'manageIpRestrictions'] });
  await one.admin.put(`/api/v1/agents/${mia.id}/permissions`, { permissions: ['manageAgents', 'managePermissions', 'banVisitors'] });
  const before = (await one.admin.get('/api/v1/permissions')).body;

  const refused: [string, Promise<ApiResponse>][] = [
    ['join a stronger group', mia.api.put(`/api/v1/groups/${owners.body.id}/members`, { agentIds: [boss.id, mia.id] })],
    ['grant itself more', mia.api.put(`/api/v1/agents/${mia.id}/permissions`, { permissions: ['manageAgents', 'managePermissions', 'banVisitors', 'manageSettings'] })],
    ['grant a colleague what it does not hold', mia.api.put(`/api/v1/agents/${(await agent('Ned')).id}/permissions`, { permissions: ['manageSettings'] })],
    ["reset a stronger colleague's password", mia.api.post(`/api/v1/agents/${boss.id}/password`, { password: 'taken-over-1' })],
    ['delete a stronger colleague', mia.api.delete(`/api/v1/agents/${boss.id}`)],
    ['change a stronger group', mia.api.put(`/api/v1/groups/${owners.body.id}/permissions`, { permissions: [] })],
    ['make a group with itself in it', mia.api.post('/api/v1/groups', { name: 'Mine', agentIds: [mia.id] })],
  ];
  for (const [what, res] of refused) assertProblem(await res, 403, what);
  const after = (await one.admin.get('/api/v1/permissions')).body;
  assert.deepEqual(after.groups, before.groups, 'groups unchanged');
  assert.deepEqual(after.agents.find((a: { agentId: number }) => a.agentId === mia.id), before.agents.find((a: { agentId: number }) => a.agentId === mia.id), "Mia's grants unchanged");
  assert.equal((await client(app.url).post('/api/v1/auth/login', { email: 'boss@one.example', password: 'taken-over-1' })).status, 401, "Boss's password unchanged");
  // What it holds, it may hand on to agents who hold no more than it does.
  const ned = (await one.admin.get('/api/v1/agents')).body.find((a: { name: string }) => a.name === 'Ned');
  assert.equal((await mia.api.put(`/api/v1/agents/${ned.id}/permissions`, { permissions: ['manageAgents'] })).status, 200);
  // Site admins' routing is theirs.
  const adminId = (await one.admin.get('/api/v1/agents/me')).body.id;
  assertProblem(await mia.api.patch(`/api/v1/agents/${adminId}`, { maxConcurrentChats: 1 }), 403, "an admin's routing");
});

test('the review findings stay fixed: read tokens get no webhook secret, a token of another site opens no refused door, only admins fence agents in', async (t) => {
  const { app, one, two, agent, token } = await setup(t);
  // A read-only partner token does not see the webhook's signing secret.
  const reader = await token(['site-data:read']);
  const secret = await call(app.url, 'GET', '/api/v1/im/webhook', { token: reader, headers: { 'parley-site-id': String(one.siteId) } });
  assertProblem(secret, 403, 'the signing secret with a read-only token');

  // A visitor token of site Two does not open site One's refused door.
  const elsewhere = (await client(app.url).post(`/api/v1/sites/${two.siteId}/visitors`, {})).body.token as string;
  assert.equal((await one.admin.put('/api/v1/site/ip-restrictions', { refusedVisitors: ['127.0.0.0/8', '::1/128'], agentsOnlyFrom: [] })).status, 200);
  const visitorsBefore = (await one.admin.get('/api/v1/visitors')).body;
  assertProblem(await call(app.url, 'GET', `/api/v1/sites/${one.siteId}/widget`, { token: elsewhere }), 403, 'widget with a token of another site');
  assertProblem(await call(app.url, 'POST', `/api/v1/sites/${one.siteId}/visitors`, { token: elsewhere, body: { name: 'Spam' } }), 403, 'session with a token of another site');
  assert.deepEqual((await one.admin.get('/api/v1/visitors')).body, visitorsBefore);

  // An agent allowed to manage IP restrictions may refuse visitors, but not fence the agents in.
  const ivy = await agent('Ivy');
  await one.admin.put(`/api/v1/agents/${ivy.id}/permissions`, { permissions: ['manageIpRestrictions'] });
  assert.equal((await ivy.api.put('/api/v1/site/ip-restrictions', { refusedVisitors: ['203.0.113.0/24'], agentsOnlyFrom: [] })).status, 200);
  assertProblem(await ivy.api.put('/api/v1/site/ip-restrictions', { refusedVisitors: [], agentsOnlyFrom: ['127.0.0.1', '::1'] }), 403, 'fence the agents in');

  // Campaign sections keep to their fields.
  assertProblem(await one.admin.post('/api/v1/campaigns', { name: 'Big', settings: { look: { junk: 'x'.repeat(1000) } } }), 400, 'an unknown field');

  // A deleted agent's old e-mail cannot be taken in advance to make it undeletable.
  const dan = await agent('Dan');
  assert.equal((await one.admin.post('/api/v1/agents', { email: `deleted-${dan.id}@agents.invalid`, name: 'Squatter', password: 'agent-pass-1' })).status, 201);
  assert.equal((await one.admin.delete(`/api/v1/agents/${dan.id}`)).status, 204);
});

test('agents outside the allowed addresses cannot open a real-time connection either', async (t) => {
  const { app, one, token } = await setup(t);
  const live = await connectLive(app.url, one.admin.token!);
  live.close();
  const partnerSide = await token(['site-data:write']);
  const fenced = await call(app.url, 'PUT', '/api/v1/site/ip-restrictions', { token: partnerSide, headers: { 'parley-site-id': String(one.siteId) }, body: { refusedVisitors: [], agentsOnlyFrom: ['10.0.0.0/8'] } });
  assert.equal(fenced.status, 200, JSON.stringify(fenced.body));
  await assert.rejects(connectLive(app.url, one.admin.token!), /disconnected/, 'the gateway refuses the agent at connect');
});
