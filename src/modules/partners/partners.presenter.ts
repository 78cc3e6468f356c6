// How partners, applications, OAuth clients and a site's usage figures are shown by the API:
// camelCase views without secrets, with the partner's white-label host and the URLs of its logo
// and theme.
import type { Kysely } from 'kysely';
import { flag } from '../../platform/db/columns.ts';
import { NotFound } from '../../platform/errors.ts';
import { type BrandConfig, brandConfigOf, findPartner } from './partners.repository.ts';
import type { Partner, PartnerApplication, PartnerOauthClient, PartnersTables } from './partners.tables.ts';

export interface ApplicationView {
  id: number;
  status: 'pending' | 'approved' | 'rejected';
  companyName: string;
  contactName: string;
  email: string;
  phone: string | null;
  website: string | null;
  note: string | null;
  reason: string | null;
  partnerId: number | null;
  decidedBy: number | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface PartnerView {
  id: number;
  name: string;
  /** A requested new name, waiting for the platform's approval. */
  pendingName: string | null;
  slug: string;
  contactName: string;
  contactEmail: string;
  phone: string | null;
  isActive: boolean;
  theme: string | null;
  apiKeyPrefix: string | null;
  ipRestrictions: string[];
  clientId: string | null;
  branding: string | null;
  logoUrl: string | null;
  themeCssUrl: string;
  host: string;
  createdAt: string;
  updatedAt: string;
}

export interface OauthClientView {
  id: number;
  clientId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  rotatedAt: string | null;
  revokedAt: string | null;
}

/** What a site holds and has done: its agents, visitors, chats and messages. */
export interface SiteUsage {
  siteId: number;
  agents: number;
  visitors: number;
  chats: { total: number; last30Days: number; open: number };
  messages: number;
}

/** An application as the platform admins see it. */
export function presentApplication(a: PartnerApplication): ApplicationView {
  return {
    id: a.id,
    status: a.status,
    companyName: a.company_name,
    contactName: a.contact_name,
    email: a.email,
    phone: a.phone,
    website: a.website,
    note: a.note,
    reason: a.reason,
    partnerId: a.partner_id,
    decidedBy: a.decided_by,
    decidedAt: a.decided_at,
    createdAt: a.created_at,
  };
}

/** An OAuth client without its secret. */
export function presentClient(c: PartnerOauthClient): OauthClientView {
  return { id: c.id, clientId: c.client_id, name: c.name, scopes: c.scopes.split(' ').filter(Boolean), createdAt: c.created_at, rotatedAt: c.rotated_at, revokedAt: c.revoked_at };
}

/** Where partners are shown: Parley's public URL (logo and theme links) and base domain (hosts). */
export interface PartnerUrls {
  publicUrl: string;
  baseDomain: string;
}

/**
 * The address of a partner's theme stylesheet, versioned by the partner's last change (a theme
 * change touches the partner): a page that links it takes a new theme at once, while browsers and
 * proxies keep caching each version.
 */
export const themeCssUrl = (publicUrl: string, slug: string, updatedAt: string) => `${publicUrl}/brand/${slug}/theme.css?v=${Date.parse(updatedAt).toString(36)}`;

/** A partner's white-label host: `{slug}.{base domain}`. */
export const hostOf = (slug: string, baseDomain: string) => `${slug}.${baseDomain}`;

/** A partner with its brand settings as the API shows it. */
export function shapePartner(p: Partner, config: BrandConfig | undefined, urls: PartnerUrls): PartnerView {
  return {
    id: p.id,
    name: p.name,
    pendingName: p.pending_name,
    slug: p.slug,
    contactName: p.contact_name,
    contactEmail: p.contact_email,
    phone: p.phone,
    isActive: flag(p.is_active),
    theme: p.theme,
    apiKeyPrefix: p.api_key_prefix,
    ipRestrictions: JSON.parse(p.ip_restrictions) as string[],
    clientId: p.client_id,
    branding: config?.branding ?? null,
    logoUrl: config?.logo ? `${urls.publicUrl}/brand/logos/${config.logo}` : null,
    themeCssUrl: themeCssUrl(urls.publicUrl, p.slug, p.updated_at),
    host: hostOf(p.slug, urls.baseDomain),
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  };
}

/** A partner's view, with its brand settings read through `db` (a transaction sees its own changes). */
export async function presentPartner(db: Kysely<PartnersTables>, p: Partner, urls: PartnerUrls): Promise<PartnerView> {
  return shapePartner(p, await brandConfigOf(db, p.id), urls);
}

/** The partner with this id; NotFound when there is none. */
export async function loadPartner(db: Kysely<PartnersTables>, partnerId: number): Promise<Partner> {
  const p = await findPartner(db, partnerId);
  if (!p) throw new NotFound('partner', partnerId);
  return p;
}
