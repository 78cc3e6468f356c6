// Screens in real Chromium: accessibility checked with axe-core (serious and critical violations
// fail), screenshots kept as test artifacts (and, with PARLEY_UPDATE_SCREENSHOTS=1, in
// docs/screenshots for the README), and waiting for what an agent would see.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

const ARTIFACTS = path.resolve('.test-artifacts/screenshots');
const DOCS = path.resolve('docs/screenshots');
const AXE = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
/** Generous: the apps answer in milliseconds; this only bounds a hang. */
export const WAIT = 20_000;

/** Saves a screenshot of the page as `name`.png. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.PARLEY_UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(DOCS, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS, `${name}.png`));
  }
}

/** Runs axe-core in the page (or the frame whose URL contains `frameUrlPart`) and fails on serious or critical violations. */
export async function assertAccessible(page: Page, what: string, frameUrlPart?: string): Promise<void> {
  const frame = frameUrlPart ? page.frames().find((f) => f.url().includes(frameUrlPart)) : page.mainFrame();
  assert.ok(frame, `${what}: frame ${frameUrlPart} found`);
  await frame.evaluate(AXE);
  const violations = await frame.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } };
    const result = await w.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${what}: serious or critical accessibility violations`);
}

/** Waits until an element with this text is visible. */
export async function see(locator: Locator, text: string | RegExp, what = String(text)): Promise<Locator> {
  const match = locator.filter({ hasText: text }).first();
  await match.waitFor({ state: 'visible', timeout: WAIT }).catch((err: Error) => {
    throw new Error(`did not see ${what}: ${err.message.split('\n')[0]}`);
  });
  return match;
}

/** Waits until a computed style of the element has the value (a stylesheet may still be loading). */
export async function styled(locator: Locator, property: string, value: string, what: string): Promise<void> {
  const deadline = Date.now() + WAIT;
  let seen = '';
  while (Date.now() < deadline) {
    seen = await locator.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
    if (seen === value) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(seen, value, what);
}

/** Opens a page of the control panel in a new browser context and signs in with its form. */
export async function signInToPanel(browser: Browser, url: string, email: string, password: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('panel-body').waitFor({ timeout: WAIT });
  return page;
}

/** Opens the partner portal (`${origin}/partner/${page}`) in a new browser context and signs in with its form (approvedPartner's password unless told). */
export async function signInToPortal(browser: Browser, origin: string, email: string, opts: { page?: string; password?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${origin}/partner${opts.page ? `/${opts.page}` : ''}`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(opts.password ?? 'portal-password-1');
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('portal-body').waitFor({ timeout: WAIT });
  return page;
}
