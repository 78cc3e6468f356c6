// The Fastify instance every module registers its routes on: request ids, problem+json errors,
// schemas → OpenAPI 3.1 at /openapi.json and a docs page at /docs.
import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import { Type } from 'typebox';
import { type Authenticate, type CookieSessions, installAccessControl, type IpGate, type PermissionResolver, type SiteClientResolver } from './access.ts';
import { cachedSerializers } from './compile-cache.ts';
import { buildValidator } from './validation.ts';
import { errorToProblem, ProblemSchema, sendProblem } from './problem.ts';

export type HttpServer = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpServerOptions {
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  publicUrl: string;
  version: string;
  authenticate: Authenticate;
  /** Lets partner tokens with site-data scopes act on a site. */
  siteClient?: SiteClientResolver;
  /** Agents' browser sessions in a cookie (with CSRF tokens). */
  sessions?: CookieSessions;
  /** What an agent may do, for routes that name a permission. */
  permissions?: PermissionResolver;
  /** Sites' IP restrictions. */
  ipGate?: IpGate;
  /** Proxies whose X-Forwarded-* headers are believed; none by default. */
  trustedProxies: string[];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Creates the HTTP server with Parley's cross-cutting behaviour; modules add routes to it. */
export async function createHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: opts.bodyLimitBytes,
    // A caller's request id is kept when it is safe to log; otherwise we mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // request.ip and request.host come from X-Forwarded-* only when the peer is one of these.
    trustProxy: opts.trustedProxies.length > 0 ? opts.trustedProxies : false,
    schemaController: { compilersFactory: { buildValidator, buildSerializer: cachedSerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // First hook of all, so that even a request refused by access control carries its id.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // API answers may carry secrets (new keys, tokens, generated passwords): no cache keeps them
  // unless a route says otherwise (the brand routes do).
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
  installAccessControl(app, opts.authenticate, opts.siteClient, opts.sessions, opts.permissions, opts.ipGate);
  // A request without a body, to a route whose body has no required field, means an empty object
  // (POST …/end with nothing to add); a route that needs fields still says which are missing.
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined && request.body !== null) return;
    const body = (request.routeOptions.schema as { body?: { type?: string; required?: string[] } } | undefined)?.body;
    if (body?.type === 'object' && !body.required?.length) request.body = {};
  });
  app.addSchema(ProblemSchema);

  app.setErrorHandler((err, request, reply) => sendProblem(request, reply, errorToProblem(err, request)));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, { slug: 'route-not-found', status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}` }),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley API',
        version: opts.version,
        description:
          'Native API of Parley. Errors are RFC 9457 problem+json documents; see docs/errors.md for every problem type.',
      },
      servers: [{ url: opts.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Agent, platform or visitor token' },
          imKey: { type: 'http', scheme: 'bearer', description: "One of the site's IM API keys (pim_…), for /im and /im_sessions" },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get(
    '/openapi.json',
    {
      config: { access: ['public'] },
      schema: { hide: true, response: { 200: Type.Object({ openapi: Type.String() }, { additionalProperties: true }) } },
    },
    async () => app.swagger() as unknown as { openapi: string },
  );

  return app;
}
