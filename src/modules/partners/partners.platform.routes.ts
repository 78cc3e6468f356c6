// Becoming a partner (public sign-up), the platform admins' side (applications, partners, every
// partner's sites, suspension, name changes, audit, e-mails), and the partner portal's login and
// password reset.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TooManyRequests } from '../../platform/errors.ts';
import { Email, Id, Password, problems, TokenResponse } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { loginRateLimit } from '../identity/index.ts';
import type { ApplicationsService } from './partners.applications.service.ts';
import { type AuditLog, actorOf } from './partners.audit.ts';
import type { Mailer } from './partners.mail.ts';
import type { PartnerTokenService } from './partners.oauth.ts';
import type { PlatformSites } from './partners.platform.sites.ts';
import type { ProfileService } from './partners.profile.service.ts';
import { ApplicationInputSchema, ApplicationSchema, AuditSchema, PartnerSchema, SiteObjectSchema, SiteQuery } from './partners.schemas.ts';
import type { PortalUsersService } from './partners.users.service.ts';

/**
 * Password resets per minute from one address, whatever the e-mails asked for: one address cannot
 * go through a list of addresses (or flood one mailbox from several).
 */
const resetRateLimit = (perMinute: number) => ({
  hook: 'preHandler' as const,
  max: perMinute,
  timeWindow: 60_000,
  keyGenerator: (req: { ip: string }) => `reset|${req.ip}`,
  errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many password-reset requests from this address; wait and try again.', Math.ceil(ctx.ttl / 1000)),
});

export interface PlatformDeps {
  applications: ApplicationsService;
  profile: ProfileService;
  users: PortalUsersService;
  sites: PlatformSites;
  tokens: PartnerTokenService;
  auditLog: AuditLog;
  mailer: Mailer;
  signupPerHour: number;
  loginPerMinute: number;
  /** The partner whose white-label host a request came to (null: the platform's own). */
  partnerOfHost(host: string): Promise<number | null>;
}

const Status = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);
const SiteStatus = Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('deleted')]);
const platform = { access: ['platform' as const] };
const secured = { security: [{ bearer: [] }] };

