// A partner's white-label host decides which partner a login belongs to: on it, only that
// partner's agents and portal users log in; the platform's own host serves everyone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { postWithHost } from './helpers/console.ts';
import { startParley } from './helpers/parley.ts';
import { approvedPartner, partnerApi, partnerApiToken } from './helpers/partners.ts';

test("on a partner's host only that partner's agents and portal users log in", async (t) => {
  const app = await startParley(t, { PARLEY_BASE_DOMAIN: 'parley.test', PARLEY_LOGIN_RATE_LIMIT: '1000' });
  const a = await approvedPartner(app, 'Host Alpha');
  const b = await approvedPartner(app, 'Host Beta');
  const api = partnerApi(app, await partnerApiToken(app, a));
  const site = await api.post('/sites', { company: 'Alpha Shop', admin: { email: 'boss@alpha-shop.example', password: 'alpha-shop-pass' } });
  assert.equal(site.status, 201);
  const agent = { email: 'boss@alpha-shop.example', password: 'alpha-shop-pass' };

  assert.equal((await postWithHost(app.url, `${a.slug}.parley.test`, '/api/v1/auth/login', agent)).status, 200);
  assert.equal((await postWithHost(app.url, `${a.slug}.parley.test:8443`, '/api/v1/auth/login', agent)).status, 200, 'a port does not matter');
  assert.equal((await postWithHost(app.url, 'parley.test', '/api/v1/auth/login', agent)).status, 200, "the platform's host serves every partner");
  const elsewhere = await postWithHost(app.url, `${b.slug}.parley.test`, '/api/v1/auth/login', agent);
  assert.equal(elsewhere.status, 401, "another partner's host does not know the agent");
  assert.equal(elsewhere.body.detail, 'Wrong e-mail or password.', 'and says no more than for a wrong password');

  const portalUser = { email: a.email, password: 'portal-password-1' };
  assert.equal((await postWithHost(app.url, `${a.slug}.parley.test`, '/api/v1/partner/login', portalUser)).status, 200);
  assert.equal((await postWithHost(app.url, `${b.slug}.parley.test`, '/api/v1/partner/login', portalUser)).status, 401);
});
