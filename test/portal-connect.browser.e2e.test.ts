// The partner portal's Domains and embedding page and its Single sign-on page in real Chromium.
// Domains: a name the server refuses is said at the field; a domain added shows its TXT and CNAME
// records; Verify says "not found yet" (with when it checked) until the record is published (the
// DNS look-up is faked: the verifier reads what the test "published"), then "verified"; a domain is
// removed after a confirmation. Embed origins: `ftp://x` and `https://x.com/path` are refused at
// their lines and nothing is saved; a good origin is saved as the server writes it. Single
// sign-on: JWT set up (its secret shown once: gone after a reload), the secret replaced after a
// confirmation; SAML set up with a certificate, the SP metadata downloaded as XML; the primary
// chosen; "Test sign-in" for JWT and SAML against identity providers this test fakes on the test
// front (a login page that signs the token with the secret the page showed; a SAML IdP made with
// helpers/saml-idp.ts), each showing its result page, with nobody signed in. Partner B's portal
// token cannot read or change A's domains, origins or sign-on. Every state is checked with axe,
// also at tablet width.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { esc, html, launchChromium, startFront } from './helpers/browser.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner } from './helpers/partners.ts';
import { createIdp, issueResponse, parseAuthnRequest } from './helpers/saml-idp.ts';
import { assertAccessible, see, shot, signInToPortal, WAIT } from './helpers/screens.ts';
import { partnerSite, SESSION_COOKIE, signJwt } from './helpers/sso.ts';

/** The value of a field (an input's current value). */
const fieldValue = (page: Page, testId: string, nth = 0) => page.getByTestId(testId).nth(nth).inputValue();

