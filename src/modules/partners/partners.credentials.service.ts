// A partner's credentials for the Partner API and site data: its API key and its OAuth clients,
// each with the scopes it may be granted. Secrets are shown once, when made; only hashes are kept.
import type { Kysely } from 'kysely';
import { BadRequest, Conflict, NotFound } from '../../platform/errors.ts';
import {
  countActiveOauthClients,
  insertOauthClient,
  listOauthClients,
  revokeOauthClient,
  revokeTokens,
  rotateOauthClientSecret,
} from './partners.access.repository.ts';
import type { SiteLifecycle } from '../tenancy/index.ts';
import { type Actor, audit } from './partners.audit.ts';
import { loadPartner, type OauthClientView, type PartnerUrls, type PartnerView, presentClient, presentPartner } from './partners.presenter.ts';
import { updatePartner } from './partners.repository.ts';
import { parseScopes, type Scope } from './partners.scopes.ts';
import { newSecret, secretHash, secretPrefix } from './partners.secrets.ts';
import type { PartnerOauthClient, PartnersTables } from './partners.tables.ts';

const MAX_OAUTH_CLIENTS = 20;

/** A partner's API key and OAuth clients. */
export interface CredentialsService {
  /** A new API key; the old one and the tokens issued to it stop working at once. */
  rotateApiKey(partnerId: number, actor: Actor): Promise<{ apiKey: string; partner: PartnerView }>;
  /** The partner's OAuth clients, revoked ones included. */
  listClients(partnerId: number): Promise<OauthClientView[]>;
  /** A new OAuth client with the scopes it may be granted; its secret is in this answer only. */
  createClient(partnerId: number, actor: Actor, input: { name: string; scopes: string[] }): Promise<OauthClientView & { clientSecret: string }>;
  /** A new secret for a client; the old secret and the client's tokens stop working at once. */
  rotateClientSecret(partnerId: number, actor: Actor, id: number): Promise<OauthClientView & { clientSecret: string }>;
  /** Revokes a client and every token it holds. */
  revokeClient(partnerId: number, actor: Actor, id: number): Promise<OauthClientView>;
}

/** Makes an OAuth client for the partner (in the caller's transaction); returns it with its secret. */
export async function newOauthClient(trx: Kysely<PartnersTables>, partnerId: number, name: string, scopes: Scope[]): Promise<{ row: PartnerOauthClient; secret: string }> {
  const secret = newSecret('clientSecret');
  const row = await insertOauthClient(trx, { partner_id: partnerId, client_id: newSecret('clientId'), secret_hash: secretHash(secret), name, scopes: scopes.join(' ') });
  return { row, secret };
}

/** Every `site:{id}` scope must name a site of the partner. */
async function requireOwnSites(sites: SiteLifecycle, trx: Kysely<PartnersTables>, partnerId: number, scopes: Scope[]): Promise<void> {
  const ids = scopes.flatMap((s) => (s.startsWith('site:') ? [Number(s.slice(5))] : []));
  if (ids.length === 0) return;
  const own = await sites.ownIds(partnerId, ids, trx);
  const missing = ids.find((id) => !own.includes(id));
  if (missing !== undefined) throw new NotFound('site', missing);
}

/** Credentials over the database. */
export function createCredentialsService({ db, urls, sites }: { db: Kysely<PartnersTables>; urls: PartnerUrls; sites: SiteLifecycle }): CredentialsService {
  return {
    async rotateApiKey(partnerId, actor) {
      return db.transaction().execute(async (trx) => {
        await loadPartner(trx, partnerId);
        const apiKey = newSecret('apiKey');
        const after = await updatePartner(trx, partnerId, { api_key_hash: secretHash(apiKey), api_key_prefix: secretPrefix(apiKey), api_key_rotated_at: new Date().toISOString() });
        await revokeTokens(trx, partnerId, { oauthClientId: null });
        await audit(trx, actor, { action: 'partner.apiKeyRotated', partnerId, target: `partner:${partnerId}`, after: { apiKeyPrefix: after.api_key_prefix } });
        return { apiKey, partner: await presentPartner(trx, after, urls) };
      });
    },

    async listClients(partnerId) {
      await loadPartner(db, partnerId);
      return (await listOauthClients(db, partnerId)).map(presentClient);
    },

    async createClient(partnerId, actor, input) {
      const scopes = parseScopes(input.scopes.join(' '));
      if (!scopes.ok) throw new BadRequest(scopes.reason);
      return db.transaction().execute(async (trx) => {
        await loadPartner(trx, partnerId);
        if ((await countActiveOauthClients(trx, partnerId)) >= MAX_OAUTH_CLIENTS) throw new Conflict(`A partner holds at most ${MAX_OAUTH_CLIENTS} active OAuth clients.`);
        await requireOwnSites(sites, trx, partnerId, scopes.value);
        const { row, secret } = await newOauthClient(trx, partnerId, input.name.trim(), scopes.value);
        await audit(trx, actor, { action: 'oauthClient.created', partnerId, target: `oauthClient:${row.id}`, after: presentClient(row) });
        return { ...presentClient(row), clientSecret: secret };
      });
    },

    async rotateClientSecret(partnerId, actor, id) {
      return db.transaction().execute(async (trx) => {
        const secret = newSecret('clientSecret');
        const row = await rotateOauthClientSecret(trx, partnerId, id, secretHash(secret));
        if (!row) throw new NotFound('OAuth client', id);
        await revokeTokens(trx, partnerId, { oauthClientId: id });
        await audit(trx, actor, { action: 'oauthClient.secretRotated', partnerId, target: `oauthClient:${id}` });
        return { ...presentClient(row), clientSecret: secret };
      });
    },

    async revokeClient(partnerId, actor, id) {
      return db.transaction().execute(async (trx) => {
        const row = await revokeOauthClient(trx, partnerId, id);
        if (!row) throw new NotFound('OAuth client', id);
        await revokeTokens(trx, partnerId, { oauthClientId: id });
        await audit(trx, actor, { action: 'oauthClient.revoked', partnerId, target: `oauthClient:${id}` });
        return presentClient(row);
      });
    },
  };
}
