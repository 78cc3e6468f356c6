// A whole chat in real Chromium: a visitor on a customer's page (shop.test) talks through the
// widget with agents in the console (on the partner's Parley host): pre-chat form, the robot (a
// rated answer), hand-over, the queue, accept, messages both ways with typing, a picture, a page
// change, a server restart mid-chat (the console recovers without a reload), a transfer, the end
// with wrap-up, and the survey. Accessibility is checked with axe-core on the main screens, which
// are kept as screenshots (test artifacts; with PARLEY_UPDATE_SCREENSHOTS=1 also docs/screenshots).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { client } from './helpers/api.ts';
import { esc, launchChromium, startFront } from './helpers/browser.ts';
import { restartParley, startParley } from './helpers/parley.ts';
import { approvedPartner, partnerApi, partnerApiToken } from './helpers/partners.ts';
import { assertAccessible, see, shot, styled, WAIT } from './helpers/screens.ts';

/** Signs an agent in through the console's own form and waits for the app. */
async function signIn(browser: Browser, origin: string, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.grantPermissions(['notifications'], { origin });
  // Records what the agent would hear and see: the tones the console plays and its desktop notifications.
  await context.addInitScript(() => {
    const w = window as unknown as { parleyAlerts: { tones: number; notifications: string[] } };
    w.parleyAlerts = { tones: 0, notifications: [] };
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      w.parleyAlerts.tones += 1;
      return start.apply(this, args);
    };
    window.Notification = new Proxy(window.Notification, {
      construct(target, args: [string, NotificationOptions?]) {
        w.parleyAlerts.notifications.push(`${args[0]}: ${args[1]?.body ?? ''}`);
        return Reflect.construct(target, args);
      },
    });
  });
  const page = await context.newPage();
  await page.goto(`${origin}/console`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('status-select').waitFor({ timeout: WAIT });
  // The prompt for desktop notifications waits for a click; dismiss it so it covers nothing.
  const later = page.getByTestId('notifications-later');
  if (await later.isVisible().catch(() => false)) await later.click();
  return page;
}

