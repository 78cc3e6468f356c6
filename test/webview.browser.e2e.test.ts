// The mobile WebView chat in real Chromium at a phone's size (390×844, touch), with a fake native
// app injected before the page loads — Android's `window.ncbmb` and iOS's
// `webkit.messageHandlers.ncbmb` — recording every message the page posts to it. The app opens the
// pages by POST with the spec's JSON body, calls start() and sendMessage(json) as a real app does.
// The agent works in the console. (The native app is the one third party here: its bridge object
// is a stand-in that records and answers as the spec says.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { client } from './helpers/api.ts';
import { partnerBehindFront } from './helpers/front.ts';
import { partnerApi, partnerApiToken } from './helpers/partners.ts';
import { assertAccessible, see, shot, WAIT } from './helpers/screens.ts';

type Style = 'android' | 'ios';
type Sent = { command: string; params: Record<string, unknown> };

/** The app opens a page the way the spec has it: POST with the JSON body, in a phone-sized WebView with its bridge object. */
async function openInApp(browser: Browser, style: Style, url: string, body: Record<string, unknown>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-TW' });
  await context.addInitScript((style: Style) => {
    const w = window as unknown as { app: { sent: unknown[] }; ncbmb?: unknown; webkit?: unknown };
    w.app = { sent: [] };
    const handler = { postMessage: (json: string) => w.app.sent.push(JSON.parse(json)) };
    if (style === 'android') w.ncbmb = handler;
    else w.webkit = { messageHandlers: { ncbmb: handler } };
  }, style);
  const page = await context.newPage();
  await page.route(
    (u) => u.href === url,
    (route) => route.continue({ method: 'POST', postData: JSON.stringify(body), headers: { ...route.request().headers(), 'content-type': 'application/json' } }),
    { times: 1 },
  );
  await page.goto(url);
  return page;
}

const sent = (page: Page) => page.evaluate(() => (window as unknown as { app: { sent: Sent[] } }).app.sent);
const start = (page: Page) => page.evaluate(() => (window as unknown as { start(): void }).start());
const sendToPage = (page: Page, message: unknown) => page.evaluate((json) => (window as unknown as { sendMessage(j: string): boolean }).sendMessage(json), JSON.stringify(message));

