// The partner portal's brand pages in real Chromium. A partner sets its branding text and sees it in
// the portal's header; a text file and an oversized image are refused at the file field before
// anything is sent, and a file named .png that is not an image is refused by the server, said at the
// same field; a real PNG becomes the header's logo at once (and is removed and uploaded again). On
// the theme page the preview of the agent console, the chat widget and the embedded console follows
// the primary colour (typed, or picked) before anything is saved; an unsafe value is refused at its
// field and never reaches the preview, and a refusal only the server makes is shown at its field too.
// The saved theme is in the API and in the theme's style sheet, a customer's site admin on the
// partner's host sees it, another partner cannot touch it, and a reset (after a confirmation) brings
// Parley's defaults back. Every state is checked with axe-core, also at tablet width.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startPanelStack } from './helpers/browser.ts';
import { badgeLogo } from './helpers/images.ts';
import { approvedPartner, openSiteFor } from './helpers/partners.ts';
import { assertAccessible, see, shot, signInToPanel, signInToPortal, styled, WAIT } from './helpers/screens.ts';

// A small logo: an orange badge with three white bars.
const LOGO = badgeLogo([217, 72, 15]);
const ORANGE = 'rgb(217, 72, 15)';
/** The darker orange the partner picks after the contrast warning (white text on it: 5.2:1). */
const DARK_ORANGE = 'rgb(194, 65, 12)';
const TEAL_DARK = 'rgb(19, 78, 74)';
const PARLEY_BLUE = 'rgb(26, 93, 200)';

/** Counts the requests the page makes that change `pathPart`. */
function countChanges(page: Page, pathPart: string) {
  const seen = { count: 0 };
  page.on('request', (r) => {
    if (r.method() !== 'GET' && r.url().includes(pathPart)) seen.count++;
  });
  return seen;
}

