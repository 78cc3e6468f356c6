// Sealed values: data that must stay readable for a while but is not stored in the clear (a
// retried create's first answer, an identity provider's secret), under a key derived for one purpose.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals a value (AES-256-GCM) under a key derived for one purpose, for data that must be kept
 * readable for a while but not stored in the clear (a retried create's first answer).
 */
export function seal(key: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key, 'hex'), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** Opens a value sealed with `seal`; throws if it was altered. */
export function unseal(key: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  // A full tag only: a shorter one would be weaker, and sealed values come from strangers too.
  if (iv?.length !== 12 || tag?.length !== 16 || body === undefined) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(key, 'hex'), iv, { authTagLength: 16 });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}
