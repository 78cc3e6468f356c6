// Logging in (agents, platform users), resolving bearer tokens to principals, visitor tokens,
// and the first platform admin.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Executor } from '../../platform/db/database.ts';
import { Conflict, Unauthorized } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import {
  countPlatformUsers,
  findPlatformUserByEmail,
  findSetting,
  findSessionOrigin,
  findToken,
  getOrCreateSetting,
  insertPlatformUser,
  insertToken,
  revokeAgentSessions,
  revokeEarlierAgentSessions,
  revokeSession,
  revokeSiteSessions,
  type SessionStart,
  sessionOf,
} from './identity.repository.ts';
import type { IdentityTables, LoginMethod } from './identity.tables.ts';
import { hashPassword, verifyDecoy, verifyPassword } from './password.ts';
import { newOpaqueToken, signVisitorToken, tokenHash, verifyVisitorToken } from './tokens.ts';

export interface IssuedToken {
  token: string;
  /** ISO-8601 expiry. */
  expiresAt: string;
}

/** A rejected credential; `reason` lets the real-time gateway tell expiry (error 109) apart. */
export class TokenRejected extends Unauthorized {
  readonly reason: 'expired' | 'invalid';
  constructor(reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'The token has expired.' : 'The token is not valid.', { reason });
    this.reason = reason;
  }
}

const BAD_LOGIN = 'Wrong e-mail or password.';
/** How long a browser app's real-time token lives. */
const REALTIME_TOKEN_MS = 15 * 60_000;

/** How a session began; single sign-on sessions remember what a logout request will name. */
export interface SessionOrigin {
  method: LoginMethod;
  partnerId?: number | undefined;
  nameId?: string | undefined;
  sessionIndex?: string | undefined;
  /** Epoch ms after which the identity provider wants the session over. */
  notOnOrAfter?: number | undefined;
}

/** An agent's account as signing in and token checks need it; the agents module keeps them. */
export interface AgentAccount {
  id: number;
  siteId: number;
  partnerId: number;
  role: 'admin' | 'agent';
  passwordHash: string | null;
  /** Not blocked. */
  active: boolean;
  /** Its site may serve agents now. */
  siteOpen: boolean;
  /** Its latest operator-panel session: tokens of earlier sessions no longer work. */
  operatorSessionId: number;
}

/** Where identity finds agents' accounts (the agents module). */
export interface AgentAccounts {
  /** The accounts with this e-mail on every site (an agent may work for several). */
  byEmail(email: string): Promise<AgentAccount[]>;
  find(agentId: number, siteId: number): Promise<AgentAccount | undefined>;
  /** An agent's name and e-mail, whatever its site. */
  profile(agentId: number): Promise<{ name: string; email: string } | undefined>;
}

/** Whether a visitor a token names may still act (the visitors module answers). */
export interface VisitorSubjects {
  /** The visitor of the site, if it exists, is not banned and its site is open. */
  mayAct(visitorId: number, siteId: number): Promise<boolean>;
}

/** An agent session started by a login. */
export interface AgentSession extends IssuedToken {
  sessionId: number;
  agentId: number;
  siteId: number;
}

