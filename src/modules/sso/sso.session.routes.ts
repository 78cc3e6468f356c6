// The browser session as an API: who is signed in (with the CSRF token), signing in from the
// console's own form, short-lived real-time tokens for the console, and the mobile deep link's
// token exchange.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Forbidden, TooManyRequests, Unauthorized } from '../../platform/errors.ts';
import { Email, Id, problems, TokenResponse } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { IdentityService } from '../identity/index.ts';
import { arrivalCheck, type OnLogout, putSession } from './sso.cookie.ts';
import type { Arrival } from './sso.service.ts';
import { JWT_MAX_LENGTH } from './sso.jwt.ts';
import type { SsoService } from './sso.service.ts';

interface Deps {
  sso: SsoService;
  identity: IdentityService;
  /** The partner whose white-label host a request came to (null: none). */
  partnerOfHost(host: string): Promise<number | null>;
  publicUrl: string;
  /** Sign-in attempts per address and minute. */
  perMinute: number;
  onLogout: OnLogout;
}

const SessionSchema = Type.Object(
  {
    agentId: Id,
    siteId: Id,
    email: Type.String(),
    name: Type.String(),
    method: Type.Union([Type.Literal('password'), Type.Literal('saml'), Type.Literal('jwt')]),
    expiresAt: Type.String({ format: 'date-time' }),
    csrfToken: Type.Union([Type.String(), Type.Null()], { description: 'Send as X-CSRF-Token with changes; null for bearer callers, who need none' }),
  },
  { $id: 'BrowserSession' },
);
const SessionRef = Type.Unsafe<Type.Static<typeof SessionSchema>>({ $ref: 'BrowserSession' });

