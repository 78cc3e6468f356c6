// Log in and out: agents at /api/v1/auth, platform users at /api/v1/platform.
import { Type } from 'typebox';
import { TooManyRequests } from '../../platform/errors.ts';
import { Email, Id, problems, TokenResponse } from '../../platform/http/schemas.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { IdentityService } from './identity.service.ts';

const Credentials = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 200 }), siteId: Type.Optional(Id) },
  { additionalProperties: false },
);

/**
 * The rate limit of a login route, keyed by address and account, so one attacker cannot lock out
 * an agent from elsewhere. It runs as a preHandler because the key needs the parsed body.
 */
export function loginRateLimit(perMinute: number) {
  return {
    hook: 'preHandler' as const,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (req: { ip: string; body?: unknown }) =>
      `${req.ip}|${String((req.body as { email?: unknown } | undefined)?.email ?? '').toLowerCase()}`,
    errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) =>
      new TooManyRequests('Too many login attempts; wait and try again.', Math.ceil(ctx.ttl / 1000)),
  };
}

/** Registers the login and logout routes. */
export function registerIdentityRoutes(
  app: HttpServer,
  identity: IdentityService,
  perMinute: number,
  onLogout: (principal: Principal) => void | Promise<void>,
  /** The partner whose white-label host a request came to (null: the platform's own host). */
  partnerOfHost: (host: string) => Promise<number | null> = async () => null,
): void {
  const rateLimit = loginRateLimit(perMinute);

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: ['public'], rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Log an agent in with e-mail and password',
        body: Credentials,
        response: {
          200: Type.Object({ ...TokenResponse.properties, agentId: Id, siteId: Id }),
          ...problems(400, 401, 409, 429),
        },
      },
    },
    async (request) => identity.loginAgent(request.body.email, request.body.password, request.body.siteId, await partnerOfHost(request.host), request.ip),
  );

  app.post(
    '/api/v1/platform/login',
    {
      config: { access: ['public'], rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Log a platform user in',
        body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ ...TokenResponse.properties, userId: Id }), ...problems(400, 401, 429) },
      },
    },
    async (request) => identity.loginPlatform(request.body.email, request.body.password),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: ['agent', 'platform'] },
      schema: {
        tags: ['auth'],
        summary: 'Revoke the bearer token used for this call',
        security: [{ bearer: [] }],
        response: { 204: Type.Null(), ...problems(401) },
      },
    },
    async (request, reply) => {
      await identity.logout(request.principal!);
      await onLogout(request.principal!);
      return reply.code(204).send(null);
    },
  );
}
