// Sealed values open with their key only, unaltered, and only with a full authentication tag.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { seal, unseal } from './seal.ts';

const key = randomBytes(32).toString('hex');

test('a sealed value opens with its key, and not with another', () => {
  const sealed = seal(key, 'the secret');
  assert.equal(unseal(key, sealed), 'the secret');
  assert.throws(() => unseal(randomBytes(32).toString('hex'), sealed));
});

test('an altered body, a shortened tag or a malformed value is refused', () => {
  const [iv, tag, body] = seal(key, 'the secret').split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0]! ^= 1;
  assert.throws(() => unseal(key, [iv, tag, flipped.toString('base64url')].join('.')));
  // GCM would accept a 4-byte tag if asked to: a forger needs 2^32 tries then, not 2^128.
  const short = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url');
  assert.throws(() => unseal(key, [iv, short, body].join('.')), /not a sealed value/);
  for (const bad of ['', 'abc', 'a.b', `${iv}.${tag}`]) assert.throws(() => unseal(key, bad), bad);
});
