// The mobile WebView chat's server side (docs/mobile-webview.md): the two pages at the spec's
// addresses, taking the app's request as JSON, a form or a query; the Ssotoken checked as the site
// says (HS256 JWT, or the site's verification URL, a real HTTP server here, with its timeout) and a
// refused one never giving a chat; the page's ticket that starts the chat only for its visitor,
// with the skill's group and the urgency; the robot hand-off by a signed handle; the agent's
// requests to the app and the app's answer; and every one of them kept to its own site.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { call, client } from './helpers/api.ts';
import { createAgent, createSite } from './helpers/factories.ts';
import { startParley } from './helpers/parley.ts';

/** What the server put in the page. */
function pageConfig(html: string): Record<string, unknown> {
  const m = /<meta name="parley-webview" content="([^"]*)">/.exec(html);
  assert.ok(m, `no parley-webview meta in ${html.slice(0, 300)}`);
  return JSON.parse(m[1]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
}

const jwt = (secret: string, claims: Record<string, unknown>, iat = Math.floor(Date.now() / 1000)) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(iat).setExpirationTime(iat + 600).sign(new TextEncoder().encode(secret));

test('the WebView pages, their sign-in token, their start and the app’s commands', async (t) => {
  const app = await startParley(t);
  const site = await createSite(app);
  const other = await createSite(app);
  const admin = client(app.url, site.admin.token);
  const ann = await createAgent(app, site, { name: 'Ann', maxConcurrentChats: 1 });
  assert.equal((await ann.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
  const settings = await admin.put('/api/v1/webview/settings', { mode: 'jwt' });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const secret: string = settings.body.secret;
  assert.ok(secret);
  const group = await admin.post('/api/v1/groups', { name: 'Mobile', agentIds: [ann.id] });
  assert.equal(group.status, 201, JSON.stringify(group.body));
  assert.equal((await admin.post('/api/v1/webview/skills/presets')).status, 200);
  const skills = (await admin.get('/api/v1/webview/skills')).body as { id: number; name: string }[];
  const mobChg = skills.find((s) => s.name === 'MobChg')!;
  assert.equal((await admin.patch(`/api/v1/webview/skills/${mobChg.id}`, { groupId: group.body.id })).status, 200);

  const open = (path: string, body: unknown, siteId = site.siteId) => call(app.url, 'POST', `${path}?siteId=${siteId}`, { body });
  const startWith = (page: Record<string, unknown>) => call(app.url, 'POST', '/api/v1/webview/start', { token: page.token as string, body: { ticket: page.ticket } });

  await t.test('the pages answer the spec’s request as JSON, as a form and as a query, and wait for start()', async () => {
    const json = await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} });
    assert.equal(json.status, 200, String(json.body).slice(0, 300));
    assert.match(json.headers.get('content-type')!, /^text\/html/);
    assert.match(json.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
    assert.equal(json.headers.get('cache-control'), 'no-store');
    const page = pageConfig(json.body);
    assert.deepEqual([page.page, page.language, page.skill], ['agent', 'zh-TW', 'Generic']);
    assert.ok(page.token && page.ticket && page.visitorId);
    // Nothing starts before start(): the visitor has no chat yet.
    const chats = await call(app.url, 'GET', '/api/v1/chats', { token: page.token as string });
    assert.deepEqual(chats.body, []);

    const form = await call(app.url, 'POST', `/wise/webchat/Chat?siteId=${site.siteId}`, {
      body: new URLSearchParams({ Ssotoken: '', Language: 'en-US', Skill: 'Generic', Urgent: '', params: '{}' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 200);
    assert.deepEqual([pageConfig(form.body).page, pageConfig(form.body).language], ['robot', 'en-US']);
    const query = await call(app.url, 'GET', `/UIMClient/Chat?siteId=${site.siteId}&Language=Chinese&Skill=MobChg&Urgent=`);
    assert.equal(pageConfig(query.body).skill, 'MobChg');
    // Android's postUrl: the JSON body under a form's content type.
    const androidStyle = await call(app.url, 'POST', `/UIMClient/Chat?siteId=${site.siteId}`, {
      body: JSON.stringify({ Language: 'Chinese', Skill: 'MobChg', Urgent: '', params: {} }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.deepEqual([pageConfig(androidStyle.body).skill, pageConfig(androidStyle.body).language], ['MobChg', 'zh-TW']);
    const badSkill = await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'VIP <customer>', params: {} });
    assert.equal(badSkill.status, 400);
    assert.equal(pageConfig(badSkill.body).ticket, undefined);
    const closed = await open('/UIMClient/Chat', { Language: 'Chinese' }, 999_999);
    assert.equal(closed.status, 404);
    assert.equal((pageConfig(closed.body).error as { code: string }).code, 'site_unavailable');
  });

  await t.test('an Ssotoken: a valid one names the customer (the same customer each time); a bad one gets a page that starts nothing', async () => {
    const token = await jwt(secret, { sub: 'C1001', name: 'Chen Mei', email: 'mei@bank.example' });
    const first = pageConfig((await open('/UIMClient/Chat', { Ssotoken: token, Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} })).body);
    const again = pageConfig((await open('/UIMClient/Chat', { Ssotoken: await jwt(secret, { sub: 'C1001', name: 'Chen Mei' }), Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} })).body);
    assert.equal(first.visitorId, again.visitorId, 'one customer, one visitor');
    const visitor = await admin.get(`/api/v1/visitors/${first.visitorId}`);
    assert.equal(visitor.status, 200, JSON.stringify(visitor.body));
    const v = visitor.body.visitor ?? visitor.body;
    assert.deepEqual([v.name, v.email, v.info.customerId], ['Chen Mei', 'mei@bank.example', 'C1001']);

    const before = (await admin.get('/api/v1/chats?limit=100')).body.length;
    for (const [bad, why] of [
      [await jwt('a-different-secret-of-enough-length', { sub: 'C1001' }), /signature/],
      [await jwt(secret, { sub: 'C1001' }, Math.floor(Date.now() / 1000) - 3600), /expired/],
      [await jwt(secret, { name: 'nobody' }), /no customer/],
      [await new SignJWT({ sub: 'C1001' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(Math.floor(Date.now() / 1000) + 86_400).sign(new TextEncoder().encode(secret)), /future/],
      ['not-a-jwt', /not a valid JWT/],
    ] as const) {
      const res = await open('/UIMClient/Chat', { Ssotoken: bad, Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} });
      assert.equal(res.status, 401, String(bad));
      const page = pageConfig(res.body);
      assert.equal((page.error as { code: string }).code, 'invalid_token');
      assert.match((page.error as { message: string }).message, why);
      assert.equal(page.token, undefined, 'no session');
      assert.equal(page.ticket, undefined, 'no ticket');
    }
    assert.equal((await admin.get('/api/v1/chats?limit=100')).body.length, before, 'no chat');
  });

  await t.test("the site's verification URL: asked with the token, within its timeout", async (t) => {
    const seen: string[] = [];
    let delay = 0;
    const bank = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push(body);
        const { token } = JSON.parse(body) as { token: string };
        setTimeout(() => {
          if (token === 'good-token') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ customerId: 'C77', name: 'Wang Wei' }));
          else res.writeHead(401).end();
        }, delay);
      });
    });
    await new Promise<void>((r) => bank.listen(0, '127.0.0.1', r));
    t.after(() => bank.close());
    const port = (bank.address() as { port: number }).port;
    const set = await admin.put('/api/v1/webview/settings', { mode: 'url', verifyUrl: `http://127.0.0.1:${port}/verify`, verifyTimeoutMs: 500 });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const good = await open('/UIMClient/Chat', { Ssotoken: 'good-token', Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} });
    assert.equal(good.status, 200);
    assert.equal(pageConfig(good.body).customer && (pageConfig(good.body).customer as { name: string }).name, 'Wang Wei');
    assert.deepEqual(JSON.parse(seen.at(-1)!), { token: 'good-token' });
    const bad = await open('/UIMClient/Chat', { Ssotoken: 'stolen', Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} });
    assert.equal(bad.status, 401);
    delay = 1500;
    const slow = await open('/UIMClient/Chat', { Ssotoken: 'good-token', Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} });
    assert.equal(slow.status, 503);
    assert.match((pageConfig(slow.body).error as { message: string }).message, /500 ms/);
    assert.equal((await admin.put('/api/v1/webview/settings', { mode: 'jwt' })).status, 200);
  });

  let robotChat = 0;
  let robotToken = '';
  await t.test('start(): the skill picks the group, urgent chats go first, and a ticket works only for its own visitor', async () => {
    assert.equal((await ann.api.put('/api/v1/agents/me/status', { status: 'offline' })).status, 200);
    const plain = pageConfig((await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'MobChg', Urgent: '', params: {} })).body);
    const urgent = pageConfig((await open('/UIMClient/Chat', { Ssotoken: await jwt(secret, { sub: 'C-VIP', name: 'Vip' }), Language: 'Chinese', Skill: 'Generic', Urgent: 'Y', params: {} })).body);
    // An anonymous page cannot jump the queue.
    const pushy = pageConfig((await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'Generic', Urgent: 'Y', params: {} })).body);
    assert.equal((await startWith(pushy)).body.chat.urgent, false);
    await call(app.url, 'POST', `/api/v1/chats/${(await startWith(pushy)).body.chat.id}/end`, { token: pushy.token as string });
    const stranger = pageConfig((await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} })).body);
    const stolen = await call(app.url, 'POST', '/api/v1/webview/start', { token: stranger.token as string, body: { ticket: plain.ticket } });
    assert.equal(stolen.status, 403, 'another page’s ticket');
    const forged = await call(app.url, 'POST', '/api/v1/webview/start', { token: plain.token as string, body: { ticket: `${String(plain.ticket).slice(0, -3)}abc` } });
    assert.equal(forged.status, 403);

    const a = await startWith(plain);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual([a.body.chat.status, a.body.chat.channel, a.body.chat.skill, a.body.chat.groupId, a.body.chat.urgent], ['queued', 'webview', 'MobChg', group.body.id, false]);
    const b = await startWith(urgent);
    assert.deepEqual([b.body.chat.urgent, b.body.chat.skill, b.body.chat.groupId], [true, 'Generic', null]);
    const again = await startWith(plain);
    assert.equal(again.body.chat.id, a.body.chat.id, 'a page started again gets its chat back');

    // Ann (one chat at a time) comes online: the urgent chat, queued later, is offered first.
    assert.equal((await ann.api.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
    const offered = await call(app.url, 'GET', `/api/v1/chats/${b.body.chat.id}`, { token: urgent.token as string });
    assert.equal(offered.body.agentId, ann.id, JSON.stringify(offered.body));
    const waiting = await call(app.url, 'GET', `/api/v1/chats/${a.body.chat.id}`, { token: plain.token as string });
    assert.deepEqual([waiting.body.status, waiting.body.agentId], ['queued', null]);
    for (const c of [a.body.chat.id, b.body.chat.id]) await admin.post(`/api/v1/chats/${c}/end`);

    // The robot page starts a chat with the robot; its hand-off continues it with people.
    const robot = pageConfig((await open('/wise/webchat/Chat', { Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} })).body);
    const rs = await startWith(robot);
    assert.equal(rs.body.chat.status, 'bot');
    robotChat = rs.body.chat.id;
    robotToken = robot.token as string;
    await call(app.url, 'POST', `/api/v1/chats/${robotChat}/messages`, { token: robot.token as string, body: { type: 'message', data: { content: 'How do I change my phone number?' } } });
    const handoff = await call(app.url, 'POST', `/api/v1/webview/chats/${robotChat}/handoff`, { token: robot.token as string });
    assert.equal(handoff.status, 200);
    const handle: string = handoff.body.chat_id_robot;
    assert.match(handle, new RegExp(`^${robotChat}\\.`));
    // Someone else's visitor cannot get a handle for this chat.
    assert.equal((await call(app.url, 'POST', `/api/v1/webview/chats/${robotChat}/handoff`, { token: stranger.token as string })).status, 404);
    // A forged handle, and a handle for another site, open nothing.
    const [id, exp] = handle.split('.');
    for (const [bad, siteId] of [[`${id}.${exp}.${'A'.repeat(43)}`, site.siteId], [`${Number(id) + 1}.${handle.slice(handle.indexOf('.') + 1)}`, site.siteId], [handle, other.siteId]] as const) {
      const res = await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'MobChg', Urgent: '', params: { chat_id_robot: bad } }, siteId);
      assert.equal(res.status, 401, bad);
      assert.equal(pageConfig(res.body).ticket, undefined);
    }
    const human = pageConfig((await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'MobChg', Urgent: '', params: { chat_id_robot: handle } })).body);
    assert.equal(human.visitorId, robot.visitorId, 'the robot chat’s customer');
    const hs = await startWith(human);
    assert.equal(hs.status, 200, JSON.stringify(hs.body));
    // Once people have the chat, the handle opens nothing more.
    const late = await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'MobChg', Urgent: '', params: { chat_id_robot: handle } });
    assert.equal(late.status, 401);
    assert.match((pageConfig(late.body).error as { message: string }).message, /handed over/);

    // A signed-in customer's robot chat continues only with that customer's token.
    const meiToken = () => jwt(secret, { sub: 'C-2002', name: 'Lin' });
    const signedRobot = pageConfig((await open('/wise/webchat/Chat', { Ssotoken: await meiToken(), Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} })).body);
    const signedChat = (await startWith(signedRobot)).body.chat.id;
    const signedHandle = (await call(app.url, 'POST', `/api/v1/webview/chats/${signedChat}/handoff`, { token: signedRobot.token as string })).body.chat_id_robot;
    assert.equal((await open('/UIMClient/Chat', { Language: 'Chinese', params: { chat_id_robot: signedHandle } })).status, 401, 'no token');
    assert.equal((await open('/UIMClient/Chat', { Ssotoken: await jwt(secret, { sub: 'C-OTHER' }), Language: 'Chinese', params: { chat_id_robot: signedHandle } })).status, 401, "another customer's token");
    const sameCustomer = await open('/UIMClient/Chat', { Ssotoken: await meiToken(), Language: 'Chinese', params: { chat_id_robot: signedHandle } });
    assert.equal(sameCustomer.status, 200);
    assert.equal(pageConfig(sameCustomer.body).visitorId, signedRobot.visitorId);
    await call(app.url, 'POST', `/api/v1/chats/${signedChat}/end`, { token: signedRobot.token as string });
    assert.deepEqual([hs.body.chat.id, hs.body.chat.skill, hs.body.chat.groupId], [robotChat, 'MobChg', group.body.id]);
    const log = await ann.api.get(`/api/v1/chats/${robotChat}/messages`);
    const transfer = (log.body as { type: string; data: { transcript: { data: { content?: string } }[] } }[]).find((m) => m.type === 'robot_transfer');
    assert.ok(transfer?.data.transcript.some((x) => x.data.content === 'How do I change my phone number?'), 'the agent sees the robot transcript');
  });

  await t.test("the agent's requests to the app and the app's answer, in WebView chats only, on the agent's own site", async () => {
    const chat = (await ann.api.get(`/api/v1/chats/${robotChat}`)).body;
    if (chat.status === 'assigned') assert.equal((await ann.api.post(`/api/v1/chats/${robotChat}/accept`)).status, 200);
    const ok = await ann.api.post(`/api/v1/chats/${robotChat}/app-events`, { command: 'event.mb.channel_change', params: { channel: 'video' } });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.type, ok.body.senderKind, ok.body.data], ['app', 'agent', { command: 'event.mb.channel_change', params: { channel: 'video' } }]);
    const viaOperator = await call(app.url, 'POST', `/operator/sessions/${robotChat}/app-events`, { token: ann.token, body: { command: 'event.mb.acc_upgrade_video', params: { result: '00' } } });
    assert.equal(viaOperator.status, 201, JSON.stringify(viaOperator.body));
    for (const bad of [
      { command: 'event.mb.channel_change', params: { channel: 'fax' } },
      { command: 'event.mb.loan_video', params: { result: '02' } },
      { command: 'event.chat.open_link', params: { url: 'http://plain.example' } },
      { command: 'event.chat.launch_missiles', params: {} },
      { command: 'event.mb.avaya_answer', params: { extra: 1 } },
    ]) {
      const res = await ann.api.post(`/api/v1/chats/${robotChat}/app-events`, bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    }
    // Another site's agent: no such chat.
    const outsider = await createAgent(app, other);
    assert.equal((await outsider.api.post(`/api/v1/chats/${robotChat}/app-events`, { command: 'event.mb.avaya_answer', params: {} })).status, 404);
    // A chat from the widget has no app to ask.
    const widgetVisitor = await client(app.url).post(`/api/v1/sites/${site.siteId}/visitors`, {});
    const widgetChat = await client(app.url, widgetVisitor.body.token).post('/api/v1/chats', { assignType: 'agent' });
    assert.ok(widgetChat.status === 201 || widgetChat.status === 200, JSON.stringify(widgetChat.body));
    assert.equal((await ann.api.post(`/api/v1/chats/${widgetChat.body.id ?? widgetChat.body.chat?.id}/app-events`, { command: 'event.mb.avaya_answer', params: {} })).status, 409);

    // The app's answer, passed on by the page: stored for the agent; nothing else is.
    const answer = (body: unknown, token = robotToken) => call(app.url, 'POST', `/api/v1/webview/chats/${robotChat}/results`, { token, body });
    const answered = await answer({ command: 'cmd.chat.channel_change_result', params: { result: '00', desc: 'succeeded', user_message: '客戶同意開啟視訊' } });
    assert.equal(answered.status, 201, JSON.stringify(answered.body));
    assert.deepEqual([answered.body.type, answered.body.senderKind, answered.body.data.params.user_message], ['app_result', 'visitor', '客戶同意開啟視訊']);
    for (const bad of [{ command: 'cmd.chat.channel_change_result', params: { result: '02' } }, { command: 'cmd.chat.self_destruct', params: {} }, { command: 'cmd.chat.channel_change_result', params: { note: 'x' } }]) {
      assert.equal((await answer(bad)).status, 400, JSON.stringify(bad));
    }
    const widgetVisitorApi = client(app.url, widgetVisitor.body.token);
    assert.equal((await widgetVisitorApi.post(`/api/v1/webview/chats/${widgetChat.body.id ?? widgetChat.body.chat?.id}/results`, { command: 'cmd.chat.channel_change_result', params: { result: '00' } })).status, 409);
    const strangerPage = pageConfig((await open('/UIMClient/Chat', { Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} })).body);
    assert.equal((await answer({ command: 'cmd.chat.channel_change_result', params: { result: '01' } }, strangerPage.token as string)).status, 404);
    const types = ((await ann.api.get(`/api/v1/chats/${robotChat}/messages`)).body as { type: string }[]).map((m) => m.type);
    assert.deepEqual(types.filter((x) => x === 'app' || x === 'app_result'), ['app', 'app', 'app_result']);
  });
});
