// The report dashboards in real Chromium over the scripted day of test/helpers/reports.ts: the
// control panel's Reports page shows the figures the Report API gives (every card, compared with
// the API's answer, and a few by hand), in UTC and in Asia/Taipei, from an address that reopens the
// same view, embedded body only too; the agent table, a filter, the CSV download, the empty and the
// refused range; an agent without viewReports is refused. The partner portal's Reports page rolls up the partner's sites and
// picks one; a platform admin acting on the partner sees the same page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchChromium, startFront } from './helpers/browser.ts';
import { scriptedDay } from './helpers/reports.ts';
import { assertAccessible, see, shot, signInToPanel, signInToPortal, WAIT } from './helpers/screens.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

const DAY = 'from=2026-03-28&to=2026-03-28';

/** Waits until the page shows the figures of this range and zone, loaded (not still loading). */
async function showing(page: Page, timezone: string, from = '2026-03-28', to = from): Promise<void> {
  await page.locator(`[data-testid="reports"][data-timezone="${timezone}"][data-from="${from}"][data-to="${to}"][aria-busy="false"]`).waitFor({ timeout: WAIT });
}

/** Waits until a figure on the page (first of its kind inside `scope`) has this value. */
async function figureIs(page: Page, figure: string, value: number, scope = '[data-testid="report-cards"]'): Promise<void> {
  await page
    .locator(`${scope} data[data-figure="${figure}"][value="${value}"]`)
    .first()
    .waitFor({ timeout: WAIT })
    .catch(async (err: Error) => {
      const seen = await page.locator(`${scope} data[data-figure="${figure}"]`).first().getAttribute('value').catch(() => null);
      throw new Error(`${figure} is not ${value} (it says ${seen}): ${err.message.split('\n')[0]}`);
    });
}

/** Every figure of the summary cards: its value (the API's number) and its text. */
function cardFigures(page: Page): Promise<Record<string, { value: string; text: string }>> {
  return page
    .getByTestId('report-cards')
    .locator('data[data-figure]')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLDataElement).dataset.figure, { value: (e as HTMLDataElement).value, text: e.textContent ?? '' }])));
}

/** The cards show every figure of the API's summary, with the API's value; counts read as the number itself. */
function assertCardsMatch(figures: Record<string, { value: string; text: string }>, summary: Json): void {
  let compared = 0;
  for (const [report, values] of Object.entries(summary)) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [name, value] of Object.entries(values as Record<string, number | null>)) {
      const shown = figures[`${report}.${name}`];
      assert.ok(shown, `${report}.${name} is on a card`);
      assert.equal(shown.value, value === null ? '' : String(value), `${report}.${name}`);
      if (Number.isInteger(value) && !/Seconds$|^(average|p50|p90|wait\w*|abandonment|csat)$/.test(name)) assert.equal(shown.text, String(value), `${report}.${name} as text`);
      compared++;
    }
  }
  assert.equal(Object.keys(figures).length, compared, 'no figure on the cards that the API does not give');
}

/** A screenshot of the whole dashboard, by the hour (the charts say more than one bar a day), then back to days. */
async function pictured(page: Page, name: string): Promise<void> {
  await page.getByTestId('report-interval').selectOption('hour');
  await page.getByTestId('chart-chats').getByTestId('chart-table').locator('tbody tr').nth(23).waitFor({ state: 'attached', timeout: WAIT });
  await page.locator('[data-testid="reports"][aria-busy="false"]').waitFor({ timeout: WAIT });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 1640 });
  await page.mouse.move(0, 0);
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await shot(page, name);
  if (size) await page.setViewportSize(size);
  await page.getByTestId('report-interval').selectOption('day');
  await page.getByTestId('chart-chats').getByTestId('chart-table').locator('tbody tr').nth(1).waitFor({ state: 'detached', timeout: WAIT });
  await page.locator('[data-testid="reports"][aria-busy="false"]').waitFor({ timeout: WAIT });
}