/** The identity module's door: sign-in, sessions and tokens, server secrets. */
export interface IdentityService {
  /**
   * Logs an agent in; with several sites sharing the e-mail and password, `siteId` picks one. On
   * a partner's white-label host (`partnerId`) only that partner's sites are considered.
   */
  /** `ip`: the caller's address, refused when the site lets its agents in only from others. */
  loginAgent(email: string, password: string, siteId?: number, partnerId?: number | null, ip?: string): Promise<AgentSession>;
  /** Starts a session for an agent someone else has authenticated (an identity provider, the sign-in page's form). */
  startAgentSession(agentId: number, siteId: number, login: SessionOrigin): Promise<AgentSession>;
  /** How the session of a token began (null: not a live agent session). */
  sessionOrigin(principal: Principal): Promise<SessionStart | null>;
  /** Ends every session of an agent (any agent: null), or with `sso` those its identity provider started for a NameID. */
  endAgentSessions(agentId: number | null, sso?: { partnerId: number; nameId: string; sessionIndex?: string | undefined }): Promise<{ agentId: number; sessionId: number }[]>;
  /** Ends every agent session on a site (it stopped serving; enabling it again does not bring them back). */
  endSiteSessions(siteId: number): Promise<{ agentId: number; sessionId: number }[]>;
  /** The CSRF token of a cookie session. */
  csrfToken(sessionToken: string): string;
  /** Whether a presented CSRF token is the session's (constant time). */
  csrfMatches(sessionToken: string, presented: string | undefined): boolean;
  /** Another token of the caller's session (for a real-time refresh). */
  refreshAgentToken(principal: Principal): Promise<IssuedToken & { agentId: number; siteId: number }>;
  /** A short-lived token of the same session, for a browser app's real-time connection. */
  realtimeToken(principal: Principal): Promise<IssuedToken>;
  /** Revokes the agent's tokens of sessions before `sessionId` (a new operator-panel login); returns the sessions ended. */
  revokeEarlierAgentSessions(agentId: number, sessionId: number, ex?: Executor): Promise<number[]>;
  /** Logs a platform user in. */
  loginPlatform(email: string, password: string): Promise<IssuedToken & { userId: number }>;
  /** Resolves an agent or platform token, or a visitor token, to its principal. */
  authenticate(token: string): Promise<Principal & { expiresAt: number }>;
  /** Ends the login session of the token a principal used. */
  logout(principal: Principal, ex?: Executor): Promise<void>;
  /** Says who answers whether a visitor token's visitor may still act (the visitors module, at its creation). */
  answerForVisitors(subjects: VisitorSubjects): void;
  /** A server-wide setting, made by `initial` and stored if no node has yet (race-safe: the first stored wins). */
  serverSetting(key: string, initial: () => Promise<string>): Promise<string>;
  /** An agent's name and e-mail, for the pages of its session. */
  agentProfile(agentId: number): Promise<{ name: string; email: string }>;
  /** A secret for one purpose, derived from the server secret (HMAC-SHA256 of the label). */
  derivedSecret(label: string): string;
  /** Signs a visitor token. */
  issueVisitorToken(siteId: number, visitorId: number): Promise<IssuedToken>;
  /** On an empty database, creates the first platform admin; logs a generated password once. */
  ensureBootstrapAdmin(): Promise<void>;
}

export interface IdentityDeps {
  db: Kysely<IdentityTables>;
  config: Config;
  log: FastifyBaseLogger;
  agents: AgentAccounts;
  /** Whether a site refuses its agents at this address (its IP restrictions). */
  agentAddressRefused?: (siteId: number, ip: string) => Promise<boolean>;
}

