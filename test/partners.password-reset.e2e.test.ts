// A partner-portal user who forgot the password asks for a new link: the e-mail goes out once a
// minute at most, only to a user of the host's partner, never for a suspended partner, and the
// answer is the same 202 whether or not the address has an account.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { type ApiResponse, client } from './helpers/api.ts';
import { type Json, postWithHost } from './helpers/console.ts';
import { type Running, startParley } from './helpers/parley.ts';
import { approvedPartner, linkToken, platformAdmin } from './helpers/partners.ts';

const LIMITS = { PARLEY_PARTNER_SIGNUP_RATE_LIMIT: '1000', PARLEY_LOGIN_RATE_LIMIT: '1000', PARLEY_BASE_DOMAIN: 'parley.test' };
const SUBJECT = 'Reset your Parley partner-portal password';

/** The reset e-mails in the outbox to this address, newest first. */
async function resetMails(admin: ReturnType<typeof client>, to: string): Promise<Json[]> {
  const res = await admin.get(`/api/v1/platform/emails?to=${encodeURIComponent(to)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.filter((m: Json) => m.subject === SUBJECT);
}

/** Moves every one-time link's issue time two minutes back, as if the minute between links had passed. */
async function aMinuteLater(app: Running): Promise<void> {
  await sql`update one_time_links set created_at = ${new Date(Date.now() - 120_000).toISOString()}`.execute(app.parley.database.db);
}

/** The set-password link in an e-mail's body. */
const linkIn = (body: string) => body.match(/https?:\/\/\S+/)?.[0] ?? assert.fail(`no link in ${body}`);

/** The answer of `sent`, once the resets it asked for are done (they run after the answer). */
async function settled<T>(app: Running, sent: Promise<T>): Promise<T> {
  const res = await sent;
  await app.parley.services.partners.resetsSettled();
  return res;
}

function assert202(res: ApiResponse<Json> | { status: number; body: Json }): void {
  assert.equal(res.status, 202, JSON.stringify(res.body));
  assert.deepEqual(res.body, {});
}

test('a reset e-mails one working link, at most once a minute, and says the same for unknown addresses', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);
  const admin = await platformAdmin(app);
  const anon = client(app.url);

  // Right after the approval's link, a reset within the minute sends nothing.
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: p.email })));
  assert.equal((await resetMails(admin, p.email)).length, 0);

  await aMinuteLater(app);
  // The address in any case.
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: p.email.toUpperCase() })));
  const [mail, ...more] = await resetMails(admin, p.email);
  assert.equal(more.length, 0);
  const url = linkIn(mail.body);
  assert.match(url, new RegExp(`/partner/set-password\\?partner=${p.slug}#token=`));

  // Asked again within the minute: still one e-mail.
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: p.email })));
  assert.equal((await resetMails(admin, p.email)).length, 1);

  // The link sets the password: the new one logs in, the old one no longer does, the link works once.
  const token = linkToken(url);
  const set = await anon.post('/api/v1/partner/password', { token, password: 'brand-new-password' });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.equal(set.body.email, p.email);
  assert.equal((await anon.post('/api/v1/partner/login', { email: p.email, password: 'brand-new-password' })).status, 200);
  assert.equal((await anon.post('/api/v1/partner/login', { email: p.email, password: 'portal-password-1' })).status, 401);
  assert.equal((await anon.post('/api/v1/partner/password', { token, password: 'another-password' })).status, 401);
  // Setting the password ended the sessions the user had.
  assert.equal((await p.portal.get('/api/v1/partner/profile')).status, 401);

  // After the minute, another request sends another link; of several at once, only one does.
  await aMinuteLater(app);
  const together = await settled(app, Promise.all(Array.from({ length: 5 }, () => anon.post('/api/v1/partner/password-reset', { email: p.email }))));
  for (const res of together) assert202(res);
  assert.equal((await resetMails(admin, p.email)).length, 2);

  // An address without an account gets the same answer and no e-mail.
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: 'nobody@partner.example' })));
  assert.equal((await admin.get('/api/v1/platform/emails?to=nobody@partner.example')).body.length, 0);

  // The audit log names the reset, by the public, without the link.
  const audit = (await admin.get(`/api/v1/platform/audit?partnerId=${p.partnerId}`)).body.filter((e: Json) => e.action === 'partnerUser.passwordResetSent');
  assert.equal(audit.length, 2);
  assert.deepEqual(audit[0].actor, { kind: 'public', id: null });
  assert.ok(!JSON.stringify(audit).includes(token));

  // Bad input is a problem, not a 202.
  for (const body of [{}, { email: 'not-an-address' }, { email: p.email, extra: 1 }]) {
    const res = await anon.post('/api/v1/partner/password-reset', body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  }
});

