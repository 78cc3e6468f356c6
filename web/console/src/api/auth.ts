// Sign-in, the session probe, the brand and the real-time token.
import { ApiError, get, post } from './http.ts';
import type { Brand, Session } from './types.ts';

/** The current session, or null when nobody is signed in (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await get<Session>('/api/v1/auth/session', { expect401: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export type SignInResult = { kind: 'ok'; session: Session } | { kind: 'pickSite'; siteIds: number[] };

/** Signs in; `partnerId` limits it to that partner's sites (the SDK's frame on Parley's own host). */
export async function signIn(email: string, password: string, siteId?: number, partnerId?: number): Promise<SignInResult> {
  try {
    const body = { email, password, ...(siteId ? { siteId } : {}), ...(partnerId ? { partnerId } : {}) };
    const session = await post<Session>('/api/v1/auth/session', body, { expect401: true });
    return { kind: 'ok', session };
  } catch (err) {
    if (err instanceof ApiError && err.status === 409 && Array.isArray(err.body.siteIds)) {
      return { kind: 'pickSite', siteIds: err.body.siteIds.filter((id): id is number => typeof id === 'number') };
    }
    throw err;
  }
}

export const fetchBrand = () => get<Brand>('/api/v1/brand', { expect401: true });

export async function fetchRealtimeToken(): Promise<string> {
  const { token } = await post<{ token: string; expiresAt: string }>('/api/v1/auth/realtime-token');
  return token;
}
