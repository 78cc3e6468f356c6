// The partner platform's secrets: API keys, OAuth client secrets, access and portal tokens, and
// one-time links. Each is 256 random bits with a recognisable prefix; only its SHA-256 is stored
// (high-entropy secrets need no salt), and a presented secret is compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type SecretKind = 'apiKey' | 'clientId' | 'clientSecret' | 'accessToken' | 'portalToken' | 'link';

const PREFIX: Record<SecretKind, string> = {
  apiKey: 'ppk',
  clientId: 'pcl',
  clientSecret: 'pcs',
  accessToken: 'ppt',
  portalToken: 'ppu',
  link: 'pol',
};

/** A new secret of a kind; client ids are shorter (they are not secret, only unique). */
export function newSecret(kind: SecretKind): string {
  return `${PREFIX[kind]}_${randomBytes(kind === 'clientId' ? 12 : 32).toString('base64url')}`;
}

/** Whether a token looks like one of ours of this kind (cheap routing before any lookup). */
export function isSecretOf(kind: SecretKind, token: string): boolean {
  return token.startsWith(`${PREFIX[kind]}_`);
}

/** What the database keeps of a secret. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(presented: string, storedHash: string | null): boolean {
  const expected = Buffer.from(storedHash ?? '', 'hex');
  const actual = createHash('sha256').update(presented).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** The first characters of a secret, shown so that its owner can tell it apart. */
export const secretPrefix = (secret: string) => secret.slice(0, 10);
