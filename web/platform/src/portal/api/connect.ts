// How the partner's pages connect to its own world: custom domains and embed origins
// (src/modules/partners/partners.portal.routes.ts) and agents' single sign-on with a test sign-in
// (src/modules/sso/sso.portal.routes.ts). Shapes as docs/partner-platform.md and docs/sso.md give them.
import type { Domain } from '../../../../shared/api-types.ts';
import { del, get, post, put } from '../../../../console/src/api/http.ts';
import { portalPath } from './base.ts';

/** A custom domain and the TXT record that proves it is the partner's (the server's own view). */
export type { Domain };

export const listDomains = () => get<Domain[]>(portalPath('/domains'));
/** Adds a domain; a name that is not a domain, or one already taken, is a 400 or 409 in the server's words. */
export const addDomain = (host: string) => post<Domain>(portalPath('/domains'), { host });
/** Looks the TXT record up; 409 while it is not found. */
export const verifyDomain = (id: number) => post<Domain>(portalPath(`/domains/${id}/verify`));
export const removeDomain = (id: number) => del<null>(portalPath(`/domains/${id}`));

/** Replaces the embed origins; a bad entry is refused at `origins.{index}` and nothing changes. */
export const getEmbedOrigins = () => get<{ origins: string[] }>(portalPath('/embed-origins'));
export const saveEmbedOrigins = (origins: string[]) => put<{ origins: string[] }>(portalPath('/embed-origins'), { origins });

export type SsoType = 'SAML' | 'JWT';

export interface SsoCertificate {
  fingerprint: string;
  subject: string;
  notAfter: string;
}

export interface SsoSettings {
  saml: { loginUrl: string; logoutUrl: string | null; idpEntityId: string; certificates: SsoCertificate[]; jitProvisioning: boolean } | null;
  jwt: { loginUrl: string; logoutUrl: string | null; jitProvisioning: boolean; secretRotatedAt: string | null } | null;
  primarySSO: SsoType | null;
  /** What the partner's identity provider (and its login page) is told about Parley. */
  serviceProvider: { entityId: string; acsUrl: string; logoutUrl: string; metadataUrl: string; certificate: string; jwtLoginUrl: string; jwtLogoutUrl: string };
}

export interface SamlChange {
  loginUrl: string;
  logoutUrl: string | null;
  idpEntityId: string;
  /** Left out: the certificates held stay. */
  certificates?: string[];
  jitProvisioning: boolean;
}

export interface JwtChange {
  loginUrl: string;
  logoutUrl: string | null;
  jitProvisioning: boolean;
}

export const getSso = () => get<SsoSettings>(portalPath('/sso'));
export const saveSaml = (change: SamlChange) => put<SsoSettings>(portalPath('/sso/saml'), change);
/** The first set-up's answer carries the signing secret, this once. */
export const saveJwt = (change: JwtChange) => put<SsoSettings & { secret?: string }>(portalPath('/sso/jwt'), change);
/** A new signing secret, shown once; the old one stops working at once. */
export const replaceJwtSecret = () => post<{ secret: string; secretRotatedAt: string }>(portalPath('/sso/jwt/secret'));
export const turnOffSso = (type: SsoType) => del<null>(portalPath(`/sso/${type.toLowerCase()}`));
export const setPrimarySso = (type: SsoType) => put<SsoSettings>(portalPath('/sso/primary'), { primarySSO: type });
/** A test sign-in's address (one use, two minutes): it signs nobody in. SAML needs the site whose agents it looks in. */
export const startTestSignIn = (type: SsoType, siteId?: number) => post<{ url: string; expiresAt: string }>(portalPath('/sso/test'), siteId === undefined ? { type } : { type, siteId });

/** The partner's sites, for choosing the one a SAML test looks the person up in. */
export const listSites = () => get<{ id: number; company: string }[]>(portalPath('/sites'));