test("on a partner's host only its own users get a link, and a suspended partner's users get none", async (t) => {
  const app = await startParley(t, LIMITS);
  const a = await approvedPartner(app, 'Reset Alpha');
  const b = await approvedPartner(app, 'Reset Beta');
  const admin = await platformAdmin(app);
  await aMinuteLater(app);

  assert202(await settled(app, postWithHost(app.url, `${b.slug}.parley.test`, '/api/v1/partner/password-reset', { email: a.email })));
  assert.equal((await resetMails(admin, a.email)).length, 0, "another partner's host sends nothing");

  assert202(await settled(app, postWithHost(app.url, `${a.slug}.parley.test`, '/api/v1/partner/password-reset', { email: a.email })));
  const mails = await resetMails(admin, a.email);
  assert.equal(mails.length, 1, "the user's own partner's host sends the link");
  assert.match(linkIn(mails[0].body), new RegExp(`/partner/set-password\\?partner=${a.slug}#token=`));

  // A suspended partner's users get nothing, on any host.
  assert.equal((await admin.post(`/api/v1/platform/partners/${b.partnerId}/suspend`)).status, 200);
  assert202(await settled(app, postWithHost(app.url, `${b.slug}.parley.test`, '/api/v1/partner/password-reset', { email: b.email })));
  assert202(await settled(app, client(app.url).post('/api/v1/partner/password-reset', { email: b.email })));
  assert.equal((await resetMails(admin, b.email)).length, 0);
  // Reactivated, the platform's own host sends the link to any partner's user.
  assert.equal((await admin.post(`/api/v1/platform/partners/${b.partnerId}/reactivate`)).status, 200);
  assert202(await settled(app, postWithHost(app.url, 'parley.test', '/api/v1/partner/password-reset', { email: b.email })));
  assert.equal((await resetMails(admin, b.email)).length, 1);
});

test('password resets are rate-limited per client address, whatever the e-mails', async (t) => {
  const app = await startParley(t, { PARLEY_LOGIN_RATE_LIMIT: '2' });
  const anon = client(app.url);
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: 'someone@partner.example' })));
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: 'someone-else@partner.example' })));
  // A third address from the same client: going through a list of addresses is what this stops.
  const limited = await anon.post('/api/v1/partner/password-reset', { email: 'a-third@partner.example' });
  assert.equal(limited.status, 429, JSON.stringify(limited.body));
  assert.match(limited.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.match(limited.body.detail, /Too many password-reset requests/);
});

test('only the newest link works, a reset link lasts an hour, and a user gets at most five a day', async (t) => {
  const app = await startParley(t, LIMITS);
  const p = await approvedPartner(app);
  const admin = await platformAdmin(app);
  const anon = client(app.url);
  const reset = async () => {
    await aMinuteLater(app);
    assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: p.email })));
    return linkToken(linkIn((await resetMails(admin, p.email))[0].body));
  };

  const first = await reset();
  const second = await reset();
  assert.equal((await anon.post('/api/v1/partner/password', { token: first, password: 'first-new-password' })).status, 401, 'a newer link replaced it');
  const links = await sql<{ expires_at: string; created_at: string }>`select expires_at, created_at from one_time_links where used_at is null`.execute(app.parley.database.db);
  assert.equal(links.rows.length, 1, 'one live link');
  const lifetime = Date.parse(links.rows[0]!.expires_at) - Date.parse(links.rows[0]!.created_at);
  assert.ok(lifetime > 59 * 60_000 && lifetime <= 60 * 60_000, `an hour (${lifetime} ms)`);

  // Setting the password with one link ends every other (here: a reset asked for meanwhile).
  await aMinuteLater(app);
  const third = await reset();
  assert.equal((await anon.post('/api/v1/partner/password', { token: third, password: 'third-new-password' })).status, 200);
  assert.equal((await anon.post('/api/v1/partner/password', { token: second, password: 'second-new-password' })).status, 401);

  // Five reset links a day at most (the approval's link is one of the day's links too).
  await reset();
  const sent = (await resetMails(admin, p.email)).length;
  assert.equal(sent, 4, 'four resets after the approval: five links today');
  await aMinuteLater(app);
  assert202(await settled(app, anon.post('/api/v1/partner/password-reset', { email: p.email })));
  assert.equal((await resetMails(admin, p.email)).length, sent, 'the sixth link of the day is not sent');
});
