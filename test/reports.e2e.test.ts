// The Report API over a scripted day of chats. The node's clock is the test's (the event log stamps
// each event with it), so every figure has a hand-computed answer: in UTC, in Asia/Taipei (+8), and
// in Europe/Berlin across the night its clocks go forward (2026-03-29, 01:00 UTC).
//
// test/helpers/reports.ts plays the day and lists it; the figures below are computed from that list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, client } from './helpers/api.ts';
import { raw } from './helpers/console.ts';
import { createSite, openVisitor } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner, platformAdmin, postForm } from './helpers/partners.ts';
import { scriptedDay } from './helpers/reports.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

const day = (from: string, to = from) => `from=${from}&to=${to}`;

test('the reports of a scripted day: every figure, in UTC, Taipei and Berlin across its DST night; rebuilt alike; CSV; roll-ups; isolation', async (t) => {
  const s = await scriptedDay(t);
  const { app, one, alice, bob } = s;
  const get = async (path: string, api = one.admin) => {
    const res = await api.get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
  };

  const expectedUtc = {
    chats: { total: 7, answered: 4, missed: 1, abandoned: 2, robot: 0, offlineMessages: 1, widget: 6, im: 1, webview: 0, operator: 0 },
    queue: { queued: 4, abandoned: 2, abandonment: 0.5, waitAverage: 180, waitP50: 120, waitP90: 300 },
    'first-response': { count: 4, average: 225, p50: 120, p90: 360 },
    response: { count: 4, average: 172.5 },
    duration: { count: 4, average: 480 },
    messages: { in: 8, out: 8 },
    availability: { onlineSeconds: 36420, awaySeconds: 8100, offlineSeconds: 30300, chats: 6 },
    survey: { answers: 2, satisfied: 1, csat: 0.5, option1: 1, option3: 1 },
    robot: { questions: 3, answered: 1, unknown: 1, handovers: 1, useful: 1, useless: 0 },
  };

  await t.test('the summary of the day in UTC is the hand-computed one, figure by figure', async () => {
    const summary = await get(`/api/v1/reports/summary?${day('2026-03-28')}`);
    assert.equal(summary.timezone, 'UTC');
    for (const [report, figures] of Object.entries(expectedUtc)) assert.deepEqual(summary[report], figures, report);
  });

  await t.test('in Asia/Taipei the day ends at 16:00 UTC: C7 and C8 fall on the next day', async () => {
    const summary = await get(`/api/v1/reports/summary?${day('2026-03-28')}&timezone=Asia/Taipei`);
    assert.deepEqual(summary.chats, { total: 6, answered: 3, missed: 1, abandoned: 2, robot: 0, offlineMessages: 1, widget: 5, im: 1, webview: 0, operator: 0 });
    assert.deepEqual(summary.availability, { onlineSeconds: 7620, awaySeconds: 8100, offlineSeconds: 1500, chats: 5 }, 'C7 was assigned at 00:30 the next day');
    assert.deepEqual(summary['first-response'], { count: 3, average: 260, p50: 300, p90: 360 });
    const series = await get(`/api/v1/reports/chats?${day('2026-03-28', '2026-03-29')}&timezone=Asia/Taipei`);
    assert.deepEqual(
      series.series.map((p: Json) => [p.start, p.total, p.answered, p.missed]),
      [
        ['2026-03-28T00:00:00+08:00', 6, 3, 1],
        ['2026-03-29T00:00:00+08:00', 2, 1, 1],
      ],
    );
    assert.equal(series.total.total, 8);
  });

  await t.test('in Europe/Berlin, 29 March has 23 hours; C8 (01:30 UTC) is in its 03:00+02:00 hour', async () => {
    const hourly = await get(`/api/v1/reports/chats?${day('2026-03-29')}&timezone=Europe/Berlin&interval=hour`);
    assert.equal(hourly.series.length, 23);
    assert.deepEqual(
      hourly.series.slice(0, 4).map((p: Json) => p.start),
      ['2026-03-29T00:00:00+01:00', '2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-29T04:00:00+02:00'],
    );
    assert.deepEqual(
      hourly.series.filter((p: Json) => p.total > 0).map((p: Json) => [p.start, p.total, p.missed]),
      [['2026-03-29T03:00:00+02:00', 1, 1]],
    );
    const daily = await get(`/api/v1/reports/chats?${day('2026-03-28', '2026-03-29')}&timezone=Europe/Berlin`);
    assert.deepEqual(
      daily.series.map((p: Json) => [p.start, p.total]),
      [
        ['2026-03-28T00:00:00+01:00', 7],
        ['2026-03-29T00:00:00+01:00', 1],
      ],
    );
    // The night so far (23:00 UTC to the clock's 02:00): Alice offline, Bob online.
    const availability = await get(`/api/v1/reports/availability?${day('2026-03-29')}&timezone=Europe/Berlin`);
    assert.deepEqual(availability.total, { onlineSeconds: 10800, awaySeconds: 0, offlineSeconds: 10800, chats: 1 });
  });

  await t.test('an hourly series in UTC puts each figure in its hour', async () => {
    const queue = await get(`/api/v1/reports/queue?${day('2026-03-28')}&interval=hour`);
    const hours = Object.fromEntries(queue.series.filter((p: Json) => p.queued > 0).map((p: Json) => [p.start.slice(11, 16), [p.queued, p.abandoned, p.waitP90]]));
    assert.deepEqual(hours, { '14:00': [2, 1, 300], '15:00': [2, 1, 120] });
    const messages = await get(`/api/v1/reports/messages?${day('2026-03-28')}&interval=hour`);
    assert.deepEqual(
      messages.series.filter((p: Json) => p.in + p.out > 0).map((p: Json) => [p.start.slice(11, 16), p.in, p.out]),
      [
        ['13:00', 2, 2],
        ['14:00', 0, 1],
        ['15:00', 5, 4],
        ['16:00', 1, 1],
      ],
    );
  });

  await t.test('filters: Bob’s chats, the Sales group’s, the IM API’s', async () => {
    const bobs = await get(`/api/v1/reports/chats?${day('2026-03-28')}&agentId=${bob.id}`);
    assert.deepEqual([bobs.total.total, bobs.total.answered, bobs.total.missed], [4, 3, 1]);
    const salesChats = await get(`/api/v1/reports/duration?${day('2026-03-28')}&groupId=${s.sales}`);
    assert.deepEqual(salesChats.total, { count: 1, average: 480 });
    const imChats = await get(`/api/v1/reports/queue?${day('2026-03-28')}&channel=im`);
    assert.deepEqual(imChats.total, { queued: 1, abandoned: 0, abandonment: 0, waitAverage: 180, waitP50: 180, waitP90: 180 });
    const alicesTime = await get(`/api/v1/reports/availability?${day('2026-03-28')}&agentId=${alice.id}`);
    assert.deepEqual(alicesTime.total, { onlineSeconds: 4500, awaySeconds: 4800, offlineSeconds: 30300, chats: 2 });
  });

  await t.test('the agent and group tables', async () => {
    const byAgent = await get(`/api/v1/reports/by-agent?${day('2026-03-28')}`);
    const row = (id: number) => byAgent.rows.find((r: Json) => r.id === id);
    assert.equal(row(bob.id).name, 'Bob');
    assert.deepEqual([row(bob.id).chats.total, row(bob.id).chats.answered, row(bob.id).availability.chats], [4, 3, 4]);
    assert.deepEqual(row(alice.id).survey, { answers: 1, satisfied: 1, csat: 1, option1: 1 });
    const byGroup = await get(`/api/v1/reports/by-group?${day('2026-03-28')}`);
    assert.deepEqual(
      byGroup.rows.map((r: Json) => [r.name, r.chats.total, r['first-response'].average]),
      [['Sales', 1, 360]],
    );
  });

  await t.test('every series downloads as CSV, one line per point', async () => {
    const res = await raw(app.url, `/api/v1/reports/chats?${day('2026-03-27', '2026-03-28')}&format=csv`, { headers: { authorization: `Bearer ${one.admin.token}` } });
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^text\/csv/);
    assert.match(String(res.headers['content-disposition']), /attachment; filename="parley-chats-2026-03-27-2026-03-28\.csv"/);
    assert.equal(res.text, 'start,total,answered,missed,abandoned,robot,offlineMessages,widget,im,webview,operator\r\n2026-03-27T00:00:00+00:00,0,0,0,0,0,0,0,0,0,0\r\n2026-03-28T00:00:00+00:00,7,4,1,2,0,1,6,1,0,0\r\n');
    const byAccept = await raw(app.url, `/api/v1/reports/first-response?${day('2026-03-28')}`, { headers: { authorization: `Bearer ${one.admin.token}`, accept: 'text/csv' } });
    assert.equal(byAccept.text, 'start,count,average,p50,p90\r\n2026-03-28T00:00:00+00:00,4,225,120,360\r\n');
  });

  await t.test('rebuilt from the event log, the figures are the same', async () => {
    const before = await get(`/api/v1/reports/summary?${day('2026-03-27', '2026-03-29')}&timezone=Asia/Taipei`);
    const rebuilt = await app.parley.services.reports.rebuildFromLog();
    assert.ok(rebuilt.events > 50, `read ${rebuilt.events} events`);
    assert.deepEqual(await get(`/api/v1/reports/summary?${day('2026-03-27', '2026-03-29')}&timezone=Asia/Taipei`), before);
  });

  await t.test('a rebuild while chats go on counts every event once', async () => {
    const summary = () => get(`/api/v1/reports/messages?${day('2026-03-29')}`);
    assert.deepEqual((await summary()).total, { in: 1, out: 0 });
    const visitor = await openVisitor(app, one.siteId);
    const rebuilding = app.parley.services.reports.rebuildFromLog();
    const chat = await visitor.api.post('/api/v1/chats', { message: { type: 'message', data: { content: 'During the rebuild' } } });
    assert.equal(chat.status, 201, JSON.stringify(chat.body));
    for (const text of ['one', 'two', 'three']) assert.equal((await visitor.api.post(`/api/v1/chats/${chat.body.id}/messages`, { type: 'message', data: { content: text } })).status, 201);
    await rebuilding;
    await app.parley.services.reports.caughtUp();
    assert.deepEqual((await summary()).total, { in: 5, out: 0 });
    await app.parley.services.reports.rebuildFromLog();
    assert.deepEqual((await summary()).total, { in: 5, out: 0 }, 'rebuilt again, the same');
  });

  await t.test('roll-ups: the partner’s sites together, one of them, every partner’s for the platform', async () => {
    const rollup = await get(`/api/v1/partner/reports/summary?${day('2026-03-28')}`, s.partner.portal);
    assert.equal(rollup.chats.total, 8, 'the day shop’s 7 and the other shop’s 1');
    assert.equal(rollup.chats.abandoned, 3);
    const onlyOne = await get(`/api/v1/partner/reports/chats?${day('2026-03-28')}&siteId=${s.two.siteId}`, s.partner.portal);
    assert.equal(onlyOne.total.total, 1);
    const admin = await platformAdmin(app);
    assert.equal((await get(`/api/v1/platform/reports/summary?${day('2026-03-28')}`, admin)).chats.total, 8);
    assert.equal((await get(`/api/v1/platform/reports/summary?${day('2026-03-28')}&partnerId=${s.partner.partnerId}`, admin)).chats.total, 8);
    assert.equal((await get(`/api/v1/platform/partners/${s.partner.partnerId}/reports/summary?${day('2026-03-28')}`, admin)).chats.total, 8);
  });

  await t.test('tokens with the reports scope read the site’s reports and the roll-up, and nothing else', async () => {
    const token = async (scopes: string[]) => {
      const created = await s.partner.portal.post('/api/v1/partner/oauth-clients', { name: scopes.join(' '), scopes });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const res = await postForm(app.url, '/partner/oauth/token', { grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.access_token as string;
    };
    const asClient = (bearer: string) => ({ get: (path: string, headers: Record<string, string> = {}) => call(app.url, 'GET', path, { token: bearer, headers }) });
    const reports = asClient(await token(['reports']));
    const onSite = { 'parley-site-id': String(one.siteId) };
    const summary = await reports.get(`/api/v1/reports/summary?${day('2026-03-28')}`, onSite);
    assert.equal(summary.status, 200, JSON.stringify(summary.body));
    assert.equal(summary.body.chats.total, 7);
    assert.equal((await reports.get('/api/v1/chats', onSite)).status, 403, 'a reports token reads no chats');
    assert.equal((await reports.get(`/api/v1/partner/reports/summary?${day('2026-03-28')}`)).body.chats.total, 8);
    const dataOnly = asClient(await token(['site-data:read']));
    assert.equal((await dataOnly.get(`/api/v1/reports/summary?${day('2026-03-28')}`, onSite)).status, 403, 'site-data is not reports');
    assert.equal((await dataOnly.get(`/api/v1/partner/reports/summary?${day('2026-03-28')}`)).status, 403);
    const limited = asClient(await token(['reports', `site:${s.two.siteId}`]));
    assert.equal((await limited.get(`/api/v1/reports/summary?${day('2026-03-28')}`, onSite)).status, 403, 'limited to the other site');
    assert.equal((await limited.get(`/api/v1/partner/reports/summary?${day('2026-03-28')}`)).status, 403, 'not every site: no roll-up');
    assert.equal((await limited.get(`/api/v1/partner/reports/summary?${day('2026-03-28')}&siteId=${s.two.siteId}`)).status, 200);
  });

  await t.test('isolation: another site’s admin sees its own figures only; an agent without viewReports, other partners and bad input are refused', async () => {
    assert.equal((await get(`/api/v1/reports/summary?${day('2026-03-28')}`, s.two.admin)).chats.total, 1, 'the other shop’s own chat only');
    const refused = await bob.api.get(`/api/v1/reports/summary?${day('2026-03-28')}`);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.permission, 'viewReports');
    const granted = await one.admin.put(`/api/v1/agents/${bob.id}/permissions`, { permissions: ['viewReports'] });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.equal((await bob.api.get(`/api/v1/reports/summary?${day('2026-03-28')}`)).status, 200, 'granted, Bob reads them');

    const stranger = await approvedPartner(app, 'Stranger Partner');
    assert.equal((await stranger.portal.get(`/api/v1/partner/reports/summary?siteId=${one.siteId}`)).status, 404, 'another partner’s site is not found');
    assert.equal((await stranger.portal.get(`/api/v1/partner/reports/summary?${day('2026-03-28')}`)).body.chats.total, 0, 'its own roll-up is empty');
    assert.equal((await stranger.portal.get(`/api/v1/platform/reports/summary`)).status, 403, 'partners do not read the platform’s');
    assert.equal((await one.admin.get('/api/v1/partner/reports/summary')).status, 403, 'site admins do not read the partner’s');

    for (const [query, field] of [
      ['timezone=Mars/Olympus', 'timezone'],
      ['from=2026-02-30', 'from'],
      ['from=2026-03-29&to=2026-03-28', 'from'],
      ['from=2025-01-01&to=2026-03-28', 'from'],
      ['from=2026-01-01&to=2026-03-28&interval=hour', 'interval'],
    ] as const) {
      const res = await one.admin.get(`/api/v1/reports/chats?${query}`);
      assert.equal(res.status, 400, query);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, query);
      assert.equal(res.body.field, field, `${query}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await one.admin.get('/api/v1/reports/nonsense')).status, 400);
    assert.equal((await one.admin.get('/api/v1/reports/chats?channel=fax')).status, 400);
  });
});

test('each caller has its own budget of Report API calls a minute', async (t) => {
  const app = await startParley(t, { PARLEY_REPORTS_RATE_LIMIT: '3' });
  const one = await createSite(app);
  const two = await createSite(app);
  const admin = client(app.url, one.admin.token);
  for (let i = 0; i < 3; i++) assert.equal((await admin.get('/api/v1/reports/summary')).status, 200);
  const refused = await admin.get('/api/v1/reports/chats');
  assert.equal(refused.status, 429, JSON.stringify(refused.body));
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal((await client(app.url, two.admin.token).get('/api/v1/reports/summary')).status, 200, 'another caller is not held back');
});
