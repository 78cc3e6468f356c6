// Tokens of partners: OAuth 2.0 access tokens for the Partner API and site data (RFC 6749
// client credentials, with the spec's `password` grant as an alias), RFC 7009 revocation, and
// partner-portal sessions. Tokens are opaque 256-bit strings; only their SHA-256 is stored.
import type { Kysely } from 'kysely';
import { flag } from '../../platform/db/columns.ts';
import { BadRequest, Forbidden, NotFound } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { AllowList } from '../../platform/net/allow-list.ts';
import { TokenRejected } from '../identity/index.ts';
import type { SiteLifecycle } from '../tenancy/index.ts';
import { apiKeyOf, insertToken, oauthClientForLogin, revokeHeldToken, revokeTokenById, tokenByHash } from './partners.access.repository.ts';
import { grantScopes, parseScopes, reportsAccess, type Scope, siteAccess } from './partners.scopes.ts';
import { isSecretOf, newSecret, secretHash, secretMatches } from './partners.secrets.ts';
import type { PartnersTables } from './partners.tables.ts';

/** An RFC 6749 §5.2 error: the token endpoint answers `{error, error_description}`. */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  constructor(status: number, error: string, description: string) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

export interface TokenRequest {
  grantType: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
  scope: string | undefined;
  /** The caller's address (after trusted proxies). */
  ip: string;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

/** Addresses a partner's allow-list admits; an empty list admits every address. */
export function allowedFrom(allowList: string[], ip: string): boolean {
  return allowList.length === 0 || AllowList.from(allowList).allows(ip);
}

/** An authenticated client: the partner's API key (oauthClientId null) or one of its OAuth clients. */
export interface ClientMatch {
  partnerId: number;
  oauthClientId: number | null;
  allowed: Scope[];
  allowList: string[];
}

const badClient = () => new OAuthError(401, 'invalid_client', 'Client authentication failed.');

/** What the rest of Parley asks of partner tokens: recognising and resolving them. */
export interface PartnerTokens {
  /** Whether a bearer token is a partner's (so that the caller routes it here). */
  owns(token: string): boolean;
  /** Resolves a partner token; refused when expired, revoked, or its partner or user is suspended. */
  authenticate(token: string): Promise<Principal>;
  /**
   * A partner token acting on one of the partner's sites through the native site API: the site
   * named by the Parley-Site-Id header, within the token's site-data scopes and the allow-list.
   */
  siteClient(p: Extract<Principal, { kind: 'partner-api' }>, header: string | undefined, ip: string): Promise<Principal>;
}

/** Partner tokens as the module's own routes use them: issued, revoked, and portal sessions. */
export interface PartnerTokenService extends PartnerTokens {
  /**
   * Authenticates a client: the partner's id with its apiKey (the spec's form), or an OAuth
   * client's id with its secret. Unknown ids and wrong secrets fail alike.
   */
  authenticateClient(clientId: string, secret: string): Promise<ClientMatch>;
  /** The token endpoint's work once the client's credentials are read. */
  issue(req: TokenRequest): Promise<TokenAnswer>;
  /**
   * RFC 7009: revokes a token the authenticated client holds. Unknown tokens, and tokens of other
   * clients, are answered the same way and left alone.
   */
  revoke(client: ClientMatch, token: string): Promise<void>;
  /** A portal session for a partner user. */
  issuePortal(partnerId: number, userId: number): Promise<{ token: string; expiresAt: string }>;
  /** Ends one session or token by its id. */
  revokeById(tokenId: number): Promise<void>;
}

/** Partner tokens over the database. */
export function createPartnerTokens(
  db: Kysely<PartnersTables>,
  sites: Pick<SiteLifecycle, 'isLive'>,
  opts: { accessTokenTtlSeconds: number; portalTokenTtlSeconds: number },
): PartnerTokenService {
  async function authenticateClient(clientId: string, secret: string): Promise<ClientMatch> {
    if (/^[1-9][0-9]{0,15}$/.test(clientId)) {
      const p = await apiKeyOf(db, Number(clientId));
      if (!secretMatches(secret, p?.api_key_hash ?? null) || !p) throw badClient();
      if (!flag(p.is_active)) throw new OAuthError(401, 'invalid_client', 'The partner is suspended.');
      return { partnerId: p.id, oauthClientId: null, allowed: ['partner-api'], allowList: JSON.parse(p.ip_restrictions) as string[] };
    }
    const c = await oauthClientForLogin(db, clientId);
    if (!secretMatches(secret, c?.secret_hash ?? null) || !c || c.revoked_at !== null) throw badClient();
    if (!flag(c.is_active)) throw new OAuthError(401, 'invalid_client', 'The partner is suspended.');
    const scopes = parseScopes(c.scopes);
    return { partnerId: c.partner_id, oauthClientId: c.id, allowed: scopes.ok ? scopes.value : [], allowList: JSON.parse(c.ip_restrictions) as string[] };
  }

  return {
    authenticateClient,

    async issue(req) {
      if (req.grantType === undefined) throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
      if (req.grantType !== 'client_credentials' && req.grantType !== 'password') {
        throw new OAuthError(400, 'unsupported_grant_type', 'Use grant_type=client_credentials (or password, its alias here).');
      }
      if (!req.clientId || !req.clientSecret) throw new OAuthError(401, 'invalid_client', 'client_id and client_secret are required.');
      const client = await authenticateClient(req.clientId, req.clientSecret);
      if (!allowedFrom(client.allowList, req.ip)) {
        throw new OAuthError(403, 'unauthorized_client', `Calls from ${req.ip} are not in the partner's IP allow-list.`);
      }
      const requested = parseScopes(req.scope ?? '');
      if (!requested.ok) throw new OAuthError(400, 'invalid_scope', requested.reason);
      const scopes = grantScopes(client.allowed, requested.value);
      if (!scopes) throw new OAuthError(400, 'invalid_scope', 'The client may not be granted the requested scope.');
      const token = newSecret('accessToken');
      await insertToken(db, {
        token_hash: secretHash(token),
        partner_id: client.partnerId,
        kind: 'oauth',
        oauth_client_id: client.oauthClientId,
        scopes: scopes.join(' '),
        expires_at: new Date(Date.now() + opts.accessTokenTtlSeconds * 1000).toISOString(),
      });
      return { access_token: token, token_type: 'bearer', expires_in: opts.accessTokenTtlSeconds, scope: scopes.join(' ') };
    },

    async revoke(client, token) {
      await revokeHeldToken(db, client, secretHash(token));
    },

    async issuePortal(partnerId, userId) {
      const token = newSecret('portalToken');
      const expiresAt = new Date(Date.now() + opts.portalTokenTtlSeconds * 1000).toISOString();
      await insertToken(db, { token_hash: secretHash(token), partner_id: partnerId, kind: 'portal', user_id: userId, expires_at: expiresAt });
      return { token, expiresAt };
    },

    async revokeById(tokenId) {
      await revokeTokenById(db, tokenId);
    },

    async siteClient(p, header, ip) {
      if (header === undefined || !/^[1-9][0-9]{0,15}$/.test(header)) throw new BadRequest('Name the site with the Parley-Site-Id header.');
      if (!allowedFrom(p.allowList, ip)) throw new Forbidden(`Calls from ${ip} are not in the partner's IP allow-list.`, { reason: 'ip-not-allowed' });
      const siteId = Number(header);
      const access = siteAccess(p.scopes, siteId);
      const reports = reportsAccess(p.scopes, siteId);
      if (access === 'none' && !reports) throw new Forbidden(`This token has no site-data or reports scope for site ${siteId}.`, { reason: 'insufficient-scope' });
      if (!(await sites.isLive(p.partnerId, siteId))) throw new NotFound('site', siteId);
      return { kind: 'site-client', partnerId: p.partnerId, siteId, tokenId: p.tokenId, read: access !== 'none', write: access === 'write', reports };
    },

    owns: (token) => isSecretOf('accessToken', token) || isSecretOf('portalToken', token),

    async authenticate(token) {
      const row = await tokenByHash(db, secretHash(token));
      if (!row || row.revoked_at !== null || !flag(row.is_active) || row.client_revoked_at) throw new TokenRejected('invalid');
      if (Date.parse(row.expires_at) <= Date.now()) throw new TokenRejected('expired');
      // A token issued while its secret was being rotated (checked before, stored after) is as
      // stale as those the rotation revoked.
      const rotatedAt = row.kind === 'oauth' ? (row.oauth_client_id === null ? row.api_key_rotated_at : row.client_rotated_at) : null;
      if (rotatedAt !== null && Date.parse(row.created_at) <= Date.parse(rotatedAt)) throw new TokenRejected('invalid');
      if (row.kind === 'portal') {
        if (row.user_id === null || !row.user_active) throw new TokenRejected('invalid');
        return { kind: 'partner', partnerId: row.partner_id, userId: row.user_id, tokenId: row.id, sessionId: row.id };
      }
      return {
        kind: 'partner-api',
        partnerId: row.partner_id,
        tokenId: row.id,
        oauthClientId: row.oauth_client_id,
        scopes: row.scopes.split(' ').filter(Boolean),
        allowList: JSON.parse(row.ip_restrictions) as string[],
      };
    },
  };
}
