// The Agent Console SDK in real Chromium (docs/agent-console-sdk.md): a partner's own page
// (customer.test, a verified domain of the partner) loads /sdk/agent-console.js from its Parley
// host, calls `Comm100AgentConsole.init` as the spec's example does, signs the agent in with a JWT
// signed with the partner's secret, and drives the console: a visitor on a shop page enters, the
// agent accepts the chat by the visitor's id, messages flow both ways and raise their events, a
// banned visitor is hidden, the chat ends and the visitor leaves. A page of an origin the partner
// does not own cannot start the SDK, a forged postMessage from another frame is ignored, and a
// wrong password or an expired JWT rejects the login with the documented error.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { client } from './helpers/api.ts';
import { esc, html } from './helpers/browser.ts';
import { serveShop, widgetIn } from './helpers/campaigns.ts';
import { partnerBehindFront } from './helpers/front.ts';
import { restartParley } from './helpers/parley.ts';
import { partnerApi, partnerApiToken } from './helpers/partners.ts';
import { assertAccessible, see, shot, WAIT } from './helpers/screens.ts';

type Outcome = { ok: true; value: unknown } | { ok: false; name: string; code: string; message: string; status: number | null };
type Seen = [name: string, data: Record<string, unknown>][];

/** Runs `app.do(action, ...args)` in the partner's page; the outcome as the page's code sees it. */
function act(page: Page, action: string, ...args: unknown[]): Promise<Outcome> {
  return page.evaluate(
    async ([action, args]) => {
      const w = window as unknown as { app: { do(a: string, ...x: unknown[]): Promise<unknown> } };
      try {
        return { ok: true as const, value: await w.app.do(action, ...args) };
      } catch (e) {
        const err = e as { name: string; code: string; message: string; status: number | null };
        return { ok: false as const, name: err.name, code: err.code, message: err.message, status: err.status };
      }
    },
    [action, args] as const,
  );
}

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: Seen }).seen);

