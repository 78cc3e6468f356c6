// A campaign seen from a customer's website in real Chromium: the customer's pages carrying a
// widget tag, the invitation a rule shows after its seconds on /pricing, and the pre-chat form a
// new visitor gets (test/campaigns.browser.e2e.test.ts, test/controlpanel.campaigns.browser.e2e.test.ts).
import assert from 'node:assert/strict';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Front } from './browser.ts';
import { see, WAIT } from './screens.ts';

/** Serves `host` as the customer's website `name`: a home page and /pricing, each with `tag` (the widget's script tag, as the customer pastes it). */
export function serveShop(front: Front, host: string, tag: string, name = 'Shop'): string {
  front.serve(host, (_req, res, url) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    const title = url.pathname === '/pricing' ? 'Pricing' : name;
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${tag}</body></html>`);
  });
  return front.origin(host);
}

/** The widget's frame in a page of the customer's website. */
export const widgetIn = (page: Page): FrameLocator => page.frameLocator('iframe[data-parley-widget]');

/** Opens /pricing and waits for the invitation with `message` from `agentName`; fails if it came before `afterSeconds`. */
export async function seeInvitation(page: Page, shopOrigin: string, expected: { message: string; agentName: string; afterSeconds: number }): Promise<void> {
  const arrived = Date.now();
  await page.goto(`${shopOrigin}/pricing`);
  const widget = widgetIn(page);
  await see(widget.getByTestId('invitation'), expected.message);
  const waited = Date.now() - arrived;
  assert.ok(waited >= expected.afterSeconds * 1000, `the invitation came after ${waited} ms, not before ${expected.afterSeconds} s`);
  await see(widget.getByTestId('agent-name'), expected.agentName);
}

/** A new visitor (a browser context of its own) on the home page opens the widget: its pre-chat form shows. */
export async function openPrechatForm(browser: Browser, shopOrigin: string): Promise<{ page: Page; widget: FrameLocator }> {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 760 }, locale: 'en-US' })).newPage();
  await page.goto(`${shopOrigin}/`);
  const widget = widgetIn(page);
  await widget.getByTestId('launcher').click({ timeout: WAIT });
  await widget.getByTestId('prechat-form').waitFor({ timeout: WAIT });
  return { page, widget };
}
