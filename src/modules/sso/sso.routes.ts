// Single sign-on in the browser: the apps' sign-in gate (sso.apps.routes.ts), the password form,
// SAML (ACS, metadata, logout both ways), JWT (sign-in, logout), Parley's own logout; and for apps,
// the session and the JWT exchange.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Forbidden, TooManyRequests, Unauthorized } from '../../platform/errors.ts';
import { readCookie } from '../../platform/http/access.ts';
import { errorToProblem } from '../../platform/http/problem.ts';
import { Email, Id, } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import type { IdentityService } from '../identity/index.ts';
import { JWT_MAX_LENGTH } from './sso.jwt.ts';
import type { OriginPolicy } from './sso.origins.ts';
import { type AppPagesDeps, registerAppPages } from './sso.apps.routes.ts';
import { errorPage, loginPage, sendPage, signedOutPage } from './sso.pages.ts';
import { MAX_SAML_POST_BYTES } from './sso.saml.messages.ts';
import type { SamlServiceProvider } from './sso.saml.ts';
import type { SignInOutcome, SsoService } from './sso.service.ts';
import { type SigninTests, testResultPage } from './sso.signin-test.ts';
import { registerSigninTestRoutes } from './sso.signin-test.routes.ts';
import { arrivalCheck, cookieHeader, type OnLogout, putSession, SESSION_COOKIE } from './sso.cookie.ts';
import type { SsoSettingsStore } from './sso.settings.ts';


interface Deps {
  sso: SsoService;
  saml: SamlServiceProvider;
  settings: SsoSettingsStore;
  identity: IdentityService;
  /** The partner whose white-label host a request came to (null: none). */
  partnerOfHost(host: string): Promise<number | null>;
  origins: OriginPolicy;
  publicUrl: string;
  /** Sign-in attempts per address and minute. */
  perMinute: number;
  onLogout: OnLogout;
  /** An app's page (the console, the control panel) with the server's values put in. */
  appHtml: AppPagesDeps['appHtml'];
  /** The brand of a partner, shown on its sites' pages. */
  brandOf: AppPagesDeps['brandOf'];
  /** Test sign-ins started from the partner portal. */
  tests: SigninTests;
}

const FORM_LIMIT = MAX_SAML_POST_BYTES + 16 * 1024;
const formCsrf = (body: unknown) => {
  const v = (body as { _csrf?: unknown } | null | undefined)?._csrf;
  return typeof v === 'string' && v.length <= 200 ? v : undefined;
};
const Str = (max: number) => Type.String({ maxLength: max });

