import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterFailure, backoffDelay } from './webhooks.retry.ts';

const policy = { backoffBaseMs: 1000, backoffMaxMs: 600_000 };

test('the backoff doubles per failure, stays within [half, all] of it, and is capped', () => {
  const low = () => 0;
  const high = () => 0.999999;
  for (let attempts = 1; attempts <= 60; attempts++) {
    const full = Math.min(600_000, 1000 * 2 ** (attempts - 1));
    assert.equal(backoffDelay(attempts, policy, low), full / 2, `attempt ${attempts}, least`);
    assert.ok(backoffDelay(attempts, policy, high) <= full, `attempt ${attempts}, most`);
    assert.ok(backoffDelay(attempts, policy, high) >= full * 0.99, `attempt ${attempts}, most`);
    for (let i = 0; i < 20; i++) {
      const d = backoffDelay(attempts, policy);
      assert.ok(d >= full / 2 && d <= full, `attempt ${attempts}: ${d}`);
    }
  }
  assert.equal(backoffDelay(1, policy, low), 500);
  assert.equal(backoffDelay(2, policy, low), 1000);
  assert.equal(backoffDelay(1000, policy, low), 300_000);
});

test('a failure is retried while the next attempt is before the give-up time, then the delivery is dead', () => {
  const now = new Date('2030-01-01T00:00:00.000Z');
  const retried = afterFailure(1, '2030-01-02T00:00:00.000Z', now, policy, () => 0);
  assert.deepEqual(retried, { status: 'pending', nextAttemptAt: '2030-01-01T00:00:00.500Z' });
  const dead = afterFailure(1, '2030-01-01T00:00:00.100Z', now, policy, () => 0);
  assert.deepEqual(dead, { status: 'dead', deadAt: '2030-01-01T00:00:00.000Z' });
});

test('the default policy retries for a day: over a hundred attempts before giving up', () => {
  let at = 0;
  let attempts = 0;
  while (true) {
    attempts++;
    const next = at + backoffDelay(attempts, policy);
    if (next > 24 * 3600_000) break;
    at = next;
  }
  assert.ok(attempts > 100, `${attempts} attempts`);
});
