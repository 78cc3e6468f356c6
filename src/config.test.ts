import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('zero configuration gives a working default on SQLite in ./data', () => {
  const c = loadConfig({}, '/srv/parley');
  assert.equal(c.host, '0.0.0.0');
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, '/srv/parley/data');
  assert.equal(c.databaseUrl, 'sqlite:/srv/parley/data/parley.db');
  assert.equal(c.publicUrl, 'http://localhost:8080');
  assert.equal(c.redisUrl, undefined);
});

test('the public URL follows host and port unless it is set', () => {
  assert.equal(loadConfig({ PARLEY_HOST: '10.1.2.3', PARLEY_PORT: '9000' }).publicUrl, 'http://10.1.2.3:9000');
  assert.equal(loadConfig({ PARLEY_PUBLIC_URL: 'https://chat.example.com/' }).publicUrl, 'https://chat.example.com');
});

test('DATABASE_URL switches to PostgreSQL', () => {
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@db/parley' }).databaseUrl, 'postgres://u@db/parley');
});

test('invalid values stop start-up with a message naming each variable', () => {
  assert.throws(
    () => loadConfig({ PARLEY_PORT: 'eighty', DATABASE_URL: 'mysql://x', PARLEY_LOG_LEVEL: 'loud', PARLEY_SECRET: 'short' }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      for (const name of ['PARLEY_PORT', 'DATABASE_URL', 'PARLEY_LOG_LEVEL', 'PARLEY_SECRET']) {
        assert.match(err.message, new RegExp(name));
      }
      return true;
    },
  );
  assert.throws(() => loadConfig({ PARLEY_PORT: '70000' }), /PARLEY_PORT/);
  assert.throws(() => loadConfig({ REDIS_URL: 'not a url' }), /REDIS_URL/);
  assert.throws(() => loadConfig({ PARLEY_ADMIN_EMAIL: 'nobody' }), /PARLEY_ADMIN_EMAIL/);
});

test('webhook deliveries default to a 10 s timeout and a day of retries, and are checked', () => {
  const c = loadConfig({});
  assert.equal(c.webhookTimeoutMs, 10_000);
  assert.equal(c.webhookRetryPeriodSeconds, 86_400);
  assert.equal(c.webhookBackoffBaseMs, 1000);
  assert.equal(c.webhookBackoffMaxMs, 600_000);
  assert.equal(c.webhookPollMs, 1000);
  assert.equal(c.webhookConcurrency, 8);
  const set = loadConfig({ PARLEY_WEBHOOK_TIMEOUT_MS: '500', PARLEY_WEBHOOK_RETRY_PERIOD_SECONDS: '60', PARLEY_WEBHOOK_CONCURRENCY: '2' });
  assert.equal(set.webhookTimeoutMs, 500);
  assert.equal(set.webhookRetryPeriodSeconds, 60);
  assert.equal(set.webhookConcurrency, 2);
  assert.throws(() => loadConfig({ PARLEY_WEBHOOK_TIMEOUT_MS: 'soon' }), /PARLEY_WEBHOOK_TIMEOUT_MS/);
  assert.throws(() => loadConfig({ PARLEY_WEBHOOK_CONCURRENCY: '0' }), /PARLEY_WEBHOOK_CONCURRENCY/);
  assert.throws(() => loadConfig({ PARLEY_WEBHOOK_POLL_MS: '1.5' }), /PARLEY_WEBHOOK_POLL_MS/);
  assert.throws(
    () => loadConfig({ PARLEY_WEBHOOK_BACKOFF_BASE_MS: '5000', PARLEY_WEBHOOK_BACKOFF_MAX_MS: '1000' }),
    /PARLEY_WEBHOOK_BACKOFF_MAX_MS/,
  );
});

test('partner settings: the base domain follows the public URL; proxies and limits are checked', () => {
  const c = loadConfig({ PARLEY_PUBLIC_URL: 'https://Chat.Example.com/', PARLEY_TRUSTED_PROXIES: '10.0.0.0/8, ::ffff:192.0.2.1' }, '/srv');
  assert.equal(c.baseDomain, 'chat.example.com');
  assert.deepEqual(c.trustedProxies, ['10.0.0.0/8', '192.0.2.1']);
  assert.equal(c.siteDeleteGraceDays, 30);
  assert.equal(loadConfig({ PARLEY_BASE_DOMAIN: 'parley.test.' }).baseDomain, 'parley.test');
  assert.throws(() => loadConfig({ PARLEY_BASE_DOMAIN: 'not a domain' }), /PARLEY_BASE_DOMAIN/);
  assert.throws(() => loadConfig({ PARLEY_TRUSTED_PROXIES: '10.0.0.1/8' }), /PARLEY_TRUSTED_PROXIES.*10\.0\.0\.0\/8/);
  assert.throws(() => loadConfig({ PARLEY_TRUSTED_PROXIES: 'proxy.internal' }), /PARLEY_TRUSTED_PROXIES/);
  assert.throws(() => loadConfig({ PARLEY_SITE_DELETE_GRACE_DAYS: '400' }), /PARLEY_SITE_DELETE_GRACE_DAYS/);
  assert.throws(() => loadConfig({ PARLEY_PARTNER_TOKEN_TTL: '10' }), /PARLEY_PARTNER_TOKEN_TTL/);
});