/** Registers the browser sign-in routes and the session API. */
export function registerSsoRoutes(app: HttpServer, deps: Deps): void {
  const { sso, saml, settings, identity, origins } = deps;
  const rateLimit = {
    max: deps.perMinute,
    timeWindow: 60_000,
    keyGenerator: (req: { ip: string }) => `sso|${req.ip}`,
    errorResponseBuilder: (_req: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many sign-in attempts; wait and try again.', Math.ceil(ctx.ttl / 1000)),
  };

  const arrival = arrivalCheck(deps.partnerOfHost, deps.publicUrl);
  const platformOrigin = new URL(deps.publicUrl).origin;

  // A new session replaces whatever session the browser had (the id is never reused).
  async function startSession(request: FastifyRequest, reply: FastifyReply, s: { token: string; expiresAt: string }, to: string) {
    await putSession(identity, deps.onLogout, request, reply, s);
    return reply.redirect(to, 303);
  }

  // A sign-in's answer: a session, or a test sign-in's result page (no session, no cookie).
  function finish(request: FastifyRequest, reply: FastifyReply, out: SignInOutcome) {
    if (out.kind === 'test') return sendPage(reply.header('cache-control', 'no-store'), testResultPage(out.result));
    return startSession(request, reply, out.session, out.returnTo);
  }

  void app.register(async (scope: HttpServer) => {
    // Forms from browsers and identity providers.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    // These are pages: failures are pages too, never a session.
    scope.setErrorHandler((err, request, reply) => {
      const p = errorToProblem(err, request);
      if (p.status >= 500) request.log.error({ err }, 'sign-in page failed');
      else request.log.info({ reason: p.slug, detail: p.detail }, 'sign-in refused');
      return sendPage(reply, errorPage(p.status, p.status >= 500 ? 'The server could not complete the sign-in.' : p.detail));
    });

    const page = { hide: true } as const;

    // The console and the control panel, at all their addresses.
    registerAppPages(scope, { sso, settings, identity, origins, arrival, platformOrigin, rateLimit, appHtml: deps.appHtml, brandOf: deps.brandOf });

    // Test sign-in from the partner portal: its start and the JWT test's return address.
    registerSigninTestRoutes(scope, { tests: deps.tests, arrival, rateLimit });

    // Starts a partner's sign-in explicitly.
    scope.get(
      '/sso/login',
      { config: { access: ['public'], rateLimit }, schema: { ...page, querystring: Type.Object({ siteId: Id, return_to: Type.Optional(Str(2000)) }) } },
      async (request, reply) => {
        const here = await arrival(request);
        const back = request.query.return_to ?? `/console?siteId=${request.query.siteId}`;
        const sign = await sso.signInUrl(request.query.siteId, here, back);
        if (!sign) return reply.redirect(`/login?siteId=${request.query.siteId}&return_to=${encodeURIComponent(back)}`, 302);
        return reply.redirect(sign.url, 302);
      },
    );

    scope.get(
      '/login',
      {
        config: { access: ['public'] },
        schema: { ...page, querystring: Type.Object({ siteId: Type.Optional(Id), return_to: Type.Optional(Str(2000)), signed_out: Type.Optional(Str(10)) }) },
      },
      async (request, reply) => sendPage(reply, loginPage({ siteId: request.query.siteId, returnTo: request.query.return_to, signedOut: request.query.signed_out !== undefined })),
    );

    scope.post(
      '/login',
      {
        config: { access: ['public'], rateLimit },
        schema: {
          ...page,
          body: Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }), siteId: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })), return_to: Type.Optional(Str(2000)) }),
        },
      },
      async (request, reply) => {
        // A login form posted from another site would sign the browser in to the attacker's account.
        const site = request.headers['sec-fetch-site'];
        const here = await arrival(request);
        if ((site !== undefined && site !== 'same-origin') || (request.headers.origin !== undefined && request.headers.origin !== here.origin)) {
          throw new Forbidden('The sign-in form must be sent from this site.', { reason: 'cross-site-login' });
        }
        const siteId = request.body.siteId === undefined ? undefined : Number(request.body.siteId);
        let session: Awaited<ReturnType<IdentityService['loginAgent']>>;
        try {
          session = await identity.loginAgent(request.body.email, request.body.password, siteId, here.hostPartnerId, request.ip);
        } catch (err) {
          if (err instanceof Unauthorized || (err as { status?: number }).status === 409) {
            return sendPage(reply, loginPage({ siteId, returnTo: request.body.return_to, error: (err as Error).message }));
          }
          throw err;
        }
        const partnerId = (await sso.site(session.siteId, { origin: here.origin, hostPartnerId: null })).partner_id;
        const to = await sso.checkReturnTo(request.body.return_to ?? `/console?siteId=${session.siteId}`, partnerId, here);
        return startSession(request, reply, session, to);
      },
    );

    // SAML: the IdP posts the Response here.
    scope.post(
      '/sso/saml/acs',
      { config: { access: ['public'], rateLimit }, bodyLimit: FORM_LIMIT, schema: { ...page, body: Type.Object({ SAMLResponse: Type.String({ minLength: 1 }), RelayState: Type.Optional(Str(2000)) }) } },
      async (request, reply) => {
        const here = await arrival(request);
        return finish(request, reply, await sso.samlLogin(request.body.SAMLResponse, request.body.RelayState, here));
      },
    );

    scope.get(
      '/sso/saml/metadata/:partnerId',
      { config: { access: ['public'] }, schema: { ...page, params: Type.Object({ partnerId: Id }) } },
      async (request, reply) => {
        const config = await settings.saml(request.params.partnerId);
        if (!config) return sendPage(reply, errorPage(404, 'This partner does not use SAML sign-on.'));
        const xml = await saml.metadata(config, (await arrival(request)).origin);
        return reply.header('content-type', 'application/samlmetadata+xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(xml);
      },
    );

    // SAML single logout from the IdP: redirect binding (signed query) or POST binding (signed XML).
    // A LogoutResponse (the end of a logout Parley started) just shows that the agent is out.
    const logoutQuery = Type.Object({
      SAMLRequest: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_SAML_POST_BYTES })),
      SAMLResponse: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_SAML_POST_BYTES })),
      RelayState: Type.Optional(Str(2000)),
      SigAlg: Type.Optional(Str(200)),
      Signature: Type.Optional(Str(4096)),
    });
    scope.get('/sso/saml/logout', { config: { access: ['public'], rateLimit }, schema: { ...page, querystring: logoutQuery } }, async (request, reply) => {
      const q = request.query;
      if (!q.SAMLRequest) return sendPage(reply, signedOutPage());
      const raw = request.url.slice(request.url.indexOf('?') + 1);
      const query = { SAMLRequest: q.SAMLRequest, RelayState: q.RelayState, SigAlg: q.SigAlg, Signature: q.Signature };
      const out = await sso.samlLogout({ query, rawQuery: raw }, q.RelayState ?? '', await arrival(request));
      return out.redirect ? reply.redirect(out.redirect, 302) : sendPage(reply, signedOutPage());
    });
    scope.post(
      '/sso/saml/logout',
      { config: { access: ['public'], rateLimit }, bodyLimit: FORM_LIMIT, schema: { ...page, body: logoutQuery } },
      async (request, reply) => {
        if (!request.body.SAMLRequest) return sendPage(reply, signedOutPage());
        const out = await sso.samlLogout({ posted: request.body.SAMLRequest }, request.body.RelayState ?? '', await arrival(request));
        return out.redirect ? reply.redirect(out.redirect, 302) : sendPage(reply, signedOutPage());
      },
    );

    // JWT: the partner's login page sends the agent here (GET as the spec has it; POST keeps the
    // token out of URLs and logs).
    const jwtParams = Type.Object({ jwt: Type.String({ minLength: 1, maxLength: JWT_MAX_LENGTH }), return_to: Type.Optional(Str(2000)) });
    const jwtLogin = async (request: FastifyRequest, reply: FastifyReply, p: { jwt: string; return_to?: string | undefined }) =>
      finish(request, reply, await sso.jwtLogin(p.jwt, p.return_to, await arrival(request)));
    scope.get('/sso/jwt', { config: { access: ['public'], rateLimit }, schema: { ...page, querystring: jwtParams } }, (request, reply) => jwtLogin(request, reply, request.query));
    scope.post('/sso/jwt', { config: { access: ['public'], rateLimit }, schema: { ...page, body: jwtParams } }, (request, reply) => jwtLogin(request, reply, request.body));

    const jwtLogout = async (request: FastifyRequest, reply: FastifyReply, p: { jwt: string; return_to?: string | undefined }) => {
      const out = await sso.jwtLogout(p.jwt, p.return_to, await arrival(request));
      return out.returnTo ? reply.redirect(out.returnTo, 303) : sendPage(reply, signedOutPage());
    };
    scope.get('/sso/jwt/logout', { config: { access: ['public'], rateLimit }, schema: { ...page, querystring: jwtParams } }, (request, reply) => jwtLogout(request, reply, request.query));
    scope.post('/sso/jwt/logout', { config: { access: ['public'], rateLimit }, schema: { ...page, body: jwtParams } }, (request, reply) => jwtLogout(request, reply, request.body));

    // Parley's own logout, from the console's form: the CSRF token comes as a form field.
    scope.post(
      '/sso/logout',
      // The form's only field is checked here: a body is optional (the token may come as a header).
      { config: { access: ['public'] }, schema: page },
      async (request, reply) => {
        const token = readCookie(request, SESSION_COOKIE);
        if (token && !identity.csrfMatches(token, formCsrf(request.body) ?? (request.headers['x-csrf-token'] as string | undefined))) {
          throw new Forbidden('The CSRF token is missing or does not belong to this session.', { reason: 'csrf' });
        }
        const out = token ? await sso.logout(token, await arrival(request)) : { redirect: null };
        reply.header('set-cookie', cookieHeader('', 0));
        return out.redirect ? reply.redirect(out.redirect, 303) : reply.redirect('/login?signed_out=1', 303);
      },
    );
  });
}
