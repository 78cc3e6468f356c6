// The partner's credentials and allow-list for the Partner API: its API key, its OAuth clients and
// the addresses the API may be called from (src/modules/partners/partners.portal.routes.ts).
// Answers that carry a secret are handed to the caller as they come and never kept here.
import type { OauthClientView } from '../../../../../src/modules/partners/partners.presenter.ts';
import type { Scope } from '../../../../../src/modules/partners/partners.scopes.ts';
import { del, get, post, put } from '../../../../console/src/api/http.ts';
import type { Partner } from './account.ts';
import { portalPath } from './base.ts';

export type OauthClient = OauthClientView;
export type OauthClientWithSecret = OauthClient & { clientSecret: string };

/**
 * The scopes a client may be given besides `site:{id}` (which limits site data to named sites).
 * The server's own list is src/modules/partners/partners.scopes.ts; the dialog's table of scopes
 * is keyed by this type, so a scope added there must be offered here before the web app compiles.
 */
export type ClientScope = Exclude<Scope, `site:${number}`>;

/** A site as the client dialog offers it for a `site:{id}` scope. */
export interface SiteChoice {
  id: number;
  company: string;
}

/** A new API key (in this answer only) and the partner with its new key prefix. */
export const rotateApiKey = () => post<{ apiKey: string; partner: Partner }>(portalPath('/api-key/rotate'));

/** The partner's OAuth clients, revoked ones included, without their secrets. */
export const listOauthClients = () => get<OauthClient[]>(portalPath('/oauth-clients'));
/** A new client; its secret is in this answer only. */
export const createOauthClient = (input: { name: string; scopes: string[] }) => post<OauthClientWithSecret>(portalPath('/oauth-clients'), input);
/** A new secret for a client (in this answer only); the old one and its tokens stop at once. */
export const rotateOauthSecret = (id: number) => post<OauthClientWithSecret>(portalPath(`/oauth-clients/${id}/rotate-secret`));
/** Revokes a client: it and its tokens stop for good. */
export const revokeOauthClient = (id: number) => del<OauthClient>(portalPath(`/oauth-clients/${id}`));

/** The partner's sites, for limiting a client's site data to some of them. */
export const listSiteChoices = () => get<SiteChoice[]>(portalPath('/sites'));

/** Replaces the allow-list; the answer is the partner with the entries in canonical form. */
export const saveIpRestrictions = (ipRestrictions: string[]) => put<Partner>(portalPath('/ip-restrictions'), { ipRestrictions });