/** Registers the session API. */
export function registerSessionRoutes(app: HttpServer, deps: Deps): void {
  const { sso, identity } = deps;
  const arrival = arrivalCheck(deps.partnerOfHost, deps.publicUrl);
  const rateLimit = {
    max: deps.perMinute,
    timeWindow: 60_000,
    keyGenerator: (req: { ip: string }) => `sso|${req.ip}`,
    errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many sign-in attempts; wait and try again.', Math.ceil(ctx.ttl / 1000)),
  };
  app.addSchema(SessionSchema);

  async function describe(agentId: number, siteId: number, origin: { login_method: string | null; expires_at: string | Date }, csrfToken: string | null) {
    const agent = await identity.agentProfile(agentId);
    return {
      agentId,
      siteId,
      email: agent.email,
      name: agent.name,
      method: (origin.login_method ?? 'password') as 'password' | 'saml' | 'jwt',
      expiresAt: new Date(origin.expires_at).toISOString(),
      csrfToken,
    };
  }

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in agent of this browser session (cookie), with its CSRF token',
        response: { 200: SessionRef, ...problems(401) },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p?.kind !== 'agent') throw new Unauthorized('Not signed in.');
      const origin = await identity.sessionOrigin(p);
      if (!origin) throw new Unauthorized('The session has ended.');
      return describe(p.agentId, p.siteId, origin, request.sessionToken ? identity.csrfToken(request.sessionToken) : null);
    },
  );

  // The console's sign-in form: the same check as the /login page, answered in JSON.
  app.post(
    '/api/v1/auth/session',
    {
      config: { access: ['public'], rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password and start a browser session (sets the session cookie); same-origin only',
        description: 'A 409 answer lists `siteIds` when the e-mail and password work on several sites: send again with `siteId`.',
        body: Type.Object(
          {
            email: Email,
            password: Type.String({ minLength: 1, maxLength: 200 }),
            siteId: Type.Optional(Id),
            partnerId: Type.Optional({ ...Id, description: "Only that partner's sites (the Agent Console SDK's frame on Parley's own host); a partner's host implies its own" }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionRef, ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      const here = narrowed(await arrival(request), request.body.partnerId);
      refuseCrossSite(request, here.origin);
      // Only agents of open sites, and on a partner's host only that partner's.
      const s = await identity.loginAgent(request.body.email, request.body.password, request.body.siteId, here.hostPartnerId, request.ip);
      await putSession(identity, deps.onLogout, request, reply, s);
      return describe(s.agentId, s.siteId, { login_method: 'password', expires_at: s.expiresAt }, identity.csrfToken(s.token));
    },
  );

  // The Agent Console SDK's JWT sign-in (docs/agent-console-sdk.md): the partner's token, checked
  // as at /sso/jwt, starts a browser session in the SDK's frame. Same-origin only, like the form.
  app.post(
    '/api/v1/auth/session/jwt',
    {
      config: { access: ['public'], rateLimit },
      schema: {
        tags: ['auth'],
        summary: "Sign in with the partner's single sign-on JWT and start a browser session (sets the session cookie); same-origin only",
        description: 'The token is the one `/sso/jwt` takes (HS256 with the partner’s secret; `site_id`, `email`, `iat`, `jti`). A 401 says why it was refused (expired, signature, already used).',
        body: Type.Object(
          {
            jwt: Type.String({ minLength: 1, maxLength: JWT_MAX_LENGTH }),
            partnerId: Type.Optional({ ...Id, description: "Only that partner's sites (the SDK's frame on Parley's own host); a partner's host implies its own" }),
          },
          { additionalProperties: false },
        ),
        response: { 200: SessionRef, ...problems(400, 401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const here = narrowed(await arrival(request), request.body.partnerId);
      refuseCrossSite(request, here.origin);
      const s = await sso.exchange(request.body.jwt, here);
      await putSession(identity, deps.onLogout, request, reply, s);
      return describe(s.agentId, s.siteId, { login_method: 'jwt', expires_at: s.expiresAt }, identity.csrfToken(s.token));
    },
  );

  app.post(
    '/api/v1/auth/realtime-token',
    {
      config: { access: ['agent'] },
      schema: {
        tags: ['auth'],
        summary: "A 15-minute token of this browser session for the real-time connection (centrifuge getToken); cookie sessions only",
        response: { 200: TokenResponse, ...problems(401, 403) },
      },
    },
    async (request) => {
      // For browser sessions only: a bearer caller already holds a token (and refreshes it at /operator/auth/refresh).
      if (!request.sessionToken) throw new Forbidden('Real-time tokens are issued to browser sessions (the session cookie).');
      const issued = await identity.realtimeToken(request.principal!);
      return { token: issued.token, expiresAt: issued.expiresAt };
    },
  );

  // The mobile deep link (`…://login?jwt=`): a partner's app trades its sign-in JWT for tokens.
  app.post(
    '/api/v1/sso/jwt/exchange',
    {
      config: { access: ['public'], rateLimit },
      schema: {
        tags: ['auth'],
        summary: "Exchange a partner's sign-in JWT for an agent API and real-time token",
        body: Type.Object({ jwt: Type.String({ minLength: 1, maxLength: JWT_MAX_LENGTH }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...TokenResponse.properties,
            agentId: Id,
            siteId: Id,
            realtime: Type.Object({ url: Type.String(), token: Type.String() }),
          }),
          ...problems(400, 401, 403, 404, 429),
        },
      },
    },
    async (request) => {
      const s = await sso.exchange(request.body.jwt, await arrival(request));
      const ws = `${deps.publicUrl.replace(/^http/, 'ws')}/connection/websocket`;
      return { token: s.token, expiresAt: s.expiresAt, agentId: s.agentId, siteId: s.siteId, realtime: { url: ws, token: s.token } };
    },
  );
}

/**
 * The arrival with the partner a sign-in names: it can only narrow where the sign-in may go (a
 * partner's host already names its partner, and another one is refused).
 */
function narrowed(here: Arrival, partnerId: number | undefined): Arrival {
  if (partnerId === undefined || here.hostPartnerId === partnerId) return here;
  if (here.hostPartnerId !== null) throw new Forbidden('This address belongs to another partner than partnerId names.', { reason: 'partner-mismatch' });
  return { ...here, hostPartnerId: partnerId };
}

/** Refuses a sign-in sent from another site: it would sign the browser in to the sender's account. */
function refuseCrossSite(request: FastifyRequest, origin: string): void {
  const site = request.headers['sec-fetch-site'];
  if ((site !== undefined && site !== 'same-origin') || (request.headers.origin !== undefined && request.headers.origin !== origin)) {
    throw new Forbidden('The sign-in form must be sent from this site.', { reason: 'cross-site-login' });
  }
}
