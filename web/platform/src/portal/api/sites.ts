// The partner's customer sites and its audit log, as the portal reads and changes them
// (src/modules/partners/partners.portal.sites.routes.ts and partners.portal.routes.ts; the shapes
// are partners.schemas.ts's SiteObjectSchema, CreatedSiteSchema, UsageSchema and AuditSchema).
// Usage figures and audit entries are the server's own views; a site is written out here because
// the API shows fewer fields than the server's view holds.
import type { AuditEntry, SiteStatus, SiteUsage } from '../../../../shared/api-types.ts';
import { del, get, post, query } from '../../../../console/src/api/http.ts';
import { portalPath } from './base.ts';

export type { AuditEntry, SiteStatus, SiteUsage };

export interface Site {
  id: number;
  partnerId: number;
  company: string;
  companySize: string | null;
  website: string | null;
  phoneNumber: string | null;
  mobilePhone: string | null;
  country: string | null;
  city: string | null;
  ifClose: boolean;
  ifActive: boolean;
  status: SiteStatus;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  /** When a deleted site and all its data are removed for good. */
  purgeAfter: string | null;
}

export interface NewSite {
  company: string;
  website?: string;
  companySize?: string;
  phoneNumber?: string;
  country?: string;
  city?: string;
  admin: { email: string; name?: string; password?: string };
}

/** The answer to opening a site: the site and its administrator (the password only when Parley made it up: shown this once). */
export interface OpenedSite extends Site {
  admin: { id: number; email: string; name: string; password?: string; login: { url: string; siteId: number } };
}

/** The partner's sites, or those deleted and still restorable; `q` is part of a company or website, or a site id. */
export const listSites = (opts: { deleted: boolean; q: string }, signal?: AbortSignal) =>
  get<Site[]>(`${portalPath('/sites')}${query({ deleted: opts.deleted ? 'true' : undefined, q: opts.q.trim() })}`, signal ? { signal } : {});

/**
 * Opens a site with its administrator. The dialog's Idempotency-Key makes a repeated submit answer
 * with the site the first one opened instead of opening another.
 */
export function openSite(site: NewSite, idempotencyKey: string): Promise<OpenedSite> {
  return post<OpenedSite>(portalPath('/sites'), site, { headers: { 'idempotency-key': idempotencyKey } });
}

export const disableSite = (id: number) => post<Site>(portalPath(`/sites/${id}/disable`));
export const enableSite = (id: number) => post<Site>(portalPath(`/sites/${id}/enable`));
/** Deletes a site: it stops at once and can be restored until its purgeAfter. */
export const deleteSite = (id: number) => del<Site>(portalPath(`/sites/${id}`));
export const restoreSite = (id: number) => post<Site>(portalPath(`/sites/${id}/restore`));
export const siteUsage = (id: number) => get<SiteUsage>(portalPath(`/sites/${id}/usage`));

/** A page of the partner's audit log, newest first, older than the entry `before` (null: the newest). */
export const listAudit = (before: number | null, limit: number) => get<AuditEntry[]>(`${portalPath('/audit')}${query({ before, limit })}`);
