// The Partner API, as the spec defines it: an OAuth token endpoint at /partner/oauth/token and the
// site endpoints at /api/v1/livechat/partner/sites. Back ends only: requests with browser markers
// are refused and no CORS headers are sent. Every call is checked against the partner's IP
// allow-list and counted against the partner's rate limit.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DomainError, Forbidden, TooManyRequests } from '../../platform/errors.ts';
import { Id, problems } from '../../platform/http/schemas.ts';
import type { HttpServer } from '../../platform/http/server.ts';
import { actorOf } from './partners.audit.ts';
import { allowedFrom, OAuthError, type PartnerTokenService } from './partners.oauth.ts';
import { CreatedSiteSchema, NewSiteSchema, SiteObjectSchema, SiteUpdateSchema } from './partners.schemas.ts';
import type { PartnerSites } from './partners.sites.ts';

export interface PartnerApiDeps {
  tokens: PartnerTokenService;
  sites: PartnerSites;
  ratePerMinute: number;
  tokenRatePerMinute: number;
}

const REALM = 'parley-partner-api';
const FORM_LIMIT = 8 * 1024;

const OAuthParams = Type.Object(
  {
    grant_type: Type.Optional(Type.String({ maxLength: 100 })),
    client_id: Type.Optional(Type.String({ maxLength: 200 })),
    client_secret: Type.Optional(Type.String({ maxLength: 200 })),
    scope: Type.Optional(Type.String({ maxLength: 2000 })),
    // RFC 7009
    token: Type.Optional(Type.String({ maxLength: 500 })),
    token_type_hint: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: Type.String({ maxLength: 2000 }), description: 'OAuth parameters; unknown ones are ignored (RFC 6749 §3.1)' },
);
type OAuthParamsT = { grant_type?: string; client_id?: string; client_secret?: string; scope?: string; token?: string };

const OAuthErrorSchema = Type.Object({ error: Type.String(), error_description: Type.Optional(Type.String()) }, { description: 'RFC 6749 §5.2 error' });
const TokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Seconds' }),
  scope: Type.String(),
});

/** Reads HTTP Basic client credentials (RFC 6749 §2.3.1: each part form-urlencoded). */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header || !/^Basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError(401, 'invalid_client', 'The Basic credentials are malformed.');
  try {
    return { id: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')), secret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')) };
  } catch {
    throw new OAuthError(401, 'invalid_client', 'The Basic credentials are malformed.');
  }
}

/** The client's credentials: from Basic or from the parameters, never both (RFC 6749 §2.3). */
function clientCredentials(request: FastifyRequest, params: OAuthParamsT): { id: string | undefined; secret: string | undefined } {
  const basic = basicCredentials(request.headers.authorization);
  if (!basic) return { id: params.client_id, secret: params.client_secret };
  if (params.client_secret !== undefined || (params.client_id !== undefined && params.client_id !== basic.id)) {
    throw new OAuthError(400, 'invalid_request', 'Authenticate the client one way: HTTP Basic or client_id/client_secret, not both.');
  }
  return basic;
}

/** The OAuth error body of any failure on the token and revocation endpoints. */
function oauthError(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  let e: OAuthError;
  if (err instanceof OAuthError) e = err;
  else if (err instanceof TooManyRequests) e = new OAuthError(429, 'slow_down', err.message);
  else if (err instanceof DomainError && err.status === 403) e = new OAuthError(403, 'invalid_request', err.message);
  else if (err instanceof DomainError && err.status === 400) e = new OAuthError(400, 'invalid_request', err.message);
  else if ((err as FastifyError).validation || (err as FastifyError).statusCode === 400 || (err as FastifyError).statusCode === 415) {
    e = new OAuthError(400, 'invalid_request', (err as Error).message);
  } else if ((err as FastifyError).statusCode === 413) e = new OAuthError(413, 'invalid_request', 'The request is too large.');
  else {
    request.log.error({ err }, 'token endpoint failed');
    e = new OAuthError(500, 'server_error', 'Something went wrong on our side.');
  }
  if (e.status === 401) reply.header('www-authenticate', `Basic realm="${REALM}"`);
  return reply.code(e.status).header('cache-control', 'no-store').header('pragma', 'no-cache').send({ error: e.error, error_description: e.message });
}

