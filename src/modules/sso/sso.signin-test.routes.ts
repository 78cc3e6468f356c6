// The browser's side of a test sign-in (sso.signin-test.ts): the ticket's address, which sends the
// browser on to the partner's identity provider, and the JWT test's return address when a login
// page comes straight back to it without a token. Registered inside the sign-in routes' scope:
// rate-limited like them, failures are pages, and no page may be framed.
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.ts';
import { noTokenPage, type SigninTests, TEST_RESULT_PATH } from './sso.signin-test.ts';
import { sendPage } from './sso.pages.ts';
import type { Arrival } from './sso.service.ts';

interface Deps {
  tests: SigninTests;
  arrival(request: FastifyRequest): Promise<Arrival>;
  rateLimit: object;
}

const Sealed = Type.String({ minLength: 1, maxLength: 1000 });

/** Registers the test sign-in's pages. */
export function registerSigninTestRoutes(scope: HttpServer, { tests, arrival, rateLimit }: Deps): void {
  const config = { access: ['public' as const], rateLimit };

  scope.get('/sso/test', { config, schema: { hide: true, querystring: Type.Object({ ticket: Sealed }) } }, async (request, reply) => {
    const to = await tests.start(request.query.ticket, await arrival(request));
    // The ticket stays here: the IdP sees no Referer.
    return reply.header('referrer-policy', 'no-referrer').header('cache-control', 'no-store').redirect(to, 302);
  });

  scope.get(TEST_RESULT_PATH, { config, schema: { hide: true, querystring: Type.Object({ marker: Sealed }) } }, async (request, reply) => {
    const marker = tests.peekReturn(request.query.marker, await arrival(request));
    return sendPage(reply.header('cache-control', 'no-store'), noTokenPage(marker.origin));
  });
}
