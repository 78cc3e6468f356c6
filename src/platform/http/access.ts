// Every route declares who may call it (`config.access`); this hook enforces the declaration
// before any handler runs. A route with no declaration cannot be registered.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden, Unauthorized } from '../errors.ts';

/** Who may call a route. `site-admin` is an agent whose role is admin; `im` an IM API key. */
export type Access = 'public' | 'agent' | 'site-admin' | 'visitor' | 'platform' | 'im';

/**
 * The authenticated caller, as the identity module resolves it from a bearer token. `sessionId`
 * names the login session the token belongs to (refreshed tokens share their session's).
 */
export type Principal =
  | { kind: 'agent'; agentId: number; siteId: number; role: 'admin' | 'agent'; tokenId: number; sessionId: number }
  | { kind: 'visitor'; visitorId: number; siteId: number }
  | { kind: 'platform'; userId: number; tokenId: number; sessionId: number }
  /** A customer's application, with one of its site's IM API keys. */
  | { kind: 'im'; siteId: number; keyId: number };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type Authenticate = (token: string) => Promise<Principal>;

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new Unauthorized('The Authorization header must be "Bearer <token>".');
  return match[1];
}

async function resolve(request: FastifyRequest, authenticate: Authenticate): Promise<Principal | null> {
  const token = bearer(request);
  return token === undefined ? null : authenticate(token);
}

function allows(access: Access[], p: Principal): boolean {
  return access.some(
    (a) =>
      a === 'public' ||
      a === p.kind ||
      (a === 'site-admin' && p.kind === 'agent' && p.role === 'admin'),
  );
}

/** Installs the route-declaration check and the access hook on the root instance. */
export function installAccessControl(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    const declared = (route.config as { access?: Access[] } | undefined)?.access;
    if (declared && declared.length > 0) return;
    // The bundled docs page is public, and WebSocket routes authenticate with the protocol's own
    // connect command; everything else must say who may call it.
    if (route.url.startsWith('/docs') || (route as { websocket?: boolean }).websocket) {
      route.config = { ...(route.config as object), access: ['public'] };
      return;
    }
    throw new Error(`Route ${String(route.method)} ${route.url} does not declare config.access`);
  });
  // onRequest: callers are checked before their body is read.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // the not-found handler
    if (access.includes('public')) {
      // A public route may still use a caller's identity, but a stale token must not block it.
      request.principal = await resolve(request, authenticate).catch(() => null);
      return;
    }
    request.principal = await resolve(request, authenticate);
    if (!request.principal) throw new Unauthorized('This route needs a bearer token.');
    if (!allows(access, request.principal)) {
      throw new Forbidden(`This route is for ${access.join(' or ')} callers.`);
    }
  });
}