/** Identity operations over the database. */
export async function createIdentityService({ db, config, log, agents, agentAddressRefused }: IdentityDeps): Promise<IdentityService> {
  let visitors: VisitorSubjects | undefined;
  const secret = new TextEncoder().encode(
    config.secret ?? (await getOrCreateSetting(db, 'visitor_token_secret', randomBytes(32).toString('hex'))),
  );

  // A login starts a session; a refresh issues another token of the caller's session.
  async function issue(
    kind: 'agent' | 'platform',
    subjectId: number,
    siteId: number | null,
    sessionId: number | null = null,
    login: SessionOrigin = { method: 'password' },
  ): Promise<IssuedToken & { tokenId: number; sessionId: number }> {
    const token = newOpaqueToken(kind === 'agent' ? 'pla' : 'plp');
    const ttlMs = config.agentTokenTtlSeconds * 1000;
    // An IdP may end the session sooner (SAML SessionNotOnOrAfter), never later.
    const until = Math.min(Date.now() + ttlMs, login.notOnOrAfter ?? Number.POSITIVE_INFINITY);
    const expiresAt = new Date(until).toISOString();
    const tokenId = await insertToken(db, {
      token_hash: tokenHash(token),
      subject_kind: kind,
      subject_id: subjectId,
      site_id: siteId,
      expires_at: expiresAt,
      session_id: sessionId,
      login_method: login.method,
      sso_partner_id: login.partnerId ?? null,
      sso_name_id: login.nameId ?? null,
      sso_session_index: login.sessionIndex ?? null,
    });
    return { token, expiresAt, tokenId, sessionId: sessionId ?? tokenId };
  }

  const csrfOf = (sessionToken: string) => createHmac('sha256', secret).update(`csrf:${tokenHash(sessionToken)}`).digest('base64url');

  async function opaquePrincipal(token: string): Promise<Principal & { expiresAt: number }> {
    const row = await findToken(db, tokenHash(token));
    if (!row || row.revoked_at) throw new TokenRejected('invalid');
    if (Date.parse(row.expires_at) <= Date.now()) throw new TokenRejected('expired');
    const expiresAt = Math.floor(Date.parse(row.expires_at) / 1000);
    const sessionId = sessionOf(row);
    if (row.subject_kind === 'platform') return { kind: 'platform', userId: row.subject_id, tokenId: row.id, sessionId, expiresAt };
    const agent = await agents.find(row.subject_id, row.site_id ?? -1);
    if (!agent?.active || !agent.siteOpen) throw new TokenRejected('invalid');
    // A later operator-panel login superseded this session, even if its revocation raced this token.
    if (sessionId < agent.operatorSessionId) throw new TokenRejected('invalid');
    return { kind: 'agent', agentId: agent.id, siteId: row.site_id!, role: agent.role, tokenId: row.id, sessionId, expiresAt };
  }

  async function visitorPrincipal(token: string): Promise<Principal & { expiresAt: number }> {
    const result = await verifyVisitorToken(secret, token);
    if (!result.ok) throw new TokenRejected(result.reason);
    const { visitorId, siteId } = result.claims;
    if (!(await visitors?.mayAct(visitorId, siteId))) throw new TokenRejected('invalid');
    return { kind: 'visitor', visitorId, siteId, expiresAt: result.expiresAt };
  }

  return {
    /**
     * Logs an agent in; with several sites sharing the e-mail and password, `siteId` picks one. On
     * a partner's white-label host (`partnerId`) only that partner's sites are considered.
     */
    async loginAgent(email: string, password: string, siteId?: number, partnerId?: number | null, ip?: string) {
      const found = (await agents.byEmail(email.toLowerCase())).filter(
        (a) => a.active && a.siteOpen && (siteId === undefined || a.siteId === siteId) && (partnerId == null || a.partnerId === partnerId),
      );
      // A site that refuses this address is left out before any password is checked, so the answer
      // (401, as for a wrong password) never tells whether the password was right.
      const candidates = [];
      for (const a of found) {
        if (ip !== undefined && (await agentAddressRefused?.(a.siteId, ip))) log.info({ siteId: a.siteId, agentId: a.id }, 'sign-in refused: the site does not let its agents in from this address');
        else candidates.push(a);
      }
      const matches = [];
      for (const a of candidates) {
        if (a.passwordHash && (await verifyPassword(password, a.passwordHash))) matches.push(a);
      }
      if (candidates.length === 0) await verifyDecoy(password);
      if (matches.length === 0) throw new Unauthorized(BAD_LOGIN);
      if (matches.length > 1) {
        throw new Conflict('This account works for several sites: log in again with a siteId.', {
          siteIds: matches.map((m) => m.siteId),
        });
      }
      const agent = matches[0]!;
      const issued = await issue('agent', agent.id, agent.siteId);
      return { token: issued.token, expiresAt: issued.expiresAt, sessionId: issued.sessionId, agentId: agent.id, siteId: agent.siteId };
    },

    /**
     * Starts a session for an agent someone else has authenticated (an identity provider, or the
     * password form of the sign-in page); the token is new, so a session id planted before the
     * login is never promoted.
     */
    async startAgentSession(agentId: number, siteId: number, login: SessionOrigin) {
      const issued = await issue('agent', agentId, siteId, null, login);
      return { token: issued.token, expiresAt: issued.expiresAt, sessionId: issued.sessionId, agentId, siteId };
    },

    /** How the session of a token began, and what it is (null: not a live agent session). */
    async sessionOrigin(principal: Principal) {
      if (principal.kind !== 'agent') return null;
      return findSessionOrigin(db, principal.sessionId);
    },

    /**
     * Ends every session of an agent, or with `sso` only those a partner's identity provider
     * started for the NameID (and SessionIndex) it names; returns the sessions ended.
     */
    endAgentSessions(agentId: number | null, sso?: { partnerId: number; nameId: string; sessionIndex?: string | undefined }) {
      return revokeAgentSessions(db, agentId, sso);
    },

    endSiteSessions(siteId: number) {
      return revokeSiteSessions(db, siteId);
    },

    /**
     * The CSRF token of a cookie session: an HMAC of the session's token, so it needs no storage,
     * differs per session, and cannot be made without the server secret.
     */
    csrfToken(sessionToken: string): string {
      return csrfOf(sessionToken);
    },

    /** Whether a presented CSRF token is the session's (constant time). */
    csrfMatches(sessionToken: string, presented: string | undefined): boolean {
      if (presented === undefined) return false;
      const expected = Buffer.from(csrfOf(sessionToken));
      const given = Buffer.from(presented);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },

    /** Another token of the caller's session (for a real-time refresh); both work until the session ends. */
    async refreshAgentToken(principal: Principal): Promise<IssuedToken & { agentId: number; siteId: number }> {
      if (principal.kind !== 'agent') throw new Unauthorized('Only agent tokens are refreshed here.');
      // A refresh never outlives the session's first token (an IdP may have cut it short).
      const first = await findSessionOrigin(db, principal.sessionId);
      const issued = await issue('agent', principal.agentId, principal.siteId, principal.sessionId, {
        method: first?.login_method ?? 'password',
        notOnOrAfter: first?.login_method === 'saml' ? Date.parse(first.expires_at) : undefined,
      });
      return { token: issued.token, expiresAt: issued.expiresAt, agentId: principal.agentId, siteId: principal.siteId };
    },

    /**
     * A token of the same session that lives a few minutes: what a browser app's script holds for
     * its real-time connection (it asks again before it runs out), never the session cookie's token.
     */
    async realtimeToken(principal: Principal): Promise<IssuedToken> {
      if (principal.kind !== 'agent') throw new Unauthorized('Only agents get real-time tokens here.');
      const first = await findSessionOrigin(db, principal.sessionId);
      if (!first) throw new Unauthorized('The session has ended.');
      const issued = await issue('agent', principal.agentId, principal.siteId, principal.sessionId, {
        method: first.login_method ?? 'password',
        notOnOrAfter: Math.min(Date.parse(first.expires_at), Date.now() + REALTIME_TOKEN_MS),
      });
      return { token: issued.token, expiresAt: issued.expiresAt };
    },

    /** Revokes the agent's tokens of sessions before `sessionId` (a new operator-panel login); returns the sessions ended. */
    revokeEarlierAgentSessions(agentId: number, sessionId: number, ex?: Executor): Promise<number[]> {
      return revokeEarlierAgentSessions(ex ?? db, agentId, sessionId);
    },

    /** Logs a platform user in. */
    async loginPlatform(email: string, password: string): Promise<IssuedToken & { userId: number }> {
      const user = await findPlatformUserByEmail(db, email.toLowerCase());
      const ok = user ? await verifyPassword(password, user.password_hash) : await verifyDecoy(password);
      if (!user || !ok) throw new Unauthorized(BAD_LOGIN);
      const issued = await issue('platform', user.id, null);
      return { token: issued.token, expiresAt: issued.expiresAt, userId: user.id };
    },

    /** Resolves any bearer token (opaque agent/platform token or visitor JWT) to its principal. */
    async authenticate(token: string): Promise<Principal & { expiresAt: number }> {
      if (token.startsWith('pla_') || token.startsWith('plp_')) return opaquePrincipal(token);
      return visitorPrincipal(token);
    },

    /** Ends the login session of the token a principal used: that token and those refreshed from it. */
    async logout(principal: Principal, ex?: Executor): Promise<void> {
      const on: Kysely<IdentityTables> = ex ?? db;
      if (principal.kind === 'agent') await revokeSession(on, 'agent', principal.agentId, principal.sessionId);
      if (principal.kind === 'platform') await revokeSession(on, 'platform', principal.userId, principal.sessionId);
    },

    /** Says who answers whether a visitor token's visitor may still act (the visitors module, at its creation). */
    answerForVisitors(subjects: VisitorSubjects): void {
      visitors = subjects;
    },

    /** A server-wide setting, made by `initial` and stored if no node has yet (race-safe: the first stored wins). */
    async serverSetting(key: string, initial: () => Promise<string>): Promise<string> {
      return (await findSetting(db, key)) ?? getOrCreateSetting(db, key, await initial());
    },

    /** An agent's name and e-mail, for the pages of its session. */
    async agentProfile(agentId: number): Promise<{ name: string; email: string }> {
      const profile = await agents.profile(agentId);
      if (!profile) throw new Unauthorized('The agent no longer exists.');
      return profile;
    },

    /**
     * A secret for one purpose, derived from the server secret (HMAC-SHA256 of the label), so that
     * no further secret needs storing: e.g. a site's webhook signing secret, rotated by its label.
     */
    derivedSecret(label: string): string {
      return createHmac('sha256', secret).update(label).digest('hex');
    },

    /** Signs a visitor token. */
    async issueVisitorToken(siteId: number, visitorId: number): Promise<IssuedToken> {
      const { token, expiresAt } = await signVisitorToken(secret, { siteId, visitorId }, config.visitorTokenTtlSeconds);
      return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
    },

    /** On an empty database, creates the first platform admin; logs a generated password once. */
    async ensureBootstrapAdmin(): Promise<void> {
      if ((await countPlatformUsers(db)) > 0) return;
      const email = (config.adminEmail ?? 'admin@parley.local').toLowerCase();
      const generated = config.adminPassword === undefined;
      const password = config.adminPassword ?? randomBytes(12).toString('base64url');
      try {
        await insertPlatformUser(db, email, 'Platform admin', await hashPassword(password));
      } catch {
        return; // another node created it first
      }
      if (generated) {
        log.warn({ email, password }, 'created the platform admin with a generated password; it is shown only this once');
      } else {
        log.info({ email }, 'created the platform admin from PARLEY_ADMIN_EMAIL');
      }
    },
  };
}

