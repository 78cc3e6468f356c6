// Where a browser arrives (only Parley's own hosts), the browser session cookie, and starting a session in it: a sign-in always gets a new token,
// and the session the browser had before ends (no fixation).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie } from '../../platform/http/access.ts';
import { BadRequest } from '../../platform/errors.ts';
import type { IdentityService } from '../identity/index.ts';
import { normalizeHost } from '../partners/index.ts';
import type { Arrival } from './sso.service.ts';

/** The session cookie: host-only, https-only, not readable by scripts, usable in partners' iframes. */
export const SESSION_COOKIE = '__Host-parley_session';

/** The Set-Cookie value for `token` (an empty token with 0 clears it). */
export const cookieHeader = (token: string, maxAgeSeconds: number) =>
  `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=None; Partitioned`;

export type OnLogout = (ended: { agentId: number; sessionId: number }[]) => Promise<void>;

/** Ends the browser's current session (if any) and sets the cookie of the new one on `reply`. */
export async function putSession(identity: IdentityService, onLogout: OnLogout, request: FastifyRequest, reply: FastifyReply, s: { token: string; expiresAt: string }): Promise<void> {
  const previous = readCookie(request, SESSION_COOKIE);
  if (previous) {
    const old = await identity.authenticate(previous).catch(() => null);
    if (old?.kind === 'agent') {
      await identity.logout(old);
      await onLogout([{ agentId: old.agentId, sessionId: old.sessionId }]);
    }
  }
  const maxAge = Math.max(0, Math.floor((Date.parse(s.expiresAt) - Date.now()) / 1000));
  // (Not returned: a reply is thenable, and awaiting it would wait for it to be sent.)
  reply.header('set-cookie', cookieHeader(s.token, maxAge)).header('referrer-policy', 'no-referrer');
}

/**
 * The origin and partner of a request's host. Only Parley's own hosts: a made-up Host would
 * otherwise become the ACS address of a signed AuthnRequest, or an allowed return address.
 */
export function arrivalCheck(partnerOfHost: (host: string) => Promise<number | null>, publicUrl: string) {
  const platformHost = normalizeHost(new URL(publicUrl).host);
  return async (request: FastifyRequest): Promise<Arrival> => {
    const partnerId = await partnerOfHost(request.host);
    if (partnerId === null && normalizeHost(request.host) !== platformHost) {
      throw new BadRequest('This host is not one of Parley’s: sign in at the address your partner gave you.', { reason: 'unknown-host' });
    }
    return { origin: `${request.protocol}://${request.host}`, hostPartnerId: partnerId };
  };
}