test('a visitor and agents hold a whole chat between the widget and the console, across a server restart', async (t) => {
  const front = await startFront(t, { baseDomain: 'parley.test' });
  const env = { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: front.origin('parley.test'), PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_LOGIN_RATE_LIMIT: '1000' };
  let app = await startParley(t, env);
  front.proxyTo(app);
  const browser = await launchChromium(t, front);

  // ---- A partner, its customer's site with two agents, the robot, the widget's settings. ----
  const partner = await approvedPartner(app, 'Acme Support');
  const parleyOrigin = front.origin(`${partner.slug}.parley.test`);
  const api = partnerApi(app, await partnerApiToken(app, partner));
  const boss = { email: 'boss@shop.example', password: 'shop-boss-password' };
  const created = await api.post('/sites', { company: 'Corner Shop', admin: { ...boss, name: 'Boss' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const siteId: number = created.body.id;
  const adminToken = (await client(app.url).post('/api/v1/auth/login', { ...boss, siteId })).body.token as string;
  const admin = () => client(app.url, adminToken);
  const ann = { email: 'ann@shop.example', password: 'ann-password-1', name: 'Ann Agent' };
  const ben = { email: 'ben@shop.example', password: 'ben-password-1', name: 'Ben Backup' };
  for (const a of [ann, ben]) assert.equal((await admin().post('/api/v1/agents', a)).status, 201);
  const question = await admin().post('/api/v1/robot/questions', {
    title: 'How do I reset my password?',
    alternatives: ['forgot my password', 'reset password'],
    answer: 'Open Settings, then Security, and choose "Reset password".',
  });
  assert.equal(question.status, 201, JSON.stringify(question.body));
  const widgetSettings = await admin().patch('/api/v1/widget/settings', {
    startWith: 'robot',
    prechat: { enabled: true, message: null, fields: [{ name: 'name', required: true }, { name: 'email', required: false }, { name: 'question', required: false }] },
  });
  assert.equal(widgetSettings.status, 200, JSON.stringify(widgetSettings.body));

  // The partner's own look: both the console and the widget wear it.
  const theme = await partner.portal.put('/api/v1/partner/theme', {
    pairs: [
      { cssKey: 'primaryColor', cssValue: '#0f766e' },
      { cssKey: 'headerBackgroundColor', cssValue: '#134e4a' },
      { cssKey: 'headerTextColor', cssValue: '#ffffff' },
    ],
  });
  assert.equal(theme.status, 200, JSON.stringify(theme.body));

  // ---- The customer's shop, on its own origin, with the one widget tag. ----
  const shopOrigin = front.origin('shop.test');
  const tag = `<script src="${esc(parleyOrigin)}/widget.js" data-site-id="${siteId}" async></script>`;
  const shopPage = (title: string, body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:serif;margin:2rem">${body}${tag}</body></html>`;
  front.serve('shop.test', (_req, res, url) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    if (url.pathname === '/pricing') return void res.end(shopPage('Pricing · Corner Shop', '<h1>Pricing</h1><p>Plans for every shop.</p>'));
    res.end(shopPage('Corner Shop · Fresh bread', '<h1>Corner Shop</h1><p>Fresh bread every morning.</p><a href="/pricing">Pricing</a>'));
  });

  // ---- Ann signs in to the console and stays away for now; the visitor arrives. ----
  const annPage = await signIn(browser, parleyOrigin, ann.email, ann.password);
  await see(annPage.getByTestId('agent-name'), ann.name);
  await shot(annPage, 'console-empty');

  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
  const shop = await visitorContext.newPage();
  await shop.goto(`${shopOrigin}/`);
  const widget: FrameLocator = shop.frameLocator('iframe[data-parley-widget]');

  await t.test("both screens wear the partner's brand", async () => {
    const teal = 'rgb(15, 118, 110)';
    await styled(widget.getByTestId('launcher'), 'background-color', teal, "the launcher in the partner's colour");
    await shot(shop, 'widget-launcher');
    await see(annPage.getByTestId('brand-name'), 'Acme Support', "the partner's name in the console");
    const header = annPage.locator('header').first();
    await styled(header, 'background-color', 'rgb(19, 78, 74)', "the console's header in the partner's colour");
  });

  await t.test('pre-chat form, then the robot answers and the answer is rated useful', async () => {
    await widget.getByTestId('launcher').click();
    await widget.getByTestId('prechat-form').waitFor({ timeout: WAIT });
    await shot(shop, 'widget-prechat');
    await assertAccessible(shop, 'the widget (pre-chat form)', '/widget/frame.html');
    await widget.getByTestId('prechat-name').fill('Olga Visitor');
    await widget.getByTestId('prechat-email').fill('olga@example.com');
    await widget.getByTestId('prechat-question').fill('I forgot my password');
    await widget.getByTestId('prechat-submit').click();
    const answer = await see(widget.locator('[data-testid="message"][data-sender="bot"]'), /Reset password/, "the robot's answer");
    await answer.getByTestId('rate-useful').click();
    await widget.getByTestId('rated').first().waitFor({ timeout: WAIT });
    await shot(shop, 'widget-robot');
    const ratings = await admin().get('/api/v1/robot/ratings');
    assert.equal(ratings.status, 200, JSON.stringify(ratings.body));
    const rated = (ratings.body as { questionId: number; useful: number; useless: number }[]).find((r) => r.questionId === question.body.id);
    assert.deepEqual({ useful: rated?.useful, useless: rated?.useless }, { useful: 1, useless: 0 }, `the rating is recorded: ${JSON.stringify(ratings.body)}`);
  });

  await t.test('hand-over to a person: the visitor waits in the queue, Ann comes online and accepts', async () => {
    await widget.getByTestId('handover-button').click();
    await see(widget.getByTestId('queue-position'), /1/, 'queue position 1');
    await shot(shop, 'widget-queue');
    // Ann is working in another window when the chat comes in: she hears the chime and gets a
    // desktop notification naming the visitor. (Headless Chromium keeps every page focused, so the
    // page is told it lost the focus, as it would be.)
    await annPage.evaluate(() => {
      document.hasFocus = () => false;
    });
    await annPage.getByTestId('status-select').selectOption('online');
    const incoming = annPage.getByTestId('incoming-chat').first();
    await incoming.waitFor({ timeout: WAIT });
    const alerts = () => annPage.evaluate(() => (window as unknown as { parleyAlerts: { tones: number; notifications: string[] } }).parleyAlerts);
    const deadline = Date.now() + WAIT;
    while ((await alerts()).notifications.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const heard = await alerts();
    assert.ok(heard.tones >= 3, `the incoming chime played (${heard.tones} tones)`);
    assert.deepEqual(heard.notifications, ['New chat: Olga Visitor'], 'one desktop notification for the new chat');
    await annPage.evaluate(() => {
      document.hasFocus = Document.prototype.hasFocus;
    });
    await shot(annPage, 'console-incoming');
    await incoming.getByTestId('incoming-accept').click();
    const pane = annPage.getByTestId('chat-pane').first();
    await pane.waitFor({ timeout: WAIT });
    // The robot's part of the conversation is there for Ann, set apart.
    await see(pane.getByTestId('robot-transcript'), /Reset password/, 'the robot transcript in the console');
    await see(pane.getByTestId('message'), 'I forgot my password', "the visitor's first question");
    await see(widget.getByTestId('agent-name'), ann.name, "Ann's name in the widget");
  });

  await t.test('messages both ways with typing indicators, and a picture', async () => {
    const pane = annPage.getByTestId('chat-pane').first();
    const composer = pane.getByTestId('composer');
    await composer.click();
    await composer.pressSequentially('Hello Olga, I can help', { delay: 20 });
    await widget.getByTestId('typing-indicator').waitFor({ state: 'visible', timeout: WAIT });
    await pane.getByTestId('send-button').click();
    await see(widget.locator('[data-testid="message"][data-sender="agent"]'), 'Hello Olga, I can help');

    const input = widget.getByTestId('message-input');
    await input.click();
    await input.pressSequentially('The reset e-mail never arrives', { delay: 20 });
    await pane.getByTestId('typing-indicator').waitFor({ state: 'visible', timeout: WAIT });
    await widget.getByTestId('send-button').click();
    await see(pane.locator('[data-testid="message"][data-sender-kind="visitor"]'), 'The reset e-mail never arrives');

    // The visitor sends a picture of the shop's page (a real PNG, made by the browser).
    const PICTURE = await shop.screenshot({ clip: { x: 0, y: 0, width: 320, height: 180 } });
    await widget.getByTestId('file-input').setInputFiles({ name: 'screenshot.png', mimeType: 'image/png', buffer: PICTURE });
    const picture = pane.locator('[data-testid="message"][data-sender-kind="visitor"] img').first();
    await picture.waitFor({ timeout: WAIT });
    const src = await picture.getAttribute('src');
    assert.ok(src, 'the picture has an address');
    const fetched = await fetch(src.replace(parleyOrigin, app.url).replace(front.origin('parley.test'), app.url));
    assert.deepEqual(Buffer.from(await fetched.arrayBuffer()), PICTURE, 'the picture arrives as sent');
    await shot(annPage, 'console-chats');
    await shot(shop, 'widget-chat');
    await assertAccessible(annPage, 'the console (chats)');
    await assertAccessible(shop, 'the widget (chat)', '/widget/frame.html');
  });

  await t.test('the visitor changes page and keeps the conversation; the visitor list shows where', async () => {
    await shop.goto(`${shopOrigin}/pricing`);
    const frame = shop.frameLocator('iframe[data-parley-widget]');
    await frame.getByTestId('launcher').click();
    await see(frame.getByTestId('message'), 'Hello Olga, I can help', 'the conversation after a page change');
    await annPage.getByTestId('nav-visitors').click();
    const row = annPage.getByTestId('visitor-row').first();
    await see(row.getByTestId('visitor-page'), /Pricing · Corner Shop/, 'the page the visitor is on');
    await shot(annPage, 'console-visitors');
    await assertAccessible(annPage, 'the console (visitors)');
    await annPage.getByTestId('nav-chats').click();
  });

  await t.test('the server restarts mid-chat: the console recovers without a reload', async () => {
    const widgetNow = shop.frameLocator('iframe[data-parley-widget]');
    const before = await annPage.evaluate(() => performance.getEntriesByType('navigation').length);
    const marker = await annPage.evaluate(() => {
      (window as unknown as { parleyNoReload: number }).parleyNoReload = 42;
      return 42;
    });
    app = await restartParley(t, app);
    front.proxyTo(app);
    // The visitor writes after the restart; Ann sees it live, then answers.
    const input = widgetNow.getByTestId('message-input');
    await input.fill('Are you still there?');
    await widgetNow.getByTestId('send-button').click();
    const pane = annPage.getByTestId('chat-pane').first();
    await see(pane.locator('[data-testid="message"][data-sender-kind="visitor"]'), 'Are you still there?', 'a message sent after the restart');
    const composer = pane.getByTestId('composer');
    await composer.click();
    await composer.pressSequentially('Yes, still here');
    await pane.getByTestId('send-button').click();
    await see(widgetNow.locator('[data-testid="message"][data-sender="agent"]'), 'Yes, still here');
    assert.equal(await annPage.evaluate(() => (window as unknown as { parleyNoReload?: number }).parleyNoReload), marker, 'the console page was not reloaded');
    assert.equal(await annPage.evaluate(() => performance.getEntriesByType('navigation').length), before);
  });

  await t.test('Ann transfers the chat to Ben, who accepts it', async () => {
    const benPage = await signIn(browser, parleyOrigin, ben.email, ben.password);
    await benPage.getByTestId('status-select').selectOption('online');
    const benId = (await admin().get('/api/v1/agents')).body.find((a: { email: string }) => a.email === ben.email).id as number;
    const pane = annPage.getByTestId('chat-pane').first();
    await pane.getByTestId('transfer-button').click();
    const dialog = annPage.getByTestId('transfer-dialog');
    await dialog.locator(`[data-testid="transfer-option"][data-kind="agent"][data-id="${benId}"]`).click();
    await dialog.getByTestId('transfer-confirm').click();
    // An active chat stays active when transferred: it opens in Ben's console at once.
    const benPane = benPage.getByTestId('chat-pane').first();
    await benPane.waitFor({ timeout: WAIT });
    await see(benPane.getByTestId('message'), 'Are you still there?', 'the history reaches Ben');
    const composer = benPane.getByTestId('composer');
    await composer.click();
    await composer.pressSequentially('Ben here, I will fix your e-mail');
    await benPane.getByTestId('send-button').click();
    const widgetNow = shop.frameLocator('iframe[data-parley-widget]');
    await see(widgetNow.locator('[data-testid="message"][data-sender="agent"]'), 'Ben here, I will fix your e-mail');
    await see(widgetNow.getByTestId('agent-name'), ben.name, "Ben's name in the widget");

    // ---- Ben ends the chat with a wrap-up; the visitor answers the survey. ----
    await benPane.getByTestId('end-button').click();
    const end = benPage.getByTestId('end-dialog');
    await end.getByTestId('wrapup-category').fill('Account access');
    await end.getByTestId('wrapup-note').fill('Reset e-mail bounced; fixed the address.');
    await end.getByTestId('end-confirm').click();
    await widgetNow.getByTestId('survey-form').waitFor({ timeout: WAIT });
    await shot(shop, 'widget-survey');
    await assertAccessible(shop, 'the widget (survey)', '/widget/frame.html');
    await widgetNow.locator('[data-testid="survey-option"][data-option-id="1"]').click();
    await widgetNow.getByTestId('survey-submit').click();
    await widgetNow.getByTestId('survey-done').waitFor({ timeout: WAIT });

    const chats = await client(app.url, adminToken).get('/api/v1/chats?status=ended');
    assert.equal(chats.status, 200, JSON.stringify(chats.body));
    const chat = chats.body[0];
    assert.equal(chat.agentId, benId);
    assert.deepEqual({ category: chat.wrapUp?.category, note: chat.wrapUp?.note }, { category: 'Account access', note: 'Reset e-mail bounced; fixed the address.' });
    const surveys = await client(app.url, adminToken).get('/api/v1/surveys');
    assert.equal(surveys.status, 200, JSON.stringify(surveys.body));
    const answer = (surveys.body as { chatId: number; agentId: number; optionId: number }[]).find((a) => a.chatId === chat.id);
    assert.deepEqual({ agentId: answer?.agentId, optionId: answer?.optionId }, { agentId: benId, optionId: 1 }, `the survey answer is recorded: ${JSON.stringify(surveys.body)}`);
  });

  await t.test("both speak the visitor's and the agent's language", async () => {
    // The agent picks Russian in the console; the choice is the agent's own.
    await annPage.getByTestId('language-select').selectOption('ru');
    await see(annPage.getByTestId('nav-visitors'), 'Посетители', 'the console in Russian');
    assert.equal(await annPage.evaluate(() => document.documentElement.lang), 'ru');
    // A browser that prefers Traditional Chinese gets the widget in it; the site may fix a language.
    const zh = await browser.newContext({ locale: 'zh-TW' });
    const zhPage = await zh.newPage();
    await zhPage.goto(`${shopOrigin}/`);
    const zhLauncher = zhPage.frameLocator('iframe[data-parley-widget]').getByTestId('launcher');
    await zhLauncher.waitFor({ timeout: WAIT });
    assert.equal(await zhLauncher.getAttribute('aria-label'), '開啟聊天');
    await zh.close();
    assert.equal((await admin().patch('/api/v1/widget/settings', { language: 'zh-CN' })).status, 200);
    const en = await browser.newContext({ locale: 'en-US' });
    const enPage = await en.newPage();
    await enPage.goto(`${shopOrigin}/`);
    const fixed = enPage.frameLocator('iframe[data-parley-widget]').getByTestId('launcher');
    await fixed.waitFor({ timeout: WAIT });
    assert.equal(await fixed.getAttribute('aria-label'), '打开聊天', "the site's language wins over the browser's");
    await en.close();
  });
});
