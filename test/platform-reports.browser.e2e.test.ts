// The platform admin's Reports page in real Chromium over the scripted day of test/helpers/reports.ts:
// opened from the menu, 28 March in UTC shows every partner's chats together (8: the scripted
// partner's 7 and 1 on its other site; a second partner has none), every card and the chats chart
// as GET /api/v1/platform/reports/… gives them; the partner picker narrows to the scripted partner
// (still 8, as the API's partnerId= says) or the quiet one (no chats), and the view stays in the
// address across a reload. axe-core on the page; screenshot platform-reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchChromium, startFront } from './helpers/browser.ts';
import { approvedPartner, platformAdmin } from './helpers/partners.ts';
import { scriptedDay } from './helpers/reports.ts';
import { assertAccessible, see, shot, WAIT } from './helpers/screens.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

const DAY = 'from=2026-03-28&to=2026-03-28&timezone=UTC';

/** Waits until the cards, loaded for 28 March in UTC, say this many chats. */
async function chatsAre(page: Page, total: number): Promise<void> {
  const loaded = page.locator('[data-testid="reports"][data-from="2026-03-28"][data-to="2026-03-28"][data-timezone="UTC"][aria-busy="false"]');
  await loaded.locator(`[data-testid="report-cards"] data[data-figure="chats.total"][value="${total}"]`).waitFor({ timeout: WAIT });
}

/** The cards' figures as `report.figure` → the value the page holds (the API's number; '' for none). */
const shownFigures = (page: Page): Promise<Record<string, string>> =>
  page
    .getByTestId('report-cards')
    .locator('data[data-figure]')
    .evaluateAll((els) => Object.fromEntries(els.map((e) => [(e as HTMLDataElement).dataset.figure, (e as HTMLDataElement).value])));

/** An API summary in the same form. */
const apiFigures = (summary: Json): Record<string, string> =>
  Object.fromEntries(
    Object.entries(summary)
      .filter(([, figures]) => typeof figures === 'object' && figures !== null)
      .flatMap(([report, figures]) => Object.entries(figures as Record<string, number | null>).map(([name, v]) => [`${report}.${name}`, v === null ? '' : String(v)])),
  );

test('the platform admin reads every partner’s reports together, and one partner’s', async (t) => {
  const front = await startFront(t, { baseDomain: 'parley.test' });
  const origin = front.origin('parley.test');
  const s = await scriptedDay(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_PUBLIC_URL: origin, PARLEY_TRUSTED_PROXIES: '127.0.0.1', PARLEY_LOGIN_RATE_LIMIT: '1000' });
  front.proxyTo(s.app);
  const quiet = await approvedPartner(s.app, 'Quiet Partner');
  const browser = await launchChromium(t, front);
  const admin = await platformAdmin(s.app);
  const api = async (path: string) => {
    const res = await admin.get(path);
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
  };

  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-US' });
  t.after(() => context.close());
  const page = await context.newPage();

  await t.test('Reports from the menu, for 28 March in UTC: 8 chats across partners, as the API says', async () => {
    await page.goto(`${origin}/platform`);
    await page.getByTestId('signin-email').fill('admin@test.parley');
    await page.getByTestId('signin-password').fill('admin-password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('platform-menu').getByTestId('menu-reports').click();
    await see(page.locator('#main h1'), 'Reports');
    assert.equal(await page.getByTestId('menu-reports').getAttribute('aria-current'), 'page');
    assert.equal(new URL(page.url()).pathname, '/platform/reports');
    await page.getByTestId('report-timezone').selectOption('UTC');
    await page.getByTestId('report-to').fill('2026-03-28');
    await page.getByTestId('report-from').fill('2026-03-28');
    await chatsAre(page, 8);
    assert.deepEqual(await shownFigures(page), apiFigures(await api(`/api/v1/platform/reports/summary?${DAY}`)));
    assert.equal(await page.getByTestId('report-cards').locator('data[data-figure="chats.total"]').textContent(), '8');
    const [point] = (await api(`/api/v1/platform/reports/chats?${DAY}&interval=day`)).series;
    const cells = await page.getByTestId('chart-chats').getByTestId('chart-table').locator('tbody td').allTextContents();
    assert.deepEqual(cells, [point.answered, point.missed, point.abandoned, point.robot].map(String), 'the chats chart: answered, missed, abandoned, robot');
    assert.equal(await page.locator('[data-testid^="chart-"] canvas').count(), 4, 'a few charts, no agent or group tables');
    assert.equal(await page.getByTestId('report-agents').count(), 0);
    await assertAccessible(page, 'the platform’s reports page');
  });

  await t.test('the partner picker: the scripted partner has all 8, the quiet one none', async () => {
    const picker = page.getByTestId('report-partnerId');
    await picker.locator(`option[value="${quiet.partnerId}"]`).waitFor({ state: 'attached', timeout: WAIT });
    assert.equal(await picker.locator(`option[value="${s.partner.partnerId}"]`).textContent(), 'Report Partner');
    // All partners had 8 too: wait for the narrowed answer before reading the cards.
    const narrowed = page.waitForResponse((res) => res.url().includes(`/api/v1/platform/reports/summary?`) && new URL(res.url()).searchParams.get('partnerId') === String(s.partner.partnerId), { timeout: WAIT });
    await picker.selectOption(String(s.partner.partnerId));
    await narrowed;
    await chatsAre(page, 8);
    assert.equal(new URL(page.url()).searchParams.get('partnerId'), String(s.partner.partnerId), 'the partner is in the address');
    assert.deepEqual(await shownFigures(page), apiFigures(await api(`/api/v1/platform/reports/summary?${DAY}&partnerId=${s.partner.partnerId}`)));

    await picker.selectOption(String(quiet.partnerId));
    await see(page.getByTestId('reports-empty'), 'No chats from 2026-03-28 to 2026-03-28 (UTC).');
    assert.equal((await api(`/api/v1/platform/reports/summary?${DAY}&partnerId=${quiet.partnerId}`)).chats.total, 0);
    await assertAccessible(page, 'the platform’s reports page for a partner without chats');

    await picker.selectOption(String(s.partner.partnerId));
    await page.reload();
    await chatsAre(page, 8);
    assert.equal(await page.getByTestId('report-partnerId').inputValue(), String(s.partner.partnerId), 'the address reopens the same view');
  });

  await t.test('the screenshot: every partner, by the hour', async () => {
    await page.getByTestId('report-partnerId').selectOption('');
    await page.getByTestId('report-interval').selectOption('hour');
    await page.getByTestId('chart-chats').getByTestId('chart-table').locator('tbody tr').nth(23).waitFor({ state: 'attached', timeout: WAIT });
    await chatsAre(page, 8);
    assert.equal(new URL(page.url()).searchParams.get('partnerId'), null, 'all partners again');
    await page.setViewportSize({ width: 1280, height: 1640 });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot(page, 'platform-reports');
  });
});