/** Registers the token endpoints and the site endpoints. */
export function registerPartnerApiRoutes(app: HttpServer, deps: PartnerApiDeps): void {
  const { tokens, sites } = deps;

  // ---- OAuth ----
  void app.register(async (scope: HttpServer) => {
    // RFC 6749 §4.4.2: the token request is a form; JSON and anything else are refused.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_req, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) {
        // RFC 6749 §3.1: parameters must not repeat.
        if (k in out) return done(Object.assign(new Error(`The parameter ${k} is repeated.`), { statusCode: 400 }), undefined);
        out[k] = v;
      }
      done(null, out);
    });
    scope.setErrorHandler(oauthError);

    // Keyed by client id and address: a stranger sending a partner's (guessable) id from elsewhere
    // spends its own budget, not the partner's.
    const clientKey = (r: FastifyRequest) => {
      const p = ((r.body ?? r.query) as OAuthParamsT | undefined) ?? {};
      try {
        return `client:${basicCredentials(r.headers.authorization)?.id ?? p.client_id ?? ''}|${r.ip}`;
      } catch {
        return `ip:${r.ip}`;
      }
    };
    // One budget per client id across the token and revocation endpoints.
    scope.addHook(
      'preHandler',
      scope.rateLimit({
        max: deps.tokenRatePerMinute,
        timeWindow: 60_000,
        keyGenerator: clientKey,
        errorResponseBuilder: (_r: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many token requests; wait and try again.', Math.ceil(ctx.ttl / 1000)),
      }),
    );
    const config = { access: ['public' as const], serverOnly: true };
    const schema = { tags: ['partner api'], response: { 200: TokenSchema, 400: OAuthErrorSchema, 401: OAuthErrorSchema, 403: OAuthErrorSchema, 429: OAuthErrorSchema } };

    const issue = async (request: FastifyRequest, reply: FastifyReply, params: OAuthParamsT) => {
      const client = clientCredentials(request, params);
      const answer = await tokens.issue({ grantType: params.grant_type, clientId: client.id, clientSecret: client.secret, scope: params.scope, ip: request.ip });
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(answer);
    };

    scope.get(
      '/partner/oauth/token',
      { config, schema: { ...schema, summary: "Get an access token (the spec's GET form: parameters in the query)", querystring: OAuthParams } },
      async (request, reply) => issue(request, reply, request.query as OAuthParamsT),
    );
    scope.post(
      '/partner/oauth/token',
      {
        config,
        schema: {
          ...schema,
          summary: 'Get an access token (RFC 6749: form body, client credentials in HTTP Basic or the form)',
          description: "grant_type=client_credentials, or password as an alias taking the same client_id and client_secret. client_id is the partner's id (with its apiKey as client_secret) or an OAuth client's id.",
          body: OAuthParams,
        },
      },
      async (request, reply) => issue(request, reply, request.body as OAuthParamsT),
    );
    scope.post(
      '/partner/oauth/revoke',
      {
        config,
        schema: { tags: ['partner api'], summary: 'Revoke an access token (RFC 7009)', body: OAuthParams, response: { 200: Type.Null(), 400: OAuthErrorSchema, 401: OAuthErrorSchema } },
      },
      async (request, reply) => {
        const params = request.body as OAuthParamsT;
        const creds = clientCredentials(request, params);
        if (!creds.id || !creds.secret) throw new OAuthError(401, 'invalid_client', 'client_id and client_secret are required.');
        const client = await tokens.authenticateClient(creds.id, creds.secret);
        if (!allowedFrom(client.allowList, request.ip)) throw new OAuthError(403, 'unauthorized_client', `Calls from ${request.ip} are not in the partner's IP allow-list.`);
        if (!params.token) throw new OAuthError(400, 'invalid_request', 'token is required.');
        await tokens.revoke(client, params.token);
        return reply.code(200).header('cache-control', 'no-store').send(null);
      },
    );
  });

  // ---- sites ----
  void app.register(
    async (scope: HttpServer) => {
      // RFC 6750 §3: say why a bearer token was refused.
      scope.addHook('onSend', async (request, reply, payload) => {
        const status = reply.statusCode;
        if (status !== 401 && status !== 403 && !(status === 400 && request.principal === null)) return payload;
        const given = request.headers.authorization !== undefined;
        let challenge = `Bearer realm="${REALM}"`;
        if (status === 401 && given) challenge += ', error="invalid_token"';
        if (status === 403 && reply.getHeader('x-parley-insufficient-scope')) challenge += ', error="insufficient_scope", scope="partner-api"';
        if (status === 400 && typeof payload === 'string' && payload.includes('token-in-query')) challenge += ', error="invalid_request"';
        if (status === 401 || challenge.includes('error=')) reply.header('www-authenticate', challenge);
        reply.removeHeader('x-parley-insufficient-scope');
        return payload;
      });
      // The token must carry the Partner API scope, and the caller must be on the allow-list.
      scope.addHook('preHandler', async (request, reply) => {
        const p = request.principal;
        if (p?.kind !== 'partner-api') return;
        if (!p.scopes.includes('partner-api')) {
          reply.header('x-parley-insufficient-scope', '1');
          throw new Forbidden('This token lacks the partner-api scope.', { reason: 'insufficient-scope' });
        }
        if (!allowedFrom(p.allowList, request.ip)) throw new Forbidden(`Calls from ${request.ip} are not in the partner's IP allow-list.`, { reason: 'ip-not-allowed' });
      });

      // One budget per partner across every site route (a per-route limit would multiply it).
      scope.addHook(
        'preHandler',
        scope.rateLimit({
          max: deps.ratePerMinute,
          timeWindow: 60_000,
          keyGenerator: (r: FastifyRequest) => `partner:${r.principal?.kind === 'partner-api' ? r.principal.partnerId : r.ip}`,
          errorResponseBuilder: (_r: unknown, ctx: { ttl: number }) => new TooManyRequests('Too many Partner API calls; wait and try again.', Math.ceil(ctx.ttl / 1000)),
        }),
      );
      const partnerOf = (r: FastifyRequest) => {
        const p = r.principal;
        if (p?.kind !== 'partner-api') throw new Forbidden('This route needs a Partner API token.');
        return p.partnerId;
      };
      const config = { access: ['partner-api' as const], serverOnly: true };
      const base = { tags: ['partner api'], security: [{ bearer: [] }] };
      const errs = problems(400, 401, 403, 404, 429);
      const siteParams = Type.Object({ site_id: Id });
      const actor = (r: FastifyRequest) => actorOf(r.principal, String(r.id));

      scope.get('/sites', { config, schema: { ...base, summary: "The partner's sites", response: { 200: Type.Array(SiteObjectSchema), ...errs } } }, async (r) => sites.list(partnerOf(r)));

      scope.post(
        '/sites',
        {
          config,
          schema: {
            ...base,
            summary: 'Open a site for a customer with its administrator; Idempotency-Key makes a retry return the first answer',
            headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$' })) }),
            body: NewSiteSchema,
            response: { 201: CreatedSiteSchema, ...errs, ...problems(422) },
          },
        },
        async (r, reply) => {
          const created = await sites.create(partnerOf(r), actor(r), r.body, r.headers['idempotency-key']);
          if (created.replayed) reply.header('idempotent-replayed', 'true');
          return reply.code(201).send({ ...created.site, admin: created.admin });
        },
      );

      scope.get('/sites/:site_id', { config, schema: { ...base, summary: 'One site', params: siteParams, response: { 200: SiteObjectSchema, ...errs } } }, async (r) =>
        sites.get(partnerOf(r), r.params.site_id),
      );

      scope.put(
        '/sites/:site_id',
        { config, schema: { ...base, summary: "Change a site's fields (those given)", params: siteParams, body: SiteUpdateSchema, response: { 200: SiteObjectSchema, ...errs, ...problems(409) } } },
        async (r) => sites.update(partnerOf(r), actor(r), r.params.site_id, r.body),
      );

      for (const action of ['disable', 'enable', 'restore'] as const) {
        scope.put(
          `/sites/:site_id/${action}`,
          {
            config,
            schema: {
              ...base,
              summary: { disable: "Close a customer's site: its agents and visitors are refused", enable: 'Open a disabled site again', restore: 'Bring back a deleted site within its grace period' }[action],
              params: siteParams,
              response: { 200: SiteObjectSchema, ...errs, ...problems(409) },
            },
          },
          async (r) => sites[action](partnerOf(r), actor(r), r.params.site_id),
        );
      }

      scope.delete(
        '/sites/:site_id',
        {
          config,
          schema: {
            ...base,
            summary: 'Delete a site: restorable during the grace period, then removed with all its data; permanent=true removes an already deleted site now',
            params: siteParams,
            querystring: Type.Object({ permanent: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
            response: { 200: SiteObjectSchema, 204: Type.Null(), ...errs },
          },
        },
        async (r, reply) => {
          if (!r.query.permanent) return sites.delete(partnerOf(r), actor(r), r.params.site_id);
          await sites.purge(partnerOf(r), actor(r), r.params.site_id);
          return reply.code(204).send(null);
        },
      );
    },
    { prefix: '/api/v1/livechat/partner' },
  );
}