/** Waits for an event the page's handlers recorded that `match` accepts; returns its data. */
async function waitForEvent(page: Page, name: string, match: (data: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
  const deadline = Date.now() + WAIT;
  for (;;) {
    const hit = (await seen(page)).find(([n, d]) => n === name && match(d));
    if (hit) return hit[1];
    if (Date.now() > deadline) throw new Error(`no ${name} event; the page saw: ${JSON.stringify((await seen(page)).map(([n]) => n))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The partner's page: the spec's example, with `Comm100AgentConsole` and the handlers in the config. */
function partnerPage(parleyOrigin: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme help desk</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#eef3f2}h1{margin:0;padding:14px 24px;background:#0f766e;color:#fff;font-size:20px}
#container{height:640px;margin:16px;border:1px solid #c5d3d0;border-radius:8px;background:#fff;overflow:hidden}</style></head>
<body><h1>Acme help desk · Live visitors</h1><div id="container"></div>
<script src="${esc(parleyOrigin)}/sdk/agent-console.js"></script>
<script>
  window.seen = [];
  window.forgerRan = 0;
  window.addEventListener('message', (e) => { if (e.data && e.data.forger) window.forgerRan++; });
  const note = (name) => (data) => window.seen.push([name, data]);
  const container = document.getElementById('container');
  const config = {
    server: ${JSON.stringify(parleyOrigin)},
    modules: ['visitors', 'chats'],
    visitors: { enterSite: note('enterSite'), leaveSite: note('leaveSite') },
    chats: { startChat: note('startChat'), endChat: note('endChat'), receivedMessage: note('receivedMessage'), sentMessage: note('sentMessage') },
    display: 'visitors',
  };
  const app = Comm100AgentConsole.init(container, config);
  window.app = app;
  window.sameObject = window.Comm100AgentConsole === window.ParleyAgentConsole;
</script></body></html>`;
}

test("a partner's own page runs the agent console through the SDK: sign-in by JWT, visitors, chats and their events", async (t) => {
  const started = Date.now();
  const setting = await partnerBehindFront(t);
  const { front, browser, acme, parleyOrigin, customerOrigin } = setting;
  let app = setting.app;

  // ---- A customer's site of the partner, with an agent, and JWT sign-on. ----
  const boss = { email: 'boss@acme-customer.example', password: 'acme-customer-boss', name: 'Bo Boss' };
  const site = await partnerApi(app, await partnerApiToken(app, acme)).post('/sites', { company: 'Acme Customer Shop', admin: boss });
  assert.equal(site.status, 201, JSON.stringify(site.body));
  const siteId: number = site.body.id;
  const adminToken: string = (await client(app.url).post('/api/v1/auth/login', { email: boss.email, password: boss.password, siteId })).body.token;
  let admin = client(app.url, adminToken);
  const ann = { email: 'ann@acme-customer.example', password: 'ann-password-1', name: 'Ann Agent' };
  assert.equal((await admin.post('/api/v1/agents', ann)).status, 201);

  const sso = await acme.portal.put('/api/v1/partner/sso/jwt', { loginUrl: `${front.origin('idp.test')}/login` });
  assert.equal(sso.status, 200, JSON.stringify(sso.body));
  const key = new TextEncoder().encode(sso.body.secret);
  const jwtFor = (email: string, issuedAt = Math.floor(Date.now() / 1000)) =>
    new SignJWT({ email, site_id: siteId }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(issuedAt).setJti(randomUUID()).sign(key);

  front.serve('customer.test', (_req, res) => html(res, partnerPage(parleyOrigin)));
  front.serve('evil.test', (_req, res, url) => {
    if (url.pathname === '/forger') {
      // An ad's frame inside the partner's page: it speaks for Parley's frame to the page, and for the page to Parley's frame.
      return html(
        res,
        `<p>ads</p><script>
          const P = 'agent-console/1';
          setInterval(() => {
            parent.postMessage({ forger: true }, '*');
            parent.postMessage({ parley: P, type: 'update', snapshot: { agent: null, visitors: [], chats: [] }, events: [{ name: 'receivedMessage', data: { chatId: 0, message: { text: 'forged' } } }] }, '*');
            parent.postMessage({ parley: P, type: 'reply', id: 1, ok: true, value: 'forged' }, '*');
            const parley = parent.frames[0];
            if (parley) parley.postMessage({ parley: P, type: 'do', id: 99, action: 'agentConsole.chat.sendMessage', args: [Number(new URLSearchParams(location.search).get('chat')), 'forged by an ad'] }, '*');
          }, 100);
        </script>`,
      );
    }
    return html(res, partnerPage(parleyOrigin));
  });
  const shop = serveShop(front, 'shop.test', `<script src="${esc(parleyOrigin)}/widget.js" data-site-id="${siteId}" async></script>`, 'Acme Customer Shop');
  t.diagnostic(`setup ${Date.now() - started} ms`);

  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(customerOrigin);
  let chatId = 0;
  let anna = 0;

  await t.test('the spec’s example runs unchanged: Comm100AgentConsole is the SDK, and its frame starts', async () => {
    await page.evaluate(() => (window as unknown as { app: { ready: Promise<void> } }).app.ready);
    assert.equal(await page.evaluate(() => (window as unknown as { sameObject: boolean }).sameObject), true, 'Comm100AgentConsole and ParleyAgentConsole are one object');
    const frame = page.frameLocator('iframe[data-parley-agent-console]');
    await frame.getByTestId('sdk-signed-out').waitFor({ timeout: WAIT });
    assert.deepEqual(await page.evaluate(() => (window as unknown as { app: { get(p: string): unknown } }).app.get('agentConsole.visitors')), []);
  });

  await t.test('a wrong password and an expired JWT are refused with the documented errors; a good JWT signs Ann in', async () => {
    const wrong = await act(page, 'agentConsole.login', { type: 'password', data: { email: ann.email, password: 'not-her-password' } });
    assert.equal(wrong.ok, false);
    assert.deepEqual(wrong.ok === false && [wrong.name, wrong.code, wrong.status], ['AgentConsoleError', 'invalid_credentials', 401], JSON.stringify(wrong));
    const expired = await act(page, 'agentConsole.login', { type: 'jwt', data: await jwtFor(ann.email, Math.floor(Date.now() / 1000) - 3600) });
    assert.deepEqual(expired.ok === false && [expired.code, expired.status], ['invalid_token', 401], JSON.stringify(expired));
    assert.match(expired.ok === false ? expired.message : '', /issued more than|expired/);
    const unknown = await act(page, 'agentConsole.chat.fly', 1);
    assert.deepEqual(unknown.ok === false && unknown.code, 'unknown_action');
    const early = await act(page, 'agentConsole.chat.sendMessage', 1, 'hello');
    assert.deepEqual(early.ok === false && early.code, 'not_signed_in');

    // The page picks the module before sign-in; signing in keeps it.
    assert.equal((await act(page, 'agentConsole.modules.display', 'chats')).ok, true);
    const signed = await act(page, 'agentConsole.login', { type: 'jwt', data: await jwtFor(ann.email) });
    assert.equal(signed.ok, true, JSON.stringify(signed));
    await page.frameLocator('iframe[data-parley-agent-console]').locator('.sdk-console[data-module="chats"]').waitFor({ timeout: WAIT });
    assert.equal((await act(page, 'agentConsole.modules.display', 'visitors')).ok, true);
    assert.equal((signed as { value: { email: string } }).value.email, ann.email);
    const online = await act(page, 'agentConsole.status.set', 'online');
    assert.equal(online.ok && (online.value as { status: string }).status, 'online', JSON.stringify(online));
    assert.equal(await page.evaluate(() => (window as unknown as { app: { get(p: string): { name: string } } }).app.get('agentConsole.agent').name), ann.name);
    // The page never holds the session: its cookie belongs to Parley's frame.
    assert.equal(await page.evaluate(() => document.cookie), '');
    await page.frameLocator('iframe[data-parley-agent-console]').getByTestId('visitors-view').waitFor({ timeout: WAIT });
  });

  const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' });
  const visitor = await visitorContext.newPage();

  await t.test('a visitor opens the widget on the shop: enterSite, then Ann accepts the chat by the visitor’s id', async () => {
    await visitor.goto(`${shop}/`);
    const widget = widgetIn(visitor);
    await widget.getByTestId('launcher').click({ timeout: WAIT });
    const entered = await waitForEvent(page, 'enterSite', (v) => String(v.currentUrl).startsWith(shop));
    anna = entered.visitorId as number;
    assert.equal(entered.id, anna);
    await widget.getByTestId('message-input').fill('Hello, is my order on its way?');
    await widget.getByTestId('send-button').click();
    // The chat is offered to Ann (the only agent online): the frame shows it and the page accepts it.
    await page.frameLocator('iframe[data-parley-agent-console]').getByTestId('incoming-chats').waitFor({ timeout: WAIT });
    const accepted = await act(page, 'agentConsole.chat.acceptChat', anna);
    assert.equal(accepted.ok, true, JSON.stringify(accepted));
    const chat = (accepted as { value: { chatId: number; status: string; visitor: { id: number } } }).value;
    chatId = chat.chatId;
    assert.deepEqual([chat.status, chat.visitor.id], ['active', anna]);
    const startedChat = await waitForEvent(page, 'startChat');
    assert.equal(startedChat.chatId, chatId);
  });

  await t.test('a visitor message raises receivedMessage; sendMessage reaches the visitor and raises sentMessage; get lists the chat', async () => {
    const widget = widgetIn(visitor);
    await widget.getByTestId('message-input').fill('It was ordered on Monday');
    await widget.getByTestId('send-button').click();
    const received = await waitForEvent(page, 'receivedMessage');
    assert.deepEqual([received.chatId, (received.message as { text: string; sender: string }).text, (received.message as { sender: string }).sender], [chatId, 'It was ordered on Monday', 'visitor']);
    // The visitor's first message came with the chat: it is in the chat, not an event of its own.
    assert.equal((await seen(page)).filter(([n]) => n === 'receivedMessage').length, 1);

    const sent = await act(page, 'agentConsole.chat.sendMessage', chatId, 'It ships today, Anna.');
    assert.equal(sent.ok, true, JSON.stringify(sent));
    await see(widget.locator('[data-testid="message"][data-sender="agent"]'), 'It ships today, Anna.');
    const sentEvent = await waitForEvent(page, 'sentMessage');
    assert.equal((sentEvent.message as { text: string }).text, 'It ships today, Anna.');

    const chats = (await page.evaluate(() => (window as unknown as { app: { get(p: string): unknown } }).app.get('agentConsole.chats'))) as { chatId: number; visitor: { id: number }; messages: { text: string; sender: string }[] }[];
    assert.equal(chats.length, 1);
    assert.equal(chats[0]!.chatId, chatId);
    assert.equal(chats[0]!.visitor.id, anna);
    assert.deepEqual(
      chats[0]!.messages.filter((m) => m.sender !== 'system').map((m) => [m.sender, m.text]),
      [
        ['visitor', 'Hello, is my order on its way?'],
        ['visitor', 'It was ordered on Monday'],
        ['agent', 'It ships today, Anna.'],
      ],
    );
    const display = await act(page, 'agentConsole.modules.display', 'chats');
    assert.equal(display.ok, true);
    const pane = page.frameLocator('iframe[data-parley-agent-console]').getByTestId('chat-pane').first();
    await see(pane, 'It ships today, Anna.');
    await shot(page, 'sdk-partner-page');
    await assertAccessible(page, 'the SDK frame (chats)', '/sdk/console.html');
  });

  await t.test('the server restarts mid-chat: the frame reconnects by itself and the events go on', async () => {
    app = await restartParley(t, app);
    front.proxyTo(app);
    admin = client(app.url, adminToken);
    const widget = widgetIn(visitor);
    await widget.getByTestId('message-input').fill('Are you still there?');
    await widget.getByTestId('send-button').click();
    const received = await waitForEvent(page, 'receivedMessage', (d) => (d.message as { text: string }).text === 'Are you still there?');
    assert.equal(received.chatId, chatId);
    const sent = await act(page, 'agentConsole.chat.sendMessage', chatId, { text: 'Yes, still here.' });
    assert.equal(sent.ok, true, JSON.stringify(sent));
    await see(widget.locator('[data-testid="message"][data-sender="agent"]'), 'Yes, still here.');
    assert.equal((await seen(page)).filter(([n, d]) => n === 'receivedMessage' && (d.message as { text: string }).text === 'Are you still there?').length, 1, 'told once');
  });

  await t.test('a forged postMessage from another frame in the page is ignored, both ways', async () => {
    const before = (await seen(page)).length;
    await page.evaluate(
      ([origin, chat]) => {
        const f = document.createElement('iframe');
        f.src = `${origin}/forger?chat=${chat}`;
        f.title = 'ad';
        document.body.append(f);
      },
      [front.origin('evil.test'), chatId] as const,
    );
    await page.waitForTimeout(1500);
    assert.ok((await page.evaluate(() => (window as unknown as { forgerRan: number }).forgerRan)) >= 5, 'the forger was posting');
    const after = await seen(page);
    assert.equal(after.length, before, `no event from the forger: ${JSON.stringify(after.slice(before).map(([n, d]) => [n, (d.message as { text?: string } | undefined)?.text]).slice(0, 6))}`);
    const chats = (await page.evaluate(() => (window as unknown as { app: { get(p: string): unknown } }).app.get('agentConsole.chats'))) as unknown[];
    assert.equal(chats.length, 1, 'the mirror is not overwritten');
    const messages = (await admin.get(`/api/v1/chats/${chatId}/messages`)).body as { data: { content?: string } }[];
    assert.ok(!messages.some((m) => m.data.content === 'forged by an ad'), 'the Parley frame did not act for the forger');
  });

  await t.test('a second visitor is banned and hidden; the chat ends; Anna leaves the site', async () => {
    await act(page, 'agentConsole.modules.display', 'visitors');
    const borisContext = await browser.newContext({ viewport: { width: 1000, height: 700 }, locale: 'en-US' });
    const boris = await borisContext.newPage();
    await boris.goto(`${shop}/pricing`);
    const borisEntered = await waitForEvent(page, 'enterSite', (v) => v.visitorId !== anna);
    const borisId = borisEntered.visitorId as number;
    const banned = await act(page, 'agentConsole.chat.ban', borisId);
    assert.equal(banned.ok, true, JSON.stringify(banned));
    const listed = (await page.evaluate(() => (window as unknown as { app: { get(p: string): unknown } }).app.get('agentConsole.visitors'))) as { id: number }[];
    assert.deepEqual(
      listed.map((v) => v.id),
      [anna],
      'the banned visitor is not listed',
    );
    await borisContext.close();

    await widgetIn(visitor).getByTestId('end-chat').click();
    const ended = await waitForEvent(page, 'endChat');
    assert.deepEqual([ended.chatId, ended.status], [chatId, 'ended']);
    await visitorContext.close();
    const left = await waitForEvent(page, 'leaveSite', (v) => v.visitorId === anna);
    assert.equal(left.online, false);
    const comings = (await seen(page)).filter(([n, d]) => (n === 'enterSite' || n === 'leaveSite') && d.visitorId === anna).map(([n]) => n);
    assert.deepEqual(comings, ['enterSite', 'leaveSite'], 'the server restart was neither a leave nor an entry');

    const out = await act(page, 'agentConsole.logout');
    assert.equal(out.ok, true);
    assert.equal(await page.evaluate(() => (window as unknown as { app: { get(p: string): unknown } }).app.get('agentConsole.agent')), null);
  });

  await t.test('a page of an origin the partner does not own cannot start the SDK', async () => {
    const evil = await context.newPage();
    await evil.goto(front.origin('evil.test'));
    const outcome = await act(evil, 'agentConsole.login', { type: 'jwt', data: await jwtFor(ann.email) });
    assert.deepEqual(outcome.ok === false && [outcome.code, outcome.status], ['origin_not_allowed', 403], JSON.stringify(outcome));
    const ready = await evil.evaluate(() => (window as unknown as { app: { ready: Promise<void> } }).app.ready.then(() => 'ready', (e: { code: string }) => e.code));
    assert.equal(ready, 'origin_not_allowed');
    assert.equal(await evil.frameLocator('iframe[data-parley-agent-console]').getByTestId('visitors-view').count(), 0);
    // Claiming the partner's origin instead: the browser will not put the frame in this page.
    const claimed = await evil.evaluate(
      ([server, claim]) =>
        new Promise<string>((resolve) => {
          const f = document.createElement('iframe');
          f.src = `${server}/sdk/console.html?origin=${encodeURIComponent(claim)}`;
          window.addEventListener('message', (e) => {
            if (e.source === f.contentWindow) resolve(`message: ${JSON.stringify(e.data)}`);
          });
          document.body.append(f);
          setTimeout(() => resolve('silent'), 3000);
        }),
      [parleyOrigin, customerOrigin] as const,
    );
    assert.equal(claimed, 'silent', 'the frame did not load in a page of another origin');
    await evil.close();
  });

  await t.test('the ES module build works the same', async () => {
    front.serve('customer.test', (_req, res) =>
      html(
        res,
        `<div id="c" style="height:400px"></div><script type="module">
          import { ParleyAgentConsole, Comm100AgentConsole } from ${JSON.stringify(`${parleyOrigin}/sdk/agent-console.mjs`)};
          const app = ParleyAgentConsole.init('#c', { server: ${JSON.stringify(parleyOrigin)}, modules: ['chats'] });
          app.ready.then(() => { window.result = [ParleyAgentConsole === Comm100AgentConsole, ParleyAgentConsole.version]; }, (e) => { window.result = e.code; });
        </script>`,
      ),
    );
    const esm = await context.newPage();
    await esm.goto(customerOrigin);
    await esm.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: WAIT });
    assert.deepEqual(await esm.evaluate(() => (window as unknown as { result: unknown }).result), [true, '1.0.0']);
  });
});
