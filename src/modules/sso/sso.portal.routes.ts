// A partner's single sign-on settings in the partner portal (and for platform admins, on any
// partner), mounted like the rest of the portal.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { TooManyRequests } from '../../platform/errors.ts';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { actorOf, type PortalMount } from '../partners/index.ts';
import type { SamlServiceProvider } from './sso.saml.ts';
import { MAX_CERTIFICATES, type SsoSettingsStore } from './sso.settings.ts';
import type { SigninTests } from './sso.signin-test.ts';

const Url = Type.String({ minLength: 8, maxLength: 2000, description: 'https URL (plain http only on localhost)' });
const SsoTypeSchema = Type.Union([Type.Literal('SAML'), Type.Literal('JWT')]);
const Certificate = Type.Object({ fingerprint: Type.String({ description: 'SHA-256, hex' }), subject: Type.String(), notAfter: Type.String({ format: 'date-time' }) });

const SettingsSchema = Type.Object({
  saml: Type.Union([
    Type.Object({ loginUrl: Type.String(), logoutUrl: Type.Union([Type.String(), Type.Null()]), idpEntityId: Type.String(), certificates: Type.Array(Certificate), jitProvisioning: Type.Boolean() }),
    Type.Null(),
  ]),
  jwt: Type.Union([
    Type.Object({ loginUrl: Type.String(), logoutUrl: Type.Union([Type.String(), Type.Null()]), jitProvisioning: Type.Boolean(), secretRotatedAt: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  primarySSO: Type.Union([SsoTypeSchema, Type.Null()]),
  serviceProvider: Type.Object(
    {
      entityId: Type.String(),
      acsUrl: Type.String(),
      logoutUrl: Type.String(),
      metadataUrl: Type.String(),
      certificate: Type.String({ description: "PEM of Parley's SAML signing certificate" }),
      jwtLoginUrl: Type.String(),
      jwtLogoutUrl: Type.String(),
    },
    { description: 'What to enter in the identity provider' },
  ),
});

interface Deps {
  settings: SsoSettingsStore;
  saml: SamlServiceProvider;
  /** The origin the partner's agents use: its Parley subdomain when there is a base domain. */
  originOf: (partnerId: number) => Promise<string>;
  /** Test sign-ins' tickets. */
  tests: SigninTests;
  /** Test sign-ins a client address may start per minute. */
  perMinute: number;
}

/** Registers the settings routes under one portal mount. */
export function registerSsoSettingsRoutes(app: HttpServer, deps: Deps, mount: PortalMount): void {
  const { settings, saml } = deps;
  const onPlatform = mount.access[0] === 'platform';
  const params = Type.Object(onPlatform ? { partnerId: Type.Integer({ minimum: 1 }) } : {});
  const base = { tags: [mount.tag], security: [{ bearer: [] }], params };
  const config = { access: mount.access };
  const actor = (r: FastifyRequest) => actorOf(r.principal, String(r.id));

  async function view(partnerId: number, s: Awaited<ReturnType<SsoSettingsStore['get']>>) {
    const origin = await deps.originOf(partnerId);
    return {
      ...s,
      serviceProvider: {
        entityId: saml.entityId(partnerId),
        acsUrl: `${origin}/sso/saml/acs`,
        logoutUrl: `${origin}/sso/saml/logout`,
        metadataUrl: `${origin}/sso/saml/metadata/${partnerId}`,
        certificate: await saml.certificate(),
        jwtLoginUrl: `${origin}/sso/jwt`,
        jwtLogoutUrl: `${origin}/sso/jwt/logout`,
      },
    };
  }

  void app.register(
    async (scope: HttpServer) => {
      scope.get('/sso', { config, schema: { ...base, summary: 'Single sign-on settings', response: { 200: SettingsSchema, ...problems(401, 403, 404) } } }, async (r) => {
        const id = mount.partnerOf(r);
        return view(id, await settings.get(id));
      });

      scope.put(
        '/sso/saml',
        {
          config,
          schema: {
            ...base,
            summary: 'Set up SAML 2.0 sign-on (the certificates given replace those held; left out, they stay)',
            body: Type.Object(
              {
                loginUrl: Url,
                logoutUrl: Type.Optional(Type.Union([Url, Type.Null()])),
                idpEntityId: Type.String({ minLength: 1, maxLength: 1000 }),
                certificates: Type.Optional(Type.Array(Type.String({ minLength: 100, maxLength: 20_000 }), { minItems: 1, maxItems: MAX_CERTIFICATES, description: 'Required at the first set-up; left out later, the ones held stay' })),
                jitProvisioning: Type.Optional(Type.Boolean()),
              },
              { additionalProperties: false },
            ),
            response: { 200: SettingsSchema, ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => {
          const id = mount.partnerOf(r);
          return view(id, await settings.putSaml(id, actor(r), r.body));
        },
      );

      scope.put(
        '/sso/jwt',
        {
          config,
          schema: {
            ...base,
            summary: 'Set up JWT sign-on (the first time, the answer carries the signing secret, once)',
            body: Type.Object(
              { loginUrl: Url, logoutUrl: Type.Optional(Type.Union([Url, Type.Null()])), jitProvisioning: Type.Optional(Type.Boolean()) },
              { additionalProperties: false },
            ),
            response: { 200: Type.Intersect([SettingsSchema, Type.Object({ secret: Type.Optional(Type.String()) })]), ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => {
          const id = mount.partnerOf(r);
          const { secret, ...s } = await settings.putJwt(id, actor(r), r.body);
          return { ...(await view(id, s)), ...(secret ? { secret } : {}) };
        },
      );

      scope.post(
        '/sso/jwt/secret',
        {
          config,
          schema: {
            ...base,
            summary: 'Replace the JWT signing secret (the old one stops working at once)',
            response: { 200: Type.Object({ secret: Type.String(), secretRotatedAt: Type.String({ format: 'date-time' }) }), ...problems(401, 403, 404) },
          },
        },
        async (r) => settings.rotateJwtSecret(mount.partnerOf(r), actor(r)),
      );

      for (const type of ['SAML', 'JWT'] as const) {
        scope.delete(
          `/sso/${type.toLowerCase()}`,
          { config, schema: { ...base, summary: `Turn ${type} sign-on off`, response: { 204: Type.Null(), ...problems(401, 403, 404) } } },
          async (r, reply) => {
            await settings.remove(mount.partnerOf(r), actor(r), type);
            return reply.code(204).send(null);
          },
        );
      }

      // A test sign-in's ticket: each starts a real sign-in at the IdP, so they are rate-limited.
      scope.post(
        '/sso/test',
        {
          config: {
            ...config,
            rateLimit: {
              max: deps.perMinute,
              timeWindow: 60_000,
              keyGenerator: (req: { ip: string }) => `sso-test|${req.ip}`,
              errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many test sign-ins; wait and try again.', Math.ceil(ctx.ttl / 1000)),
            },
          },
          schema: {
            ...base,
            summary: 'Start a test sign-in: an address to open in a new window, which signs nobody in',
            description:
              'The address (one use, two minutes) runs the sign-in of `type` through the partner’s identity provider; when the IdP answers, Parley checks the answer as at a real sign-in and shows what it found (the person, the agent it means) or why it refused, without starting a session, creating or linking an agent. SAML needs `siteId`, the site whose agents the person is looked up in; a JWT names its own site.',
            body: Type.Object({ type: SsoTypeSchema, siteId: Type.Optional(Id) }, { additionalProperties: false }),
            response: { 200: Type.Object({ url: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }), ...problems(400, 401, 403, 404, 409, 429) },
          },
        },
        async (r) => deps.tests.issue(mount.partnerOf(r), r.body.type, r.body.siteId),
      );

      scope.put(
        '/sso/primary',
        {
          config,
          schema: {
            ...base,
            summary: 'Choose where agents who are not signed in are sent when both SAML and JWT are set up',
            body: Type.Object({ primarySSO: SsoTypeSchema }, { additionalProperties: false }),
            response: { 200: SettingsSchema, ...problems(400, 401, 403, 404) },
          },
        },
        async (r) => {
          const id = mount.partnerOf(r);
          return view(id, await settings.setPrimary(id, actor(r), r.body.primarySSO));
        },
      );
    },
    { prefix: mount.prefix },
  );
}