test('the report dashboards show the scripted day as the Report API does', async (t) => {
  const started = Date.now();
  const front = await startFront(t, { baseDomain: 'parley.test' });
  const origin = front.origin('parley.test');
  const s = await scriptedDay(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: origin, PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_LOGIN_RATE_LIMIT: '1000' });
  front.proxyTo(s.app);
  const browser = await launchChromium(t, front);
  const { one, two, bob, alice } = s;
  const api = async (path: string, client = one.admin) => {
    const res = await client.get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
  };
  t.diagnostic(`the scripted day played in ${Date.now() - started} ms`);

  const reportsUrl = `${origin}/admin/reports?siteId=${one.siteId}&${DAY}&timezone=UTC`;
  const page = await signInToPanel(browser, reportsUrl, 'admin@one.example', 'admin-pass-1', { width: 1280, height: 1000 });

  await t.test('the site admin’s Reports page: every card as the API gives it, for 28 March in UTC', async () => {
    await page.getByTestId('page-reports').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('menu-reports').getAttribute('aria-current'), 'page', 'Reports is in the menu, as the page shown');
    await showing(page, 'UTC');
    assertCardsMatch(await cardFigures(page), await api(`/api/v1/reports/summary?${DAY}&timezone=UTC`));
    const figures = await cardFigures(page);
    assert.equal(figures['chats.total']?.text, '7');
    assert.equal(figures['chats.answered']?.text, '4');
    assert.equal(figures['first-response.average']?.text, '3:45');
    assert.equal(figures['survey.csat']?.text, '50%');
    assert.equal(figures['availability.onlineSeconds']?.text, '10:07', '36,420 s online as h:mm');
    // A chart for every series, each with its numbers as a table (read out, shown on request).
    assert.equal(await page.locator('[data-testid^="chart-"] canvas').count(), 9);
    const chats = page.getByTestId('chart-chats');
    assert.deepEqual(await chats.getByTestId('chart-table').locator('tbody td').allTextContents(), ['4', '1', '2', '0'], 'answered, missed, abandoned, robot');
    await chats.getByTestId('chart-table-toggle').click();
    await chats.getByTestId('chart-table').waitFor({ state: 'visible', timeout: WAIT });
    await see(chats.getByTestId('chart-table').locator('tbody th'), 'Mar 28, 2026');
    const address = new URL(page.url());
    assert.deepEqual(
      ['siteId', 'from', 'to', 'timezone', 'interval'].map((k) => address.searchParams.get(k)),
      [String(one.siteId), '2026-03-28', '2026-03-28', 'UTC', 'day'],
      'the whole view is in the address',
    );
    await assertAccessible(page, 'the reports page');
    await chats.getByTestId('chart-table-toggle').click();
    await pictured(page, 'admin-reports');
    assert.equal(new URL(page.url()).searchParams.get('interval'), 'day', 'back to days');
  });

  await t.test('the agent and group tables: Bob with 4 chats, Sales with 1', async () => {
    const bobsRow = page.locator(`[data-testid="report-agent-row"][data-id="${bob.id}"]`);
    await see(bobsRow.locator('th'), 'Bob');
    await figureIs(page, 'chats.total', 4, `[data-testid="report-agent-row"][data-id="${bob.id}"]`);
    const byAgent = await api(`/api/v1/reports/by-agent?${DAY}&timezone=UTC`);
    const apiBob = byAgent.rows.find((r: Json) => r.id === bob.id);
    assert.equal(await bobsRow.locator('data[data-figure="first-response.average"]').getAttribute('value'), String(apiBob['first-response'].average));
    await see(page.getByTestId('report-group-row').locator('th'), 'Sales');
    await figureIs(page, 'chats.total', 1, '[data-testid="report-group-row"]');
  });

  await t.test('a series downloads as the API’s CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.getByTestId('csv-chats').click()]);
    assert.equal(download.suggestedFilename(), 'parley-chats-2026-03-28-2026-03-28.csv');
    const lines = fs.readFileSync(await download.path(), 'utf8').split('\r\n');
    assert.equal(lines[0], 'start,total,answered,missed,abandoned,robot,offlineMessages,widget,im,webview,operator');
    assert.equal(lines[1], '2026-03-28T00:00:00+00:00,7,4,1,2,0,1,6,1,0,0');
  });

  await t.test('filtered to Bob, the cards show Bob’s chats', async () => {
    await page.getByTestId('report-agentId').selectOption(String(bob.id));
    await figureIs(page, 'chats.total', 4);
    await figureIs(page, 'chats.answered', 3);
    assert.equal(new URL(page.url()).searchParams.get('agentId'), String(bob.id));
    await page.getByTestId('report-agentId').selectOption('');
    await figureIs(page, 'chats.total', 7);
  });

  await t.test('in Asia/Taipei the day has 6 chats, and the address reopens that view', async () => {
    await page.getByTestId('report-timezone').selectOption('Asia/Taipei');
    await showing(page, 'Asia/Taipei');
    await figureIs(page, 'chats.total', 6);
    assertCardsMatch(await cardFigures(page), await api(`/api/v1/reports/summary?${DAY}&timezone=Asia/Taipei`));
    assert.equal(new URL(page.url()).searchParams.get('timezone'), 'Asia/Taipei');
    await page.reload();
    await showing(page, 'Asia/Taipei');
    await figureIs(page, 'chats.total', 6);
    assert.equal(await page.getByTestId('report-timezone').inputValue(), 'Asia/Taipei');
  });

  await t.test('embedded body only (onlyDisplayBody=true), the page is just the reports', async () => {
    await page.goto(`${reportsUrl}&onlyDisplayBody=true`);
    await showing(page, 'UTC');
    await figureIs(page, 'chats.total', 7);
    assert.equal(await page.getByTestId('panel-menu').count(), 0, 'no menu');
    assert.equal(await page.getByTestId('panel-header').count(), 0, 'no header');
    await page.getByTestId('report-timezone').selectOption('Asia/Taipei');
    await figureIs(page, 'chats.total', 6);
    const address = new URL(page.url());
    assert.deepEqual([address.searchParams.get('onlyDisplayBody'), address.searchParams.get('timezone')], ['true', 'Asia/Taipei'], 'the frame’s own parameters stay in the address');
  });

  await t.test('a range without chats says so; a refused range says why at its picker', async () => {
    await page.getByTestId('report-from').fill('2026-03-20');
    await page.getByTestId('report-to').fill('2026-03-20');
    await see(page.getByTestId('reports-empty'), 'No chats from 2026-03-20 to 2026-03-20 (Asia/Taipei).');
    await page.getByTestId('report-from').fill('2026-03-22');
    const refused = await one.admin.get('/api/v1/reports/summary?from=2026-03-22&to=2026-03-20&timezone=Asia/Taipei');
    assert.equal(refused.status, 400);
    await see(page.locator('#report-from-problem'), refused.body.detail);
    assert.equal(await page.getByTestId('report-from').getAttribute('aria-invalid'), 'true');
    await assertAccessible(page, 'the reports page with a refused range');
  });

  await t.test('an agent without viewReports has no Reports in the menu, and the page says it is not allowed', async () => {
    const granted = await one.admin.put(`/api/v1/agents/${alice.id}/permissions`, { permissions: ['editSiteProfile'] });
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const denied = await signInToPanel(browser, reportsUrl, 'alice@one.example', 'agent-pass-1');
    await see(denied.getByTestId('page-denied'), 'You do not have the permission “View reports” that this page needs.');
    assert.equal(await denied.getByTestId('page-denied').getAttribute('data-page'), 'reports');
    await denied.getByTestId('menu-site').waitFor({ timeout: WAIT });
    assert.equal(await denied.getByTestId('menu-reports').count(), 0, 'no Reports in her menu');
    await denied.context().close();
  });

  await t.test('the partner portal rolls up its sites: 8 chats, 1 on the other shop', async () => {
    const portal = await signInToPortal(browser, origin, s.partner.email, { page: `reports?${DAY}&timezone=UTC`, viewport: { width: 1280, height: 1000 } });
    await portal.getByTestId('page-reports').waitFor({ timeout: WAIT });
    await showing(portal, 'UTC');
    await figureIs(portal, 'chats.total', 8);
    assertCardsMatch(await cardFigures(portal), await api(`/api/v1/partner/reports/summary?${DAY}&timezone=UTC`, s.partner.portal));
    assert.equal(await portal.locator('[data-testid^="chart-"] canvas').count(), 4, 'a few charts');
    await portal.getByTestId('report-siteId').locator(`option[value="${two.siteId}"]`).waitFor({ state: 'attached', timeout: WAIT });
    await portal.getByTestId('report-siteId').selectOption(String(two.siteId));
    await figureIs(portal, 'chats.total', 1);
    assert.equal(new URL(portal.url()).searchParams.get('siteId'), String(two.siteId));
    await portal.getByTestId('report-siteId').selectOption('');
    await figureIs(portal, 'chats.total', 8);
    await assertAccessible(portal, 'the portal’s reports page');
    await pictured(portal, 'portal-reports');
    await portal.context().close();
  });

  await t.test('a platform admin acting on the partner sees the same roll-up', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const acting = await context.newPage();
    await acting.goto(`${origin}/platform/partners/${s.partner.partnerId}/reports?${DAY}&timezone=UTC`);
    await acting.getByTestId('signin-email').fill('admin@test.parley');
    await acting.getByTestId('signin-password').fill('admin-password');
    await acting.getByTestId('signin-submit').click();
    await acting.getByTestId('acting-banner').waitFor({ timeout: WAIT });
    await showing(acting, 'UTC');
    await figureIs(acting, 'chats.total', 8);
    assert.equal(new URL(acting.url()).pathname, `/platform/partners/${s.partner.partnerId}/reports`);
    await context.close();
  });
});