/** Waits until the app received `command` (matching `also`); returns its params. */
async function received(page: Page, command: string, also: (p: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const hit = (await sent(page)).find((m) => m.command === command && also(m.params));
    if (hit) return hit.params;
    if (Date.now() > deadline) throw new Error(`the app never got ${command}; it got ${JSON.stringify((await sent(page)).map((m) => m.command))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function consoleOf(browser: Browser, origin: string, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
  await page.goto(`${origin}/console`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('status-select').waitFor({ timeout: WAIT });
  return page;
}

test('a bank app’s WebView: robot to person, agent join, channel change, business results, leaving and ending (Android and iOS bridges)', async (t) => {
  const { browser, app, acme, parleyOrigin } = await partnerBehindFront(t);
  const boss = { email: 'boss@bank.example', password: 'bank-boss-password', name: 'Bo Boss' };
  const site = await partnerApi(app, await partnerApiToken(app, acme)).post('/sites', { company: 'Next Bank', admin: boss });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const siteId: number = site.body.id;
  const admin = client(app.url, (await client(app.url).post('/api/v1/auth/login', { email: boss.email, password: boss.password, siteId })).body.token);
  const ann = { email: 'ann@bank.example', password: 'ann-password-1', name: 'Ann Agent' };
  const annCreated = await admin.post('/api/v1/agents', ann);
  assert.equal(annCreated.status, 201);
  const ben = { email: 'ben@bank.example', password: 'ben-password-1', name: 'Ben Mobile' };
  const benCreated = await admin.post('/api/v1/agents', ben);
  const mobile = await admin.post('/api/v1/groups', { name: 'Mobile numbers', agentIds: [benCreated.body.id] });
  assert.equal(mobile.status, 201);
  assert.equal((await admin.post('/api/v1/webview/skills/presets')).status, 200);
  const mobChg = ((await admin.get('/api/v1/webview/skills')).body as { id: number; name: string }[]).find((s) => s.name === 'MobChg')!;
  assert.equal((await admin.patch(`/api/v1/webview/skills/${mobChg.id}`, { groupId: mobile.body.id })).status, 200);
  const secret: string = (await admin.put('/api/v1/webview/settings', { mode: 'jwt' })).body.secret;
  const ssotoken = (sub: string, name: string) =>
    new SignJWT({ sub, name }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('10m').setJti(randomUUID()).sign(new TextEncoder().encode(secret));
  const human = `${parleyOrigin}/UIMClient/Chat?siteId=${siteId}`;
  const robotUrl = `${parleyOrigin}/wise/webchat/Chat?siteId=${siteId}`;
  const request = (extra: Record<string, unknown> = {}) => ({ Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {}, ...extra });

  const annPage = await consoleOf(browser, parleyOrigin, ann.email, ann.password);
  await annPage.getByTestId('status-select').selectOption('online');

  let robotPage: Page;
  let chatIdRobot = '';
  await t.test('Android: the robot page waits for start(), then the customer asks for a person: event.ai.transfer_agent', async () => {
    robotPage = await openInApp(browser, 'android', robotUrl, request({ Ssotoken: await ssotoken('C-1001', 'Chen Mei') }));
    await robotPage.getByTestId('webview-connecting').waitFor({ timeout: WAIT });
    await robotPage.waitForTimeout(800);
    assert.deepEqual(await sent(robotPage), [], 'nothing reaches the app before start()');
    assert.equal(await sendToPage(robotPage, { command: 'cmd.chat.end', params: {} }), false, 'no commands before start() either');
    await start(robotPage);
    const input = robotPage.getByTestId('message-input');
    await input.fill('我要變更手機號碼');
    await robotPage.getByTestId('send-button').tap();
    await see(robotPage.locator('[data-testid="message"][data-sender="bot"]'), /./, "the robot's answer");
    await robotPage.getByTestId('handover-button').tap();
    const params = await received(robotPage, 'event.ai.transfer_agent');
    chatIdRobot = String(params.chat_id_robot);
    assert.match(chatIdRobot, /^\d+\.\d+\.[\w-]{43}$/);
    await shot(robotPage, 'webview-robot');
    await assertAccessible(robotPage, 'the WebView robot page');
  });

  let page: Page;
  let chatId = '';
  await t.test('the app opens the human page with chat_id_robot: Ann accepts, event.chat.agent_join, and she sees the robot transcript and who the customer is', async () => {
    page = await openInApp(browser, 'android', human, request({ Ssotoken: await ssotoken('C-1001', 'Chen Mei'), params: { chat_id_robot: chatIdRobot } }));
    await start(page);
    const incoming = annPage.getByTestId('incoming-chat').first();
    await incoming.waitFor({ timeout: WAIT });
    await see(incoming, 'Chen Mei');
    await incoming.getByTestId('incoming-accept').click();
    const join = await received(page, 'event.chat.agent_join');
    assert.equal(join.agentid, String(annCreated.body.id));
    chatId = String(join.chatid);
    assert.equal(chatId, chatIdRobot.split('.')[0], 'the robot chat, continued with people');
    const pane = annPage.getByTestId('chat-pane').first();
    await see(pane.getByTestId('robot-transcript'), '我要變更手機號碼');
    await see(pane.getByTestId('chat-skill'), 'Generic');
    await see(page.getByTestId('agent-name'), ann.name);
  });

  await t.test('Ann asks for video: event.mb.channel_change; the app answers and Ann sees the answer', async () => {
    const pane = annPage.getByTestId('chat-pane').first();
    await pane.getByTestId('app-menu').click();
    await pane.getByTestId('app-channel-video').click();
    assert.deepEqual(await received(page, 'event.mb.channel_change'), { channel: 'video' });
    assert.equal(await sendToPage(page, { command: 'cmd.chat.channel_change_result', params: { result: '00', desc: 'succeeded', user_message: '客戶同意開啟視訊' } }), true);
    await see(pane.getByTestId('app-result'), '客戶同意開啟視訊');
  });

  await t.test('Ann sends a business result and a link: the app gets acc_upgrade_video 00 and open_link', async () => {
    const pane = annPage.getByTestId('chat-pane').first();
    await pane.getByTestId('app-menu').click();
    await pane.getByTestId('app-result-open').click();
    const dialog = annPage.getByTestId('app-result-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await dialog.getByTestId('app-result-command').selectOption('event.mb.acc_upgrade_video');
    await dialog.getByTestId('app-result-value').selectOption('00');
    await dialog.getByTestId('app-result-send').click();
    assert.deepEqual(await received(page, 'event.mb.acc_upgrade_video'), { result: '00' });

    await pane.getByTestId('app-menu').click();
    await pane.getByTestId('app-link-open').click();
    const link = annPage.getByTestId('app-link-dialog');
    await link.getByTestId('app-link-url').fill('https://www.nextbank.com.tw/contact');
    await link.getByTestId('app-link-send').click();
    assert.deepEqual(await received(page, 'event.chat.open_link'), { url: 'https://www.nextbank.com.tw/contact' });
    await shot(annPage, 'console-webview-chat');
    await shot(page, 'webview-chat');
    await assertAccessible(page, 'the WebView chat page');
  });

  await t.test('the customer taps leave: event.chat.exit; keep_chat keeps the chat, cmd.chat.end ends it for both sides', async () => {
    await page.getByTestId('end-chat').tap();
    await received(page, 'event.chat.exit');
    await sendToPage(page, { command: 'cmd.chat.keep_chat', params: {} });
    await page.waitForTimeout(500);
    assert.equal((await sent(page)).some((m) => m.command === 'event.chat.end'), false, 'still chatting');
    await page.getByTestId('message-input').fill('好的，謝謝');
    await page.getByTestId('send-button').tap();
    await see(annPage.getByTestId('chat-pane').first(), '好的，謝謝');

    // Unknown and malformed commands get an error event and change nothing.
    await sendToPage(page, { command: 'cmd.chat.teleport', params: {} });
    assert.equal((await received(page, 'event.chat.error', (p) => p.code === 'unknown_command')).command, 'cmd.chat.teleport');
    await page.evaluate(() => (window as unknown as { sendMessage(j: string): boolean }).sendMessage('{not json'));
    await received(page, 'event.chat.error', (p) => p.code === 'malformed_command');

    await sendToPage(page, { command: 'cmd.chat.end', params: {} });
    await received(page, 'event.chat.end');
    await see(page.getByTestId('chat-ended'), /./);
    await see(annPage.getByTestId('chat-pane').first(), /ended|結束|结束/i);
    const chat = await admin.get(`/api/v1/chats/${chatId}`);
    assert.equal(chat.body.status, 'ended');
  });

  await t.test('with nobody free the page sends event.chat.agent_busy; MobChg goes to its group', async () => {
    await annPage.getByTestId('status-select').selectOption('offline');
    const busy = await openInApp(browser, 'android', human, request({ Skill: 'MobChg' }));
    await start(busy);
    await received(busy, 'event.chat.agent_busy');
    const benApi = client(app.url, (await client(app.url).post('/api/v1/auth/login', { email: ben.email, password: ben.password, siteId })).body.token);
    assert.equal((await benApi.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
    const chats = (await benApi.get('/api/v1/chats?status=assigned')).body as { skill: string; agentId: number; groupId: number }[];
    const offered = chats.find((c) => c.skill === 'MobChg');
    assert.ok(offered, JSON.stringify(chats));
    assert.deepEqual([offered.agentId, offered.groupId], [benCreated.body.id, mobile.body.id]);
    assert.equal((await benApi.put('/api/v1/agents/me/status', { status: 'offline' })).status, 200);
  });

  await t.test('an invalid Ssotoken: a clear page, an error event after start(), and never a chat', async () => {
    const before = (await admin.get('/api/v1/chats?limit=100')).body.length;
    const refused = await openInApp(browser, 'android', human, request({ Ssotoken: 'forged.token.value' }));
    await see(refused.getByTestId('webview-refused'), /./);
    await start(refused);
    assert.equal((await received(refused, 'event.chat.error')).code, 'invalid_token');
    assert.equal((await admin.get('/api/v1/chats?limit=100')).body.length, before);
  });

  await t.test('iOS: the same bridge through webkit.messageHandlers.ncbmb', async () => {
    await annPage.getByTestId('status-select').selectOption('online');
    const ios = await openInApp(browser, 'ios', human, { Ssotoken: '', Language: 'Chinese', Skill: 'Generic', Urgent: '', params: {} });
    await ios.waitForTimeout(500);
    assert.deepEqual(await sent(ios), []);
    await start(ios);
    await annPage.getByTestId('incoming-chat').first().getByTestId('incoming-accept').click();
    const join = await received(ios, 'event.chat.agent_join');
    assert.equal(join.agentid, String(annCreated.body.id));
    // Ann hands the chat to Ben (it opens for him at once): the app hears Ann leave, then Ben join.
    const login = async (who: { email: string; password: string }) => client(app.url, (await client(app.url).post('/api/v1/auth/login', { email: who.email, password: who.password, siteId })).body.token);
    const annApi = await login(ann);
    const benApi = await login(ben);
    assert.equal((await benApi.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
    assert.equal((await annApi.post(`/operator/sessions/${join.chatid}/operators/${benCreated.body.id}`)).status, 200);
    await received(ios, 'event.chat.agent_join', (p) => p.agentid === String(benCreated.body.id));
    const order = (await sent(ios)).map((m) => (m.command === 'event.chat.agent_join' ? `join:${m.params.agentid}` : m.command));
    assert.deepEqual(order, [`join:${annCreated.body.id}`, 'event.chat.agent_leave', `join:${benCreated.body.id}`]);
    await ios.getByTestId('end-chat').tap();
    await received(ios, 'event.chat.exit');
    await sendToPage(ios, { command: 'cmd.chat.end', params: {} });
    await received(ios, 'event.chat.end');
  });
});