test('the Domains and Single sign-on pages of the partner portal', async (t) => {
  const front = await startFront(t, { baseDomain: 'parley.test' });
  // The DNS the domain verifier reads: what the test has "published".
  const published = new Map<string, string>();
  const app = await startParley(
    t,
    {
      PARLEY_BASE_DOMAIN: 'parley.test',
      PARLEY_PUBLIC_URL: front.origin('parley.test'),
      PARLEY_TRUSTED_PROXIES: '127.0.0.1',
      PARLEY_LOGIN_RATE_LIMIT: '1000',
      PARLEY_SSO_RATE_LIMIT: '1000',
      PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000',
    },
    { domainVerifier: async (host, token) => published.get(host) === token },
  );
  front.proxyTo(app);
  const browser = await launchChromium(t, front);
  const acme = await approvedPartner(app, 'Acme Connect');
  const other = await approvedPartner(app, 'Other Partner');
  const shop = await partnerSite(app, acme);
  const origin = front.origin(`${acme.slug}.parley.test`);
  const page = await signInToPortal(browser, origin, acme.email, { page: 'domains' });
  await page.getByTestId('page-domains').waitFor({ timeout: WAIT });
  let domainId = 0;

  await t.test('the partner’s Parley address is shown; a name that is not a domain is refused at the field', async () => {
    assert.equal(await fieldValue(page, 'partner-host'), `https://${acme.slug}.parley.test`);
    await see(page.getByTestId('domains-empty'), 'No custom domains yet.');
    await assertAccessible(page, 'the domains page');
    await page.getByTestId('domain-host').fill('not a domain');
    await page.getByTestId('domain-add').click();
    await see(page.locator('#domain-host-problem'), 'is not a domain name such as chat.example.com', "the server's refusal at the field");
    assert.equal(await page.getByTestId('domain-host').getAttribute('aria-invalid'), 'true');
    await see(page.getByTestId('domain-add-error'), 'The domain was not added.');
    await page.getByTestId('domain-host').fill(`chat.${acme.slug}.parley.test`);
    await page.getByTestId('domain-add').click();
    await see(page.locator('#domain-host-problem'), /^Hosts under parley\.test are Parley/, 'a host under the base domain is refused');
    await assertAccessible(page, 'the domains page with a refused name');
  });

  await t.test('a domain added shows its DNS records; Verify says not found until the record is published', async () => {
    await page.getByTestId('domain-host').fill('chat.acme.test');
    await page.getByTestId('domain-add').click();
    const row = page.locator('[data-testid="domain-row"][data-host="chat.acme.test"]');
    await row.waitFor({ timeout: WAIT });
    await see(page.getByTestId('domains-status'), 'chat.acme.test is added');
    await page.waitForFunction(() => document.activeElement?.textContent === 'chat.acme.test', undefined, { timeout: WAIT }); // focus on the new domain
    assert.equal(await row.getByTestId('domain-txt-name').inputValue(), '_parley-verification.chat.acme.test');
    const txt = await row.getByTestId('domain-txt-value').inputValue();
    assert.match(txt, /^parley-verification=[\w-]+$/);
    assert.equal(await row.getByTestId('domain-cname-name').inputValue(), 'chat.acme.test');
    assert.equal(await row.getByTestId('domain-cname-value').inputValue(), `${acme.slug}.parley.test`);
    await see(row.getByTestId('domain-state'), 'Not verified yet');
    domainId = (await acme.portal.get('/api/v1/partner/domains')).body[0].id;

    await row.getByTestId('domain-verify').click();
    await see(row.getByTestId('domain-outcome'), /Not found yet: the TXT record is not in the domain’s DNS\..*\(Checked at \d/, 'not found, with when');
    await assertAccessible(page, 'a domain not verified yet');

    published.set('chat.acme.test', txt.slice('parley-verification='.length));
    await row.getByTestId('domain-verify').click();
    await see(row.getByTestId('domain-outcome'), /Verified: chat\.acme\.test now shows your brand\. \(Checked at/);
    await see(row.getByTestId('domain-state'), 'Verified');
    assert.equal(await row.getAttribute('data-verified'), 'true');
    assert.equal(await row.getByTestId('domain-steps').count(), 0, 'the steps are done');
    await see(row.getByTestId('domain-live'), `Keep its CNAME record pointing at ${acme.slug}.parley.test`);
    assert.equal((await acme.portal.get('/api/v1/partner/domains')).body[0].verified, true);
    // A second one, left unverified, shows its steps beside the first.
    await page.getByTestId('domain-host').fill('help.acme.test');
    await page.getByTestId('domain-add').click();
    await page.locator('[data-testid="domain-row"][data-host="help.acme.test"]').waitFor({ timeout: WAIT });
    await assertAccessible(page, 'a verified and an unverified domain');
  });

  await t.test('embed origins: bad ones are refused at their lines and nothing is saved; a good one is saved as written by the server', async () => {
    await see(page.getByTestId('embed-section'), 'Agent Console SDK', 'what they are for');
    await page.getByTestId('embed-origin-add').click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'embed-origin', undefined, { timeout: WAIT }); // focus on the new line
    await page.getByTestId('embed-origin').nth(0).fill('HTTPS://App.Example.com:443/');
    await page.getByTestId('embed-origin-add').click();
    await page.getByTestId('embed-origin').nth(1).fill('ftp://x');
    await page.getByTestId('embed-origin-add').click();
    await page.getByTestId('embed-origin').nth(2).fill('https://x.com/path');
    await page.getByTestId('embed-save').click();
    await see(page.getByTestId('embed-error'), 'Nothing was saved: fix the marked lines (2).');
    const rows = page.getByTestId('embed-origin-row');
    assert.equal(await rows.nth(0).getAttribute('data-invalid'), null);
    await see(rows.nth(1).getByTestId('embed-origin-problem'), /^Line 2: /, 'ftp refused at its line');
    await see(rows.nth(2).getByTestId('embed-origin-problem'), /^Line 3: /, 'a path refused at its line');
    assert.equal(await page.getByTestId('embed-origin').nth(1).getAttribute('aria-invalid'), 'true');
    const firstBad = await page.getByTestId('embed-origin').nth(1).getAttribute('id');
    await page.waitForFunction((id) => document.activeElement?.id === id, firstBad, { timeout: WAIT }); // focus on the first bad line
    assert.deepEqual((await acme.portal.get('/api/v1/partner/embed-origins')).body.origins, [], 'nothing was saved');
    await assertAccessible(page, 'embed origins refused at their lines');
    await page.getByTestId('embed-section').scrollIntoViewIfNeeded();
    await shot(page, 'portal-domains');

    await page.getByTestId('embed-origin-remove').nth(2).click();
    await page.getByTestId('embed-origin-remove').nth(1).click();
    await page.getByTestId('embed-save').click();
    await see(page.getByTestId('embed-status'), 'Saved. Origins that may show Parley’s pages: 1.');
    assert.equal(await fieldValue(page, 'embed-origin'), 'https://app.example.com', 'as the server writes it');
    assert.deepEqual((await acme.portal.get('/api/v1/partner/embed-origins')).body.origins, ['https://app.example.com']);
  });

  await t.test('partner B’s portal token cannot read or change A’s domains or embed origins', async () => {
    assert.equal((await other.portal.post(`/api/v1/partner/domains/${domainId}/verify`)).status, 404);
    assert.equal((await other.portal.delete(`/api/v1/partner/domains/${domainId}`)).status, 404);
    assert.deepEqual((await other.portal.get('/api/v1/partner/domains')).body, []);
    assert.equal((await other.portal.get(`/api/v1/platform/partners/${acme.partnerId}/domains`)).status, 403);
    assert.equal((await other.portal.put(`/api/v1/platform/partners/${acme.partnerId}/embed-origins`, { origins: ['https://evil.example'] })).status, 403);
    assert.equal((await acme.portal.get('/api/v1/partner/domains')).body.length, 2, 'A’s domains are all there');
  });

  await t.test('a domain is removed after a confirmation (Escape keeps it)', async () => {
    const row = page.locator('[data-testid="domain-row"][data-host="chat.acme.test"]');
    await row.getByTestId('domain-remove').click();
    const dialog = page.getByTestId('domain-remove-dialog');
    await see(dialog, 'Pages at https://chat.acme.test stop showing your brand');
    await assertAccessible(page, 'the remove dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    assert.equal(await row.count(), 1, 'still there');
    await row.getByTestId('domain-remove').click();
    await dialog.getByTestId('confirm-button').click();
    await see(page.getByTestId('domains-status'), 'chat.acme.test is removed.');
    await row.waitFor({ state: 'detached', timeout: WAIT });
    assert.deepEqual(
      (await acme.portal.get('/api/v1/partner/domains')).body.map((d: { host: string }) => d.host),
      ['help.acme.test'],
    );
  });

  await t.test('the domains page at tablet width', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await assertAccessible(page, 'the domains page at 768 px');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  // ---- single sign-on ----------------------------------------------------------------------

  const idpOrigin = front.origin('idp.test');
  const idp = await createIdp(`${idpOrigin}/saml/metadata`);
  let secret = '';
  // The partner's JWT login page: it signs the agent's token with the secret the portal showed
  // and sends the browser to Parley's sign-in with the return address it was given.
  front.serve('idp.test', async (_req, res, url) => {
    if (url.pathname === '/login') {
      const returnTo = url.searchParams.get('return_to') ?? '';
      const jwt = await signJwt(secret, { email: shop.agent.email, name: 'Kim at Acme', site_id: shop.siteId });
      res.writeHead(302, { location: `${new URL(returnTo).origin}/sso/jwt?jwt=${jwt}&return_to=${encodeURIComponent(returnTo)}` });
      res.end();
      return;
    }
    if (url.pathname === '/saml') {
      // The SAML IdP: it "signs in" the agent and posts its signed Response to the ACS the request names.
      const request = parseAuthnRequest(url.toString());
      const response = issueResponse(idp, { issuer: idp.entityId, inResponseTo: request.id, destination: request.acsUrl, audience: request.issuer, nameId: shop.agent.email });
      const relay = request.relayState ? `<input type="hidden" name="RelayState" value="${esc(request.relayState)}">` : '';
      html(
        res,
        `<form method="post" action="${esc(request.acsUrl!)}"><input type="hidden" name="SAMLResponse" value="${Buffer.from(response).toString('base64')}">${relay}</form><script>document.forms[0].submit()</script>`,
      );
      return;
    }
    res.writeHead(404).end();
  });

  /** Clicks a Test sign-in button and returns the window it opened, once its result shows. */
  async function testWindow(button: string): Promise<Page> {
    const [popup] = await Promise.all([page.context().waitForEvent('page', { timeout: WAIT }), page.getByTestId(button).click()]);
    await popup.getByTestId('sso-test-result').waitFor({ timeout: WAIT });
    return popup;
  }

  await t.test('the SSO page before anything is set up', async () => {
    await page.goto(`${origin}/partner/sso`);
    await page.getByTestId('page-sso').waitFor({ timeout: WAIT });
    await see(page.getByTestId('sso-primary-now'), 'Single sign-on is off');
    await see(page.getByTestId('sso-saml-state'), 'Off');
    await see(page.getByTestId('sso-saml-metadata-later'), 'once SAML is set up');
    assert.equal(await fieldValue(page, 'sso-sp-acsUrl'), `${origin}/sso/saml/acs`);
    assert.equal(await fieldValue(page, 'sso-jwt-endpoint'), `${origin}/sso/jwt`);
    await assertAccessible(page, 'the SSO page, nothing set up');
  });

  await t.test('JWT: a plain http login URL is refused at its field; set up, the secret is shown once', async () => {
    await page.getByTestId('sso-jwt-loginUrl').fill('http://idp.test/login');
    await page.getByTestId('sso-jwt-save').click();
    await see(page.locator('#sso-jwt-loginUrl-problem'), 'loginUrl must be an https URL.');
    await see(page.getByTestId('sso-jwt-error'), 'Not saved: see the marked fields.');
    await page.waitForFunction(() => document.activeElement?.id === 'sso-jwt-loginUrl', undefined, { timeout: WAIT }); // focus on the field to fix
    await page.getByTestId('sso-jwt-loginUrl').fill(`${idpOrigin}/login`);
    await page.getByTestId('sso-jwt-save').click();
    await see(page.getByTestId('sso-jwt-status'), 'JWT sign-on is on. Copy the signing secret now.');
    await see(page.getByTestId('sso-jwt-secret-once'), 'it will not be shown again');
    secret = await fieldValue(page, 'sso-jwt-secret-value');
    assert.match(secret, /^pjs_[\w-]{40,}$/);
    await page.waitForFunction(() => document.activeElement?.id === 'sso-jwt-secret-value', undefined, { timeout: WAIT }); // the secret is focused, read out
    await see(page.getByTestId('sso-primary-now'), 'sent to your JWT sign-in');
    await assertAccessible(page, 'the JWT secret shown once');

    await page.reload();
    await page.getByTestId('sso-jwt').waitFor({ timeout: WAIT });
    await see(page.getByTestId('sso-jwt-secret-made'), 'The secret in use was made on');
    assert.equal(await page.getByTestId('sso-jwt-secret').count(), 0, 'not shown after a reload');
    assert.ok(!(await page.content()).includes(secret), 'nowhere in the page');
  });

  await t.test('JWT: replacing the secret says the old one stops at once; the new one is shown once', async () => {
    await page.getByTestId('sso-jwt-replace').click();
    const dialog = page.getByTestId('sso-jwt-replace-dialog');
    await see(dialog, 'The current secret stops working at once');
    await assertAccessible(page, 'the replace dialog');
    await dialog.getByTestId('confirm-button').click();
    await see(page.getByTestId('sso-jwt-replace-status'), 'The secret is replaced; the old one no longer works.');
    const old = secret;
    secret = await fieldValue(page, 'sso-jwt-secret-value');
    assert.notEqual(secret, old);
    // The old secret's tokens are refused now.
    const probe = await browser.newPage();
    const refused = await probe.goto(`${origin}/sso/jwt?jwt=${await signJwt(old, { email: shop.agent.email, site_id: shop.siteId })}`);
    assert.equal(refused?.status(), 401);
    await see(probe.locator('[role="alert"]'), 'signature does not match');
    await probe.close();
    await page.getByTestId('sso-jwt-secret-dismiss').click();
    assert.equal(await page.getByTestId('sso-jwt-secret').count(), 0);
  });

  await t.test('JWT: Test sign-in opens the login page; the result names the agent, and nobody is signed in', async () => {
    const popup = await testWindow('sso-jwt-test');
    await see(page.getByTestId('sso-jwt-test-status'), 'The test opened in a new window');
    assert.equal(await popup.getByTestId('sso-test-result').getAttribute('data-outcome'), 'works');
    await see(popup.locator('h1'), 'JWT sign-in works');
    await see(popup.getByTestId('sso-test-agent'), `That is agent Kim Agent (${shop.agent.email}, agent ${shop.agent.id}) of site ${shop.siteId}.`);
    await see(popup.locator('main'), 'nobody was signed in');
    assert.equal(await popup.evaluate(() => window.opener), null, 'no way back to the portal');
    await assertAccessible(popup, 'the JWT test result');
    const cookies = await page.context().cookies();
    assert.ok(!cookies.some((c) => c.name === SESSION_COOKIE), 'no session cookie');
    await popup.close();
  });

  await t.test('SAML: a private key is refused at the certificates; set up with a certificate; the SP metadata downloads as XML', async () => {
    await page.getByTestId('sso-saml-loginUrl').fill(`${idpOrigin}/saml`);
    await page.getByTestId('sso-saml-idpEntityId').fill(idp.entityId);
    await page.getByTestId('sso-saml-certificates').fill(idp.keyPem);
    await page.getByTestId('sso-saml-save').click();
    await see(page.locator('#sso-saml-certificates-problem'), 'That is a private key');
    await assertAccessible(page, 'SAML with a refused certificate');
    await page.getByTestId('sso-saml-certificates').fill(idp.certPem);
    await page.getByTestId('sso-saml-save').click();
    await see(page.getByTestId('sso-saml-status'), 'SAML sign-on is on.');
    await see(page.getByTestId('sso-saml-state'), 'On');
    await see(page.getByTestId('sso-saml-certs'), 'valid until');
    assert.equal(await fieldValue(page, 'sso-saml-certificates'), '', 'the pasted text is cleared; the certificate is held');

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), page.getByTestId('sso-saml-metadata').click()]);
    const xml = fs.readFileSync((await download.path())!, 'utf8');
    assert.match(xml, /EntityDescriptor/);
    assert.match(xml, new RegExp(`Location="${origin}/sso/saml/acs"`));
    assert.ok(download.suggestedFilename().endsWith('.xml'), download.suggestedFilename());

    // A change of URL keeps the certificate: nothing pasted.
    await page.getByTestId('sso-saml-logoutUrl').fill(`${idpOrigin}/saml/logout`);
    await page.getByTestId('sso-saml-save').click();
    await see(page.getByTestId('sso-saml-status'), 'SAML settings saved.');
    assert.equal((await acme.portal.get('/api/v1/partner/sso')).body.saml.certificates.length, 1);
  });

  await t.test('both on: the primary is chosen', async () => {
    await page.getByTestId('sso-primary-form').waitFor({ timeout: WAIT });
    assert.equal(await page.getByTestId('sso-primary-JWT').isChecked(), true, 'JWT was first');
    await page.getByTestId('sso-primary-SAML').check();
    await page.getByTestId('sso-primary-save').click();
    await see(page.getByTestId('sso-primary-status'), 'Agents are now sent to your SAML sign-in.');
    assert.equal((await acme.portal.get('/api/v1/partner/sso')).body.primarySSO, 'SAML');
    await assertAccessible(page, 'the SSO page with both set up');
    await page.getByTestId('sso-saml').scrollIntoViewIfNeeded();
    await shot(page, 'portal-sso');
  });

  await t.test('SAML: Test sign-in runs through the IdP; the result names the agent, and nobody is signed in', async () => {
    await see(page.getByTestId('sso-saml-test-site'), shop.siteId.toString());
    const popup = await testWindow('sso-saml-test');
    assert.equal(await popup.getByTestId('sso-test-result').getAttribute('data-outcome'), 'works', (await popup.locator('main').textContent()) ?? '');
    await see(popup.locator('h1'), 'SAML sign-in works');
    await see(popup.getByTestId('sso-test-identity'), `Your identity provider says: ${shop.agent.email}`);
    await see(popup.getByTestId('sso-test-agent'), `That is agent Kim Agent (${shop.agent.email}, agent ${shop.agent.id}) of site ${shop.siteId}.`);
    await assertAccessible(popup, 'the SAML test result');
    await shot(popup, 'portal-sso-test');
    assert.ok(!(await page.context().cookies()).some((c) => c.name === SESSION_COOKIE), 'no session cookie');
    await popup.close();
  });

  await t.test('partner B’s portal token cannot read or change A’s sign-on', async () => {
    assert.equal((await other.portal.get(`/api/v1/platform/partners/${acme.partnerId}/sso`)).status, 403);
    assert.equal((await other.portal.post(`/api/v1/platform/partners/${acme.partnerId}/sso/jwt/secret`)).status, 403);
    assert.equal((await other.portal.post(`/api/v1/platform/partners/${acme.partnerId}/sso/test`, { type: 'JWT' })).status, 403);
    const own = await other.portal.get('/api/v1/partner/sso');
    assert.equal(own.body.saml, null, 'B sees its own settings only');
    assert.equal(own.body.jwt, null);
    assert.equal((await other.portal.post('/api/v1/partner/sso/test', { type: 'SAML', siteId: shop.siteId })).status, 409, 'B has no SAML of its own to test with A’s site');
  });

  await t.test('SAML is turned off after a confirmation; the page at tablet width', async () => {
    await page.getByTestId('sso-saml-off').click();
    const dialog = page.getByTestId('sso-saml-off-dialog');
    await see(dialog, 'sent to your JWT sign-in instead');
    await dialog.getByTestId('confirm-button').click();
    await see(page.getByTestId('sso-saml-state'), 'Off');
    await see(page.getByTestId('sso-primary-now'), 'sent to your JWT sign-in');
    await page.setViewportSize({ width: 768, height: 1024 });
    await assertAccessible(page, 'the SSO page at 768 px');
  });
});
