// Opaque bearer tokens for agents and platform users, and signed visitor tokens.
import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';

/** A new random bearer token (256 bits), prefixed so it is recognisable in a leaked log. */
export function newOpaqueToken(prefix: 'pla' | 'plp'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** What the database stores of an opaque token: its SHA-256. High-entropy tokens need no salt. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface VisitorClaims {
  siteId: number;
  visitorId: number;
}

const VISITOR_AUDIENCE = 'parley:visitor';

/** Signs a visitor token (JWT, HS256) for one visitor of one site. */
export async function signVisitorToken(
  secret: Uint8Array,
  claims: VisitorClaims,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: number }> {
  const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = await new SignJWT({ site: claims.siteId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(String(claims.visitorId))
    .setAudience(VISITOR_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(secret);
  return { token, expiresAt };
}

export type VisitorTokenResult =
  | { ok: true; claims: VisitorClaims; expiresAt: number }
  | { ok: false; reason: 'expired' | 'invalid' };

/** Verifies a visitor token; tells an expired token from an invalid one. */
export async function verifyVisitorToken(secret: Uint8Array, token: string): Promise<VisitorTokenResult> {
  try {
    const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: VISITOR_AUDIENCE });
    const siteId = payload.site;
    const visitorId = Number(payload.sub);
    if (typeof siteId !== 'number' || !Number.isSafeInteger(visitorId) || typeof payload.exp !== 'number') {
      return { ok: false, reason: 'invalid' };
    }
    return { ok: true, claims: { siteId, visitorId }, expiresAt: payload.exp };
  } catch (err) {
    return { ok: false, reason: err instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
