// JWT single sign-on tokens: HS256 with the partner's secret, claims iat, jti, email (name,
// external_id optional) and site_id, issued within the last three minutes.
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { BadRequest, Unauthorized } from '../../platform/errors.ts';

/** How far a partner's clock may be off, and how old a token may be: three minutes. */
export const JWT_SKEW_SECONDS = 180;
/** Larger tokens are refused unread. */
export const JWT_MAX_LENGTH = 8192;

export interface SsoClaims {
  jti: string;
  iat: number;
  email: string;
  name: string | null;
  externalId: string | null;
  siteId: number;
}

const refused = (why: string) => new Unauthorized(`The sign-in token was refused: ${why}.`, { reason: 'jwt' });
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}$/;

/** The site a token names, read before its signature is checked (to find the partner's key). */
export function unverifiedSiteId(token: string): number {
  if (token.length > JWT_MAX_LENGTH) throw new BadRequest(`The sign-in token is longer than ${JWT_MAX_LENGTH} characters.`, { reason: 'jwt' });
  let header: ReturnType<typeof decodeProtectedHeader>;
  let payload: ReturnType<typeof decodeJwt>;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw refused('it is not a JWT');
  }
  if (header.alg !== 'HS256') throw refused(`only HS256 is accepted, not ${String(header.alg)}`);
  if (!Number.isSafeInteger(payload.site_id) || (payload.site_id as number) <= 0) throw refused('the site_id claim is missing or not a site id');
  return payload.site_id as number;
}

/** Verifies a token with the partner's key and returns its claims; refuses anything else. */
export async function verifySsoJwt(token: string, key: Uint8Array, nowSeconds = Math.floor(Date.now() / 1000)): Promise<SsoClaims> {
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], clockTolerance: JWT_SKEW_SECONDS, currentDate: new Date(nowSeconds * 1000) }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw refused('it has expired');
    if (err instanceof errors.JOSEAlgNotAllowed) throw refused('only HS256 is accepted');
    if (err instanceof errors.JWSSignatureVerificationFailed) throw refused('its signature does not match the partner’s secret');
    throw refused('it could not be verified');
  }
  const { iat, jti, email, name, external_id: externalId, site_id: siteId } = payload as Record<string, unknown>;
  if (typeof iat !== 'number') throw refused('the iat claim is missing');
  if (iat > nowSeconds + JWT_SKEW_SECONDS) throw refused('it was issued in the future (iat)');
  if (iat < nowSeconds - JWT_SKEW_SECONDS) throw refused(`it was issued more than ${JWT_SKEW_SECONDS} seconds ago (iat)`);
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > 255) throw refused('the jti claim is missing');
  if (typeof email !== 'string' || !EMAIL.test(email)) throw refused('the email claim is missing or not an e-mail address');
  if (name !== undefined && (typeof name !== 'string' || name.length > 200)) throw refused('the name claim must be a string of at most 200 characters');
  if (externalId !== undefined && (typeof externalId !== 'string' || externalId.length === 0 || externalId.length > 255)) {
    throw refused('the external_id claim must be a string of 1 to 255 characters');
  }
  if (!Number.isSafeInteger(siteId)) throw refused('the site_id claim is missing');
  return { jti, iat, email: email.toLowerCase(), name: (name as string | undefined)?.trim() || null, externalId: (externalId as string | undefined) ?? null, siteId: siteId as number };
}
