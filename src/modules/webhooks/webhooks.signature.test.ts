import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signedHeaders, signPayload, verifySignature } from './webhooks.signature.ts';

const secret = 'a'.repeat(64);
const deliveryId = '0b6c1d9e-3f47-4c55-9a1e-2f5e8b7d4c21';
const body = '{"customer_token":"c-1","assign_type":"agent","message":{"type":"message"}}';

test('the signature is hex HMAC-SHA256 over "<deliveryId>.<timestamp>.<body>", prefixed v1=', () => {
  const expected = createHmac('sha256', secret).update(`${deliveryId}.1700000000.${body}`).digest('hex');
  assert.equal(signPayload(secret, deliveryId, 1700000000, body), `v1=${expected}`);
  const headers = signedHeaders({ secret, deliveryId, timestamp: 1700000000, body, userAgent: 'Parley-Webhooks/1.0.0' });
  assert.deepEqual(headers, {
    'content-type': 'application/json',
    'user-agent': 'Parley-Webhooks/1.0.0',
    'x-parley-delivery': deliveryId,
    'x-parley-timestamp': '1700000000',
    'x-parley-signature': `v1=${expected}`,
  });
});

test('verifySignature accepts a fresh, intact request and refuses any change, another secret or an old timestamp', () => {
  const now = 1700000000;
  const signed = { deliveryId, timestamp: String(now), signature: signPayload(secret, deliveryId, now, body), body };
  assert.equal(verifySignature(secret, signed, now), true);
  assert.equal(verifySignature(secret, signed, now + 299), true);
  assert.equal(verifySignature(secret, signed, now + 301), false, 'older than five minutes');
  assert.equal(verifySignature(secret, signed, now - 301), false, 'from the future');
  assert.equal(verifySignature('b'.repeat(64), signed, now), false, 'another secret');
  assert.equal(verifySignature(secret, { ...signed, body: `${body} ` }, now), false, 'another body');
  assert.equal(verifySignature(secret, { ...signed, deliveryId: 'other' }, now), false, 'another delivery id');
  assert.equal(verifySignature(secret, { ...signed, timestamp: String(now - 1) }, now), false, 'another timestamp');
  assert.equal(verifySignature(secret, { ...signed, signature: signed.signature.slice(0, -1) }, now), false, 'truncated');
  assert.equal(verifySignature(secret, { ...signed, signature: undefined }, now), false, 'missing header');
  assert.equal(verifySignature(secret, { ...signed, timestamp: '1e9' }, now), false, 'not whole seconds');
});
