// The app's Ssotoken (docs/mobile-webview.md): who the bank's signed-in customer is. A site checks
// it one of two ways: an HS256 JWT signed with the site's secret (claims `sub`, `name`, `email`,
// `exp` or a fresh `iat`), or its own verification URL, which Parley asks with the token and a
// timeout. Anything else is refused: a chat never starts under a name the token did not prove.
import { errors, jwtVerify } from 'jose';
import type { TokenVerification } from './webview.settings.ts';

/** The customer a token names. */
export interface Customer {
  /** The bank's id of the customer (the JWT's `sub`; `customerId` from a verification URL). */
  customerId: string;
  name: string | null;
  email: string | null;
}

/** Why a token gives no customer: refused (bad, expired, unknown) or not checkable now (the URL failed). */
export class TokenProblem extends Error {
  readonly code: 'invalid_token' | 'token_check_failed';

  constructor(code: 'invalid_token' | 'token_check_failed', message: string) {
    super(message);
    this.code = code;
  }
}

/** A JWT without `exp` is taken for this long after its `iat`. */
const IAT_WINDOW_SECONDS = 300;
const SKEW_SECONDS = 60;
export const MAX_TOKEN_LENGTH = 8192;
const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}$/;

const refused = (why: string) => new TokenProblem('invalid_token', `The app's sign-in token was refused: ${why}.`);

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, max) : null);

function customerOf(id: unknown, name: unknown, email: unknown): Customer {
  const customerId = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : text(id, 256);
  if (!customerId || customerId.length > 255) throw refused('it names no customer (sub)');
  const mail = text(email, 254);
  return { customerId, name: text(name, 200), email: mail && EMAIL.test(mail) ? mail.toLowerCase() : null };
}

async function fromJwt(token: string, key: Uint8Array, now: number): Promise<Customer> {
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], clockTolerance: SKEW_SECONDS, currentDate: new Date(now * 1000) }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw refused('it has expired');
    if (err instanceof errors.JWSSignatureVerificationFailed) throw refused('its signature does not match the site’s secret');
    if (err instanceof errors.JOSEAlgNotAllowed) throw refused('only HS256 is accepted');
    throw refused('it is not a valid JWT');
  }
  if (typeof payload.iat === 'number' && payload.iat > now + SKEW_SECONDS) throw refused('it was issued in the future (iat)');
  if (payload.exp === undefined) {
    if (typeof payload.iat !== 'number') throw refused('it has neither exp nor iat');
    if (payload.iat < now - IAT_WINDOW_SECONDS) throw refused(`it was issued more than ${IAT_WINDOW_SECONDS} seconds ago and has no exp`);
  }
  return customerOf(payload.sub, payload.name, payload.email);
}

async function fromUrl(token: string, url: string, timeoutMs: number): Promise<Customer> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'Parley-WebView/1' },
      body: JSON.stringify({ token }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    throw new TokenProblem('token_check_failed', timedOut ? `The site's token check did not answer within ${timeoutMs} ms.` : "The site's token check could not be reached.");
  }
  if (res.status === 401 || res.status === 403 || res.status === 404) throw refused(`the site's token check answered ${res.status}`);
  if (!res.ok) throw new TokenProblem('token_check_failed', `The site's token check failed (${res.status}).`);
  let body: Record<string, unknown>;
  try {
    // A customer's name and id are small: a larger answer is not one.
    const text = await res.text();
    if (text.length > 16 * 1024) throw new Error('too large');
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new TokenProblem('token_check_failed', "The site's token check did not answer JSON.");
  }
  if (body.valid === false) throw refused("the site's token check says it is not valid");
  return customerOf(body.customerId ?? body.sub ?? body.id, body.name, body.email);
}

/** The customer an Ssotoken proves, as the site checks it; throws TokenProblem otherwise. */
export async function verifySsotoken(token: string, how: TokenVerification, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Customer> {
  if (token.length > MAX_TOKEN_LENGTH) throw refused(`it is longer than ${MAX_TOKEN_LENGTH} characters`);
  switch (how.mode) {
    case 'none':
      throw refused('this site does not accept signed-in customers from the app (no token check is set up)');
    case 'jwt':
      return fromJwt(token, how.key, nowSeconds);
    case 'url':
      return fromUrl(token, how.url, how.timeoutMs);
  }
}