/** Registers sign-up, the platform's partner administration and the portal login. */
export function registerPartnerPlatformRoutes(app: HttpServer, deps: PlatformDeps): void {
  const { applications, profile, users } = deps;
  const actor = (r: FastifyRequest) => actorOf(r.principal, String(r.id));

  app.post(
    '/api/v1/partner-applications',
    {
      config: {
        access: ['public'],
        rateLimit: {
          max: deps.signupPerHour,
          timeWindow: 3600_000,
          errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many applications from this address; try again later.', Math.ceil(ctx.ttl / 1000)),
        },
      },
      schema: {
        tags: ['partner sign-up'],
        summary: 'Apply to become a Parley partner',
        body: ApplicationInputSchema,
        response: { 201: Type.Object({ id: Id, status: Type.Literal('pending') }), ...problems(400, 429) },
      },
    },
    async (r, reply) => {
      const a = await applications.submitApplication(r.body, actor(r));
      return reply.code(201).send({ id: a.id, status: 'pending' as const });
    },
  );

  app.get(
    '/api/v1/platform/partner-applications',
    {
      config: platform,
      schema: {
        tags: ['platform'],
        summary: 'Partner applications, newest first',
        ...secured,
        querystring: Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false }),
        response: { 200: Type.Array(ApplicationSchema), ...problems(401, 403) },
      },
    },
    async (r) => applications.listApplications(r.query.status),
  );

  app.get(
    '/api/v1/platform/partner-applications/:id',
    { config: platform, schema: { tags: ['platform'], summary: 'One application', ...secured, params: Type.Object({ id: Id }), response: { 200: ApplicationSchema, ...problems(401, 403, 404) } } },
    async (r) => applications.getApplication(r.params.id),
  );

  app.post(
    '/api/v1/platform/partner-applications/:id/approve',
    {
      config: platform,
      schema: {
        tags: ['platform'],
        summary: 'Approve: creates the partner, its credentials (shown once) and a portal user with a set-password link',
        ...secured,
        params: Type.Object({ id: Id }),
        body: Type.Optional(Type.Object({ slug: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })) }, { additionalProperties: false })),
        response: {
          200: Type.Object({
            application: ApplicationSchema,
            partner: PartnerSchema,
            credentials: Type.Object({
              apiKey: Type.String({ description: "With the partner's id as client_id: Partner API tokens" }),
              clientId: Type.String(),
              clientSecret: Type.String(),
            }),
            portalUser: Type.Object({ id: Id, email: Type.String(), setPasswordUrl: Type.String() }),
          }),
          ...problems(400, 401, 403, 404, 409),
        },
      },
    },
    async (r) => applications.approve(r.params.id, actor(r), { slug: r.body?.slug }),
  );

  app.post(
    '/api/v1/platform/partner-applications/:id/reject',
    {
      config: platform,
      schema: {
        tags: ['platform'],
        summary: 'Reject with a reason (sent to the applicant)',
        ...secured,
        params: Type.Object({ id: Id }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: ApplicationSchema, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (r) => applications.reject(r.params.id, actor(r), r.body.reason),
  );

  app.get('/api/v1/platform/partners', { config: platform, schema: { tags: ['platform'], summary: 'Every partner', ...secured, response: { 200: Type.Array(PartnerSchema), ...problems(401, 403) } } }, async () =>
    profile.list(),
  );

  app.get(
    '/api/v1/platform/sites',
    {
      config: platform,
      schema: {
        tags: ['platform'],
        summary: "Every partner's sites, newest first, with their partner's name",
        description: 'Without `status`, deleted sites are left out. Page back with `before` (the id of the last site seen).',
        ...secured,
        querystring: Type.Object(
          {
            q: SiteQuery,
            status: Type.Optional(SiteStatus),
            partnerId: Type.Optional(Id),
            before: Type.Optional(Id),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Type.Object({ ...SiteObjectSchema.properties, partnerName: Type.String() })), ...problems(400, 401, 403) },
      },
    },
    async (r) => deps.sites.list({ q: r.query.q, status: r.query.status, partnerId: r.query.partnerId, before: r.query.before, limit: r.query.limit ?? 50 }),
  );

  for (const [path, isActive, summary] of [
    ['suspend', false, "Suspend a partner: its tokens and portal logins stop working; its sites keep running"],
    ['reactivate', true, 'Lift a suspension'],
  ] as const) {
    app.post(
      `/api/v1/platform/partners/:partnerId/${path}`,
      { config: platform, schema: { tags: ['platform'], summary, ...secured, params: Type.Object({ partnerId: Id }), response: { 200: PartnerSchema, ...problems(401, 403, 404) } } },
      async (r) => profile.setActive(r.params.partnerId, actor(r), isActive),
    );
  }

  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    app.post(
      `/api/v1/platform/partners/:partnerId/name/${path}`,
      {
        config: platform,
        schema: { tags: ['platform'], summary: `${approve ? 'Approve' : 'Refuse'} a partner's requested new name`, ...secured, params: Type.Object({ partnerId: Id }), response: { 200: PartnerSchema, ...problems(401, 403, 404, 409) } },
      },
      async (r) => profile.decideName(r.params.partnerId, actor(r), approve),
    );
  }

  app.post(
    '/api/v1/platform/partners/:partnerId/users/:userId/password-link',
    {
      config: platform,
      schema: { tags: ['platform'], summary: 'Send a portal user a new set-password link', ...secured, params: Type.Object({ partnerId: Id, userId: Id }), response: { 200: Type.Object({ setPasswordUrl: Type.String() }), ...problems(401, 403, 404) } },
    },
    async (r) => users.resendPasswordLink(r.params.partnerId, actor(r), r.params.userId),
  );

  app.get(
    '/api/v1/platform/audit',
    {
      config: platform,
      schema: {
        tags: ['platform'],
        summary: 'The audit log, newest first',
        ...secured,
        querystring: Type.Object({ partnerId: Type.Optional(Id), before: Type.Optional(Id), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: { 200: Type.Array(AuditSchema), ...problems(401, 403) },
      },
    },
    async (r) => deps.auditLog.list({ partnerId: r.query.partnerId, before: r.query.before, limit: r.query.limit ?? 100 }),
  );

  app.get(
    '/api/v1/platform/emails',
    {
      config: platform,
      schema: {
        tags: ['platform'],
        summary: 'E-mails in the outbox, newest first (with no mail transport they are kept here)',
        ...secured,
        querystring: Type.Object({ to: Type.Optional(Email), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: {
          200: Type.Array(Type.Object({ id: Id, to: Type.String(), subject: Type.String(), body: Type.String(), status: Type.String(), createdAt: Type.String(), sentAt: Type.Union([Type.String(), Type.Null()]) })),
          ...problems(401, 403),
        },
      },
    },
    async (r) => deps.mailer.list({ to: r.query.to, limit: r.query.limit ?? 100 }),
  );

  // ---- the partner portal's own login ----

  app.post(
    '/api/v1/partner/password',
    {
      config: { access: ['public'], rateLimit: loginRateLimit(deps.loginPerMinute) },
      schema: {
        tags: ['partner portal'],
        summary: "Set a portal user's password with the token of a one-time link",
        body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password: Password }, { additionalProperties: false }),
        response: { 200: Type.Object({ email: Type.String() }), ...problems(400, 401, 429) },
      },
    },
    async (r) => users.setPassword(r.body.token, r.body.password),
  );

  app.post(
    '/api/v1/partner/password-reset',
    {
      config: { access: ['public'], rateLimit: resetRateLimit(deps.loginPerMinute) },
      schema: {
        tags: ['partner portal'],
        summary: 'Forgot the password: e-mail a portal user a new set-password link',
        description:
          "Answers 202 at once, whether or not the address has an account (the look-up runs after the answer, so its time tells nothing either). On a partner's host only that partner's users get the e-mail; a suspended partner's users get none; a user gets at most one link a minute and five a day; the link works for an hour, and only the newest one does.",
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({}), ...problems(400, 429) },
      },
    },
    async (r, reply) => {
      const hostPartnerId = await deps.partnerOfHost(r.host);
      users.requestPasswordResetLater(r.body.email, actor(r), hostPartnerId, (err) => r.log.error({ err }, 'password reset failed'));
      return reply.code(202).send({});
    },
  );

  app.post(
    '/api/v1/partner/login',
    {
      config: { access: ['public'], rateLimit: loginRateLimit(deps.loginPerMinute) },
      schema: {
        tags: ['partner portal'],
        summary: 'Log a partner-portal user in',
        body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ ...TokenResponse.properties, partnerId: Id, userId: Id }), ...problems(400, 401, 429) },
      },
    },
    async (r) => {
      const who = await users.checkPortalLogin(r.body.email, r.body.password, await deps.partnerOfHost(r.host));
      return { ...(await deps.tokens.issuePortal(who.partnerId, who.userId)), ...who };
    },
  );

  app.post(
    '/api/v1/partner/logout',
    { config: { access: ['partner'] }, schema: { tags: ['partner portal'], summary: 'End this portal session', ...secured, response: { 204: Type.Null(), ...problems(401, 403) } } },
    async (r, reply) => {
      const p = r.principal;
      if (p?.kind === 'partner') await deps.tokens.revokeById(p.tokenId);
      return reply.code(204).send(null);
    },
  );
}
