// The control panel's settings pages in real Chromium, as a site admin: routing and the queue (a
// wait the server refuses first, shown under its field), the files section of the same page
// (visitor files turned off and a 2 MB limit, read back through the API; a customer's page then
// shows a widget without the attach button, and with files on again the widget refuses a larger
// file itself), the robot's persona and knowledge base,
// an IM API key made in the panel that the IM API then takes and, revoked, refuses, the webhook
// (URL, secret rotation, a failed delivery sent again) and the shared canned messages. Every page
// is checked with axe-core and kept as a screenshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from './helpers/api.ts';
import { startPanelStack } from './helpers/browser.ts';
import { serveShop, widgetIn } from './helpers/campaigns.ts';
import { FAST_WEBHOOKS, imClient } from './helpers/im.ts';
import { approvedPartner, openSiteFor } from './helpers/partners.ts';
import { eventually, receiver } from './helpers/receiver.ts';
import { assertAccessible, see, shot, signInToPanel, WAIT } from './helpers/screens.ts';

test("a site admin sets routing, file limits, the robot, IM API keys, the webhook and shared canned messages in the panel", async (t) => {
  const { front, app, browser } = await startPanelStack(t, {
    ...FAST_WEBHOOKS,
    // A delivery nobody accepts is given up (dead) after a second.
    PARLEY_WEBHOOK_RETRY_PERIOD_SECONDS: '1',
  });
  const hook = await receiver(t);

  const partner = await approvedPartner(app, 'Acme Support');
  const parleyOrigin = front.origin(`${partner.slug}.parley.test`);
  const boss = { email: 'boss@books.example', password: 'books-boss-password' };
  const { siteId, admin } = await openSiteFor(app, partner, 'Book Nook', boss);
  const page = await signInToPanel(browser, `${parleyOrigin}/admin/routing?siteId=${siteId}`, boss.email, boss.password);
  const menu = page.getByTestId('panel-menu');

  await t.test('the menu lists every page; routing and the queue: a refused wait is shown under its field, then saved', async () => {
    assert.deepEqual(await menu.locator('a').allTextContents(), [
      'Site profile',
      'Agents',
      'Groups',
      'Permissions',
      'IP restrictions',
      'Campaigns',
      'Canned messages',
      'Routing and queue',
      'Robot',
      'IM API keys',
      'Webhook',
      'Mobile app',
      'Reports',
    ]);
    await page.getByTestId('routing-form').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('routing-rule-least-busy').isChecked(), true);
    await page.getByTestId('routing-rule-round-robin').check();
    await page.getByTestId('routing-maxQueueLength').fill('25');
    // The browser's own check would stop 5 (below min 10); the server's word is what this shows.
    await page.getByTestId('routing-maxQueueWaitSeconds').evaluate((el) => el.removeAttribute('min'));
    await page.getByTestId('routing-maxQueueWaitSeconds').fill('5');
    await page.getByTestId('routing-save').click();
    await see(page.getByTestId('routing-error'), 'The request does not match the schema.');
    assert.equal(await page.getByTestId('routing-maxQueueWaitSeconds').getAttribute('aria-invalid'), 'true');
    await see(page.locator('#routing-maxQueueWaitSeconds-problem'), /must be >= 10/);
    await assertAccessible(page, 'a refused routing change');
    await page.getByTestId('routing-maxQueueWaitSeconds').fill('300');
    await page.getByTestId('routing-save').click();
    await see(page.getByTestId('routing-status'), 'The routing settings are saved.');
    const routing = (await admin.get('/api/v1/im/settings')).body.routing;
    assert.deepEqual([routing.rule, routing.maxQueueLength, routing.maxQueueWaitSeconds], ['round-robin', 25, 300]);
    await assertAccessible(page, 'the routing page');
    await shot(page, 'admin-routing');
  });

  await t.test('files: a size out of range and one the server refuses are said at the field; visitor files off and 2 MB are saved, read back, and the widget follows', async () => {
    const MB = 1024 * 1024;
    await page.getByTestId('files-form').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('files-visitorFiles').isChecked(), true);
    assert.equal(await page.getByTestId('files-agentFiles').isChecked(), true);
    assert.equal(await page.getByTestId('files-maxMb').inputValue(), '10', "the platform's default, 10 MB");
    await see(page.locator('#files-maxMb-hint'), 'From 0.1 to 10 MB');

    // Above the platform's limit: said at the field, and nothing is sent.
    await page.getByTestId('files-maxMb').fill('20');
    await page.getByTestId('files-save').click();
    await see(page.locator('#files-maxMb-problem'), 'Enter a size from 0.1 to 10 MB.');
    assert.equal(await page.getByTestId('files-maxMb').getAttribute('aria-invalid'), 'true');
    assert.equal((await admin.get('/api/v1/file-settings')).body.maxBytes, 10 * MB, 'unchanged');

    // What the server refuses (here a size below its 1 KB minimum, sent in place of the form's) is shown at the field too.
    const settingsUrl = '**/api/v1/file-settings';
    await page.route(settingsUrl, (route) => (route.request().method() === 'PATCH' ? route.continue({ postData: JSON.stringify({ maxBytes: 512 }) }) : route.continue()));
    await page.getByTestId('files-maxMb').fill('3');
    await page.getByTestId('files-save').click();
    await page.getByTestId('files-error').waitFor({ timeout: WAIT });
    await page.locator('#files-maxMb-problem').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('files-maxMb').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'a refused file size');
    await page.unroute(settingsUrl);
    assert.equal((await admin.get('/api/v1/file-settings')).body.maxBytes, 10 * MB, 'still unchanged');

    await page.getByTestId('files-visitorFiles').uncheck();
    await page.getByTestId('files-maxMb').fill('2');
    await page.getByTestId('files-save').click();
    await see(page.getByTestId('files-status'), 'The file settings are saved.');
    assert.equal(await page.getByTestId('files-maxMb').getAttribute('aria-invalid'), null);
    assert.deepEqual((await admin.get('/api/v1/file-settings')).body, { visitorFiles: false, agentFiles: true, maxBytes: 2 * MB, platformMaxBytes: 10 * MB });
    assert.deepEqual((await client(app.url).get(`/api/v1/sites/${siteId}/widget`)).body.files, { enabled: false, maxBytes: 2 * MB });
    await page.reload();
    await page.getByTestId('files-form').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('files-visitorFiles').isChecked(), false, 'read back in the panel');
    assert.equal(await page.getByTestId('files-agentFiles').isChecked(), true);
    assert.equal(await page.getByTestId('files-maxMb').inputValue(), '2');
    await assertAccessible(page, 'the routing page with its files section');
    await page.getByTestId('files').scrollIntoViewIfNeeded();
    await shot(page, 'admin-files');

    // A customer's page with the site's tag: the chat has no attach button.
    assert.equal((await admin.put('/api/v1/agents/me/status', { status: 'online' })).status, 200);
    const shop = serveShop(front, 'books.test', `<script src="${parleyOrigin}/widget.js" data-site-id="${siteId}" async></script>`, 'Book Nook');
    /** A new visitor (a browser of its own: the widget's configuration is cached for 15 s) opens the chat. */
    const openChat = async () => {
      const visitorPage = await (await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' })).newPage();
      const widget = widgetIn(visitorPage);
      await visitorPage.goto(`${shop}/`);
      await widget.getByTestId('launcher').click({ timeout: WAIT });
      await widget.getByTestId('message-input').waitFor({ timeout: WAIT });
      return { visitorPage, widget };
    };
    const first = await openChat();
    assert.equal(await first.widget.getByTestId('file-input').count(), 0, 'no attach button');
    await assertAccessible(first.visitorPage, 'the widget without files', '/widget/frame.html');
    await first.visitorPage.context().close();

    // Files on again, still at most 2 MB: a larger file is refused by the widget, not uploaded.
    assert.equal((await admin.patch('/api/v1/file-settings', { visitorFiles: true })).status, 200);
    const { visitorPage, widget } = await openChat();
    await widget.getByTestId('file-input').setInputFiles({ name: 'catalogue.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(3 * MB, 1) });
    await see(widget.getByTestId('error'), 'The file was not sent: a file may be at most 2 MB.');
    assert.equal(await widget.locator('[data-testid="message"][data-state]').count(), 0, 'nothing waits to be uploaded');
    await assertAccessible(visitorPage, 'the widget refusing a large file', '/widget/frame.html');
    await visitorPage.context().close();
    assert.equal((await admin.put('/api/v1/agents/me/status', { status: 'offline' })).status, 200);
  });

  await t.test("the robot: a question in the knowledge base, offered with a new welcome, and the hand-over after 2 misses", async () => {
    await page.getByTestId('menu-robot').click();
    await page.getByTestId('kb-empty').waitFor({ timeout: WAIT });
    assert.match(page.url(), /\/admin\/robot\?siteId=/);
    await page.getByTestId('kb-add').click();
    await page.getByTestId('kb-title').fill('When do you open?');
    await page.getByTestId('kb-alternatives').fill('opening hours\n\nare you open on Sunday');
    await page.getByTestId('kb-answer').fill('Every day from 9 to 18.');
    await assertAccessible(page, 'the question dialog');
    await page.getByTestId('kb-save').click();
    await see(page.getByTestId('kb-status'), 'The question When do you open? is added.');
    await see(page.getByTestId('kb-row'), /When do you open\?.*2 other phrasings/);
    await page.getByTestId('robot-name').fill('Bookworm');
    await page.getByTestId('robot-welcomeMessage').fill('Hello! I am Bookworm. What are you looking for?');
    await page.getByTestId('robot-handoverAfterMisses').fill('2');
    await page.getByRole('checkbox', { name: 'When do you open?' }).check();
    await page.getByTestId('robot-save').click();
    await see(page.getByTestId('robot-status'), 'The robot’s settings are saved.');
    const robot = (await admin.get('/api/v1/im/settings')).body.robot;
    const questions = (await admin.get('/api/v1/robot/questions')).body as { id: number; alternatives: string[] }[];
    assert.deepEqual(questions[0]?.alternatives, ['opening hours', 'are you open on Sunday']);
    assert.deepEqual([robot.name, robot.welcomeMessage, robot.handoverAfterMisses, robot.guideQuestionIds], ['Bookworm', 'Hello! I am Bookworm. What are you looking for?', 2, [questions[0]?.id]]);
    await assertAccessible(page, 'the robot page');
    await shot(page, 'admin-robot');
  });

  let key = '';
  await t.test('an IM API key is made in the panel and shown once; the IM API takes it, and refuses it once revoked', async () => {
    await page.getByTestId('menu-imKeys').click();
    await page.getByTestId('imkeys-empty').waitFor({ timeout: WAIT });
    await page.getByTestId('imkey-add').click();
    await page.getByTestId('imkey-name').fill('Shop app');
    await page.getByTestId('imkey-create').click();
    key = await page.getByTestId('imkey-value').inputValue();
    assert.ok(key.length > 20, key);
    await assertAccessible(page, 'the new key');
    await shot(page, 'admin-im-key-created');
    await page.getByTestId('imkey-done').click();
    await see(page.getByTestId('imkey-row'), /Shop app/);
    const im = imClient(app.url, key);
    assert.equal((await im.post('/im/customers', { customer_token: 'reader-1' })).status, 200, 'the IM API takes the new key');
    await assertAccessible(page, 'the IM API keys page');

    await page.getByTestId('imkey-revoke').click();
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('imkeys-status'), 'The key Shop app is revoked.');
    await page.locator('[data-testid="imkey-row"][data-revoked="true"]').waitFor({ timeout: WAIT });
    assert.equal((await im.post('/im/customers', { customer_token: 'reader-1' })).status, 401, 'a revoked key is refused');
    await page.getByTestId('imkey-delete').click();
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('imkeys-status'), 'The key Shop app is deleted.');
    await page.getByTestId('imkeys-empty').waitFor({ timeout: WAIT });
  });

  await t.test('the webhook: a callback URL, a rotated secret, and a failed delivery sent again', async () => {
    await page.getByTestId('menu-webhook').click();
    await page.getByTestId('webhook-form').waitFor({ timeout: WAIT });
    const before = (await admin.get('/api/v1/im/webhook')).body as { signingSecret: string; signingSecretVersion: number };
    await page.getByTestId('webhook-url').fill(hook.url);
    await page.getByTestId('webhook-save').click();
    await see(page.getByTestId('webhook-status'), 'The callback URL is saved.');
    await page.getByTestId('webhook-rotate').click();
    await assertAccessible(page, 'the rotate confirmation');
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('webhook-status'), 'The signing secret is replaced.');
    const after = (await admin.get('/api/v1/im/webhook')).body as { callbackUrl: string; signingSecret: string; signingSecretVersion: number };
    assert.equal(after.callbackUrl, hook.url);
    assert.equal(after.signingSecretVersion, before.signingSecretVersion + 1);
    await page.getByTestId('webhook-secret-show').click();
    assert.equal(await page.getByTestId('webhook-secret').inputValue(), after.signingSecret, 'the new secret is shown');
    assert.equal(await page.getByTestId('webhook-secret').getAttribute('type'), 'text');
    await page.getByTestId('webhook-secret-show').click();
    assert.equal(await page.getByTestId('webhook-secret').getAttribute('type'), 'password', 'and hidden again');

    // A reply notification the customer's server does not accept: retried, then given up.
    let down = true;
    hook.answer(() => (down ? 503 : 200));
    const visitor = await app.parley.database.db.insertInto('visitors').values({ site_id: siteId, customer_token: 'reader-2', name: 'Reader' }).returning('id').executeTakeFirstOrThrow();
    const { webhooks } = app.parley.services;
    const [deliveryId] = await app.parley.database.db.transaction().execute(async (trx) => [
      await webhooks.enqueue(trx, { siteId, visitorId: visitor.id, chatId: null, messageId: null, event: 'message.replied', body: { customer_token: 'reader-2', message: { type: 'message', data: { content: 'Hello' } } } }),
    ]);
    webhooks.kick();
    await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${deliveryId}`)).body.status === 'dead', 'the delivery to be given up');
    await page.getByTestId('deliveries-refresh').click();
    const row = page.locator('[data-testid="delivery-row"][data-status="dead"]');
    await see(row, /message\.replied.*reader-2.*Failed.*HTTP 503/);
    await assertAccessible(page, 'the webhook page');
    await shot(page, 'admin-webhook');

    down = false;
    await row.getByTestId('delivery-resend').click();
    await see(page.getByTestId('deliveries-status'), 'The message.replied notification is being sent again.');
    await eventually(() => hook.of(deliveryId!).some((r) => r.answered === 200), 'the delivery sent again');
    await eventually(async () => (await admin.get(`/api/v1/im/deliveries/${deliveryId}`)).body.status === 'delivered', 'delivered');
    await page.getByTestId('deliveries-filter').selectOption('delivered');
    await page.locator('[data-testid="delivery-row"][data-status="delivered"]').waitFor({ timeout: WAIT });
  });

  await t.test('the shared canned messages: one added, changed and deleted', async () => {
    await page.getByTestId('menu-canned').click();
    await page.getByTestId('canned-empty').waitFor({ timeout: WAIT });
    await page.getByTestId('canned-add').click();
    await page.getByTestId('canned-shortcut').fill('/hours');
    await page.getByTestId('canned-title').fill('Opening hours');
    await page.getByTestId('canned-content').fill('We are open every day from 9 to 18.');
    await assertAccessible(page, 'the canned message dialog');
    await page.getByTestId('canned-save').click();
    await see(page.getByTestId('canned-status'), '/hours is added.');
    const shared = async () => ((await admin.get('/api/v1/canned-messages')).body as { shortcut: string; content: string; shared: boolean }[]).filter((c) => c.shared);
    assert.deepEqual((await shared()).map((c) => [c.shortcut, c.content]), [['hours', 'We are open every day from 9 to 18.']]);
    await page.getByTestId('canned-edit').click();
    await page.getByTestId('canned-content').fill('We are open every day from 9 to 20.');
    await page.getByTestId('canned-save').click();
    await see(page.getByTestId('canned-status'), '/hours is saved.');
    assert.equal((await shared())[0]?.content, 'We are open every day from 9 to 20.');
    await assertAccessible(page, 'the canned messages page');
    await shot(page, 'admin-canned');
    await page.getByTestId('canned-delete').click();
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('canned-status'), '/hours is deleted.');
    assert.deepEqual(await shared(), []);
  });

  await t.test('the settings pages in Russian', async () => {
    await page.getByTestId('language-select').selectOption('ru');
    await see(page.getByTestId('page-canned').locator('h1'), 'Шаблоны ответов');
    assert.deepEqual((await menu.locator('a').allTextContents()).slice(5), ['Кампании', 'Шаблоны ответов', 'Маршрутизация и очередь', 'Робот', 'Ключи IM API', 'Вебхук', 'Мобильное приложение', 'Отчёты']);
    await page.getByTestId('language-select').selectOption('en');
  });
});