test('a partner brands its portal and its customers’ pages: branding text, logo and a live-previewed theme', async (t) => {
  const { front, app, browser } = await startPanelStack(t);
  const acme = await approvedPartner(app, 'Acme Brands');
  const bravo = await approvedPartner(app, 'Bravo Brands');
  const origin = front.origin(`${acme.slug}.parley.test`);
  const page = await signInToPortal(browser, origin, acme.email, { page: 'branding' });
  const header = page.getByTestId('portal-header');
  const logoChanges = countChanges(page, '/branding/logo');
  const themeChanges = countChanges(page, '/api/v1/partner/theme');
  const profile = async () => (await acme.portal.get('/api/v1/partner/profile')).body;

  await t.test('the branding text is saved, and removed when emptied', async () => {
    await page.getByTestId('page-branding').waitFor({ timeout: WAIT });
    await see(page.getByTestId('logo-none'), 'No logo yet');
    await assertAccessible(page, 'the brand page');
    await page.getByTestId('branding-text').fill('Acme Chat');
    await page.getByTestId('branding-save').click();
    await see(page.getByTestId('branding-status'), 'Branding text saved.');
    assert.equal((await profile()).branding, 'Acme Chat');
    await see(header.getByTestId('brand-name'), 'Acme Chat', "the branding text in the portal's header, in place of the name");
    await page.getByTestId('branding-text').fill('');
    await page.getByTestId('branding-save').click();
    await see(page.getByTestId('branding-status'), 'Branding text removed; your pages show Acme Brands.');
    assert.equal((await profile()).branding, null, 'empty removes it');
    await page.getByTestId('branding-text').fill('Acme Chat');
    await page.getByTestId('branding-save').click();
    await see(page.getByTestId('branding-status'), 'Branding text saved.');
    assert.equal((await profile()).branding, 'Acme Chat');
  });

  await t.test('a text file and an oversized image are refused at the field, and nothing is sent', async () => {
    const file = page.getByTestId('logo-file');
    await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a logo') });
    await see(page.getByTestId('logo-problem'), 'notes.txt is not a PNG, JPEG, WebP or GIF image.');
    assert.equal(await file.getAttribute('aria-invalid'), 'true');
    assert.match(String(await file.getAttribute('aria-describedby')), /logo-file-problem/, 'the problem describes the field');
    await page.getByTestId('logo-upload').click();
    await assertAccessible(page, 'a file of the wrong type, refused');

    await file.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.concat([LOGO, Buffer.alloc(600 * 1024)]) });
    await see(page.getByTestId('logo-problem'), /huge\.png is 60\d KiB; a logo may be at most 512 KiB\./);
    await page.getByTestId('logo-upload').click();
    await file.setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await see(page.getByTestId('logo-problem'), 'SVG files are not accepted because they can carry scripts.');
    assert.equal(logoChanges.count, 0, 'nothing was sent');
  });

  await t.test('a file named .png that is not an image is refused by the server, at the field', async () => {
    await page.getByTestId('logo-file').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
    await page.getByTestId('logo-upload').click();
    await see(page.getByTestId('logo-problem'), 'The server refused fake.png: its content is not a PNG image');
    assert.equal(logoChanges.count, 1, 'this one was sent');
    assert.equal((await profile()).logoUrl, null);
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'logo-file', undefined, { timeout: WAIT });
    await assertAccessible(page, "the server's refusal of a file");
  });

  await t.test('a real PNG is uploaded and the header shows it at once; removed, then uploaded again', async () => {
    await page.getByTestId('logo-file').setInputFiles({ name: 'acme.png', mimeType: 'image/png', buffer: LOGO });
    await see(page.getByTestId('logo-chosen'), 'Ready to upload: acme.png');
    await page.getByTestId('logo-upload').click();
    await see(page.getByTestId('logo-status'), 'Logo uploaded.');
    const { logoUrl } = await profile();
    assert.match(logoUrl, /\/brand\/logos\/p\d+-[0-9a-f]{32}\.png$/);
    const logo = header.getByTestId('brand-logo');
    assert.equal(await logo.getAttribute('src'), logoUrl, "the header's logo is the partner's");
    await logo.evaluate((img: HTMLImageElement) => (img.complete ? undefined : new Promise((done) => img.addEventListener('load', done, { once: true }))));
    assert.ok(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth > 0), 'the logo loads');
    assert.equal(await page.getByTestId('logo-current-img').getAttribute('src'), logoUrl, 'the page shows the current logo');

    await page.getByTestId('logo-remove').click();
    const dialog = page.getByTestId('logo-remove-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the remove-logo dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    assert.ok((await profile()).logoUrl, 'Escape removes nothing');
    await page.getByTestId('logo-remove').click();
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('logo-status'), 'Logo removed.');
    await see(header.getByTestId('brand-name'), 'Acme Chat', 'the branding text again in the header');
    assert.equal((await profile()).logoUrl, null);

    await page.getByTestId('logo-file').setInputFiles({ name: 'acme.png', mimeType: 'image/png', buffer: LOGO });
    await page.getByTestId('logo-upload').click();
    await see(page.getByTestId('logo-status'), 'Logo uploaded.');
    await header.getByTestId('brand-logo').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the brand page with a logo');
    await shot(page, 'portal-branding');
  });

  await t.test('the preview follows the primary colour, typed or picked, before anything is saved', async () => {
    await page.getByTestId('menu-theme').click();
    await page.getByTestId('theme-form').waitFor({ timeout: WAIT });
    const button = page.getByTestId('preview-console-button');
    await styled(button, 'background-color', PARLEY_BLUE, "Parley's primary colour first");
    await assertAccessible(page, 'the theme page');

    await page.getByTestId('theme-primaryColor').fill('#d9480f');
    await styled(button, 'background-color', ORANGE, "the console's button in the typed colour");
    await styled(page.getByTestId('preview-launcher'), 'background-color', ORANGE, 'the launcher in the typed colour');
    assert.equal(await page.getByTestId('theme-primaryColor-picker').inputValue(), '#d9480f', 'the picker follows the text');
    await see(page.getByTestId('theme-preview-state'), 'The preview shows changes that are not saved yet.');
    await see(page.getByTestId('theme-contrast'), '“Text on the primary colour” on “Primary colour”: 4.29:1', 'a contrast warning');

    await page.getByTestId('theme-headerBackgroundColor-picker').fill('#134e4a');
    assert.equal(await page.getByTestId('theme-headerBackgroundColor').inputValue(), '#134e4a', 'the text follows the picker');
    await styled(page.getByTestId('preview-console-header'), 'background-color', TEAL_DARK, 'the header in the picked colour');
    assert.deepEqual((await acme.portal.get('/api/v1/partner/theme')).body.pairs, [], 'nothing saved yet');
    assert.equal(themeChanges.count, 0);
    await assertAccessible(page, 'the theme page with unsaved changes');
  });

  await t.test('an unsafe value is refused at its field and never reaches the preview', async () => {
    // A malformed value is said when the field is left, not while it is typed.
    await page.getByTestId('theme-borderRadius').fill('4');
    assert.equal(await page.locator('#theme-borderRadius-problem').count(), 0, 'not while typing');
    await page.getByTestId('theme-borderRadius').blur();
    await see(page.locator('#theme-borderRadius-problem'), 'Enter 0 or a number with px, rem, em or %');
    await page.getByTestId('theme-borderRadius').fill('4px');
    const field = page.getByTestId('theme-primaryColor');
    await field.fill('red;}body{display:none');
    await see(page.locator('#theme-primaryColor-problem'), 'Not accepted: this value contains characters or code');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await styled(page.getByTestId('preview-console-button'), 'background-color', ORANGE, 'the preview keeps the last good colour');
    await page.getByTestId('theme-fontFamily').fill('expression(alert(1))');
    await see(page.locator('#theme-fontFamily-problem'), 'Not accepted');
    await page.getByTestId('theme-save').click();
    await see(page.getByTestId('theme-error'), 'Some values are not accepted, so nothing was saved.');
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'theme-primaryColor', undefined, { timeout: WAIT });
    assert.equal(themeChanges.count, 0, 'nothing was sent');
    await assertAccessible(page, 'refused theme values');
    await page.getByTestId('theme-fontFamily').fill('');
    // The contrast warning heeded: a darker orange, which white text can be read on.
    await field.fill('#c2410c');
    await see(page.getByTestId('theme-preview-state'), 'The preview shows changes that are not saved yet.');
    assert.equal(await page.getByTestId('theme-contrast').count(), 0, 'no contrast warning any more');
  });

  await t.test('a value only the server refuses is shown at its field', async () => {
    // What an out-of-date page might send: the request is changed on its way, the server's check answers.
    await page.route('**/api/v1/partner/theme', async (route) => {
      const request = route.request();
      if (request.method() !== 'PUT') return route.continue();
      const body = request.postDataJSON() as { pairs: { cssKey: string; cssValue: string }[] };
      const pairs = body.pairs.map((p) => (p.cssKey === 'launcherSize' ? { ...p, cssValue: '10000px' } : p));
      return route.continue({ postData: JSON.stringify({ pairs }) });
    });
    await page.getByTestId('theme-launcherSize').fill('64px');
    await page.getByTestId('theme-save').click();
    await see(page.locator('#theme-launcherSize-problem'), 'launcherSize must be a length');
    await see(page.getByTestId('theme-error'), 'The theme has invalid tokens or values');
    await page.unroute('**/api/v1/partner/theme');
    assert.deepEqual((await acme.portal.get('/api/v1/partner/theme')).body.pairs, [], 'nothing saved');
    await assertAccessible(page, "the server's refusal of a theme value");
  });

  await t.test('the theme is saved: the API and the style sheet have it', async () => {
    await page.getByTestId('theme-launcherSize').fill('60px');
    await page.getByTestId('theme-save').click();
    await see(page.getByTestId('theme-status'), 'Theme saved.');
    await see(page.getByTestId('theme-preview-state'), 'The preview shows the saved theme.');
    const pairs: { cssKey: string; cssValue: string }[] = (await acme.portal.get('/api/v1/partner/theme')).body.pairs;
    assert.deepEqual(Object.fromEntries(pairs.map((p) => [p.cssKey, p.cssValue])), { primaryColor: '#c2410c', headerBackgroundColor: '#134e4a', borderRadius: '4px', launcherSize: '60px' });
    const css = await (await fetch(`${app.url}${new URL((await profile()).themeCssUrl).pathname}`)).text();
    assert.match(css, /--parley-primary-color:#c2410c;/);
    assert.match(css, /--parley-header-background-color:#134e4a;/);
    await styled(page.getByTestId('preview-launcher'), 'width', '60px', 'the launcher in its saved size');
    await styled(header, 'background-color', TEAL_DARK, 'the portal itself takes the saved theme at once (its address is versioned)');
    await assertAccessible(page, 'the saved theme');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'portal-theme');
  });

  await t.test("a customer's site admin on the partner's host sees the theme", async () => {
    const boss = { email: 'boss@corner.example', password: 'corner-boss-password' };
    const { siteId } = await openSiteFor(app, acme, 'Corner Shop', boss);
    const panel = await signInToPanel(browser, `${origin}/admin?siteId=${siteId}`, boss.email, boss.password);
    await styled(panel.getByTestId('panel-header'), 'background-color', TEAL_DARK, "the header in the partner's colour");
    await styled(panel.getByTestId('site-save'), 'background-color', DARK_ORANGE, "the Save button in the partner's primary colour");
    await panel.context().close();
  });

  await t.test("another partner's token reaches only its own theme and logo", async () => {
    const mine = await bravo.portal.put('/api/v1/partner/theme', { pairs: [{ cssKey: 'primaryColor', cssValue: '#000000' }] });
    assert.equal(mine.status, 200, JSON.stringify(mine.body));
    for (const [method, path, body] of [
      ['put', `/api/v1/platform/partners/${acme.partnerId}/theme`, { pairs: [] }],
      ['delete', `/api/v1/platform/partners/${acme.partnerId}/branding/logo`, undefined],
      ['put', `/api/v1/platform/partners/${acme.partnerId}/branding`, { branding: 'Bravo was here' }],
    ] as const) {
      const res = method === 'put' ? await bravo.portal.put(path, body) : await bravo.portal.delete(path);
      assert.ok([401, 403].includes(res.status), `${method} ${path}: ${res.status}`);
    }
    const acmeNow = await profile();
    assert.equal(acmeNow.branding, 'Acme Chat');
    assert.ok(acmeNow.logoUrl, "Acme's logo is still there");
    const acmeTheme: { cssKey: string; cssValue: string }[] = (await acme.portal.get('/api/v1/partner/theme')).body.pairs;
    assert.equal(acmeTheme.find((p) => p.cssKey === 'primaryColor')?.cssValue, '#c2410c', "Acme's theme is its own");
    const bravoCss = await (await fetch(`${app.url}/brand/${bravo.slug}/theme.css`)).text();
    assert.doesNotMatch(bravoCss, /#c2410c/, "Bravo's style sheet has nothing of Acme's");
  });

  await t.test("at tablet width; then a reset, after a confirmation, brings Parley's defaults back", async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByTestId('theme-form').waitFor({ timeout: WAIT });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    await assertAccessible(page, 'the theme page at tablet width');
    await page.getByTestId('menu-branding').click();
    await page.getByTestId('logo-form').waitFor({ timeout: WAIT });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
    await assertAccessible(page, 'the brand page at tablet width');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByTestId('menu-theme').click();
    await page.getByTestId('theme-reset').click();
    const dialog = page.getByTestId('theme-reset-dialog');
    await dialog.waitFor({ timeout: WAIT });
    await assertAccessible(page, 'the reset dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    assert.equal((await acme.portal.get('/api/v1/partner/theme')).body.pairs.length, 4, 'Escape resets nothing');
    await page.getByTestId('theme-reset').click();
    await page.getByTestId('confirm-button').click();
    await see(page.getByTestId('theme-status'), 'The theme is reset to Parley’s defaults.');
    assert.deepEqual((await acme.portal.get('/api/v1/partner/theme')).body.pairs, []);
    assert.equal(await page.getByTestId('theme-primaryColor').inputValue(), '');
    await styled(page.getByTestId('preview-console-button'), 'background-color', PARLEY_BLUE, "the preview back to Parley's colour");
  });
});
