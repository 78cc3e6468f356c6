// Partners and their customers' sites. Provisioning APIs (partner portal, Partner API) come later
// and call these functions.
import type { Kysely } from 'kysely';
import { BadRequest } from '../../platform/errors.ts';
import { type DB, flag, type Partner, type Site } from '../../platform/db/schema.ts';
import { findPartnerBySlug, findSite, insertPartner, insertSite, type NewPartner, type SiteFields } from './tenancy.repository.ts';

export type { NewPartner, SiteFields };

/** The Site Object of the partner spec, as the API shows it. */
export interface SiteView {
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
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** Shapes a site row for the API. */
export function presentSite(s: Site): SiteView {
  return {
    id: s.id,
    partnerId: s.partner_id,
    company: s.company,
    companySize: s.company_size,
    website: s.website,
    phoneNumber: s.phone_number,
    mobilePhone: s.mobile_phone,
    country: s.country,
    city: s.city,
    ifClose: flag(s.if_close),
    ifActive: flag(s.if_active),
    status: s.status,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
  };
}

/** Whether a site may serve agents and visitors now. */
export function siteIsOpen(s: Pick<Site, 'status' | 'if_active' | 'if_close'>): boolean {
  return s.status === 'active' && flag(s.if_active) && !flag(s.if_close);
}

/** Partner and site operations. */
export function createTenancyService(db: Kysely<DB>) {
  return {
    async createPartner(p: NewPartner): Promise<Partner> {
      if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(p.slug)) {
        throw new BadRequest('A partner slug is 1-63 lower-case letters, digits and inner hyphens.');
      }
      return insertPartner(db, p);
    },
    findPartnerBySlug: (slug: string) => findPartnerBySlug(db, slug),
    createSite: (partnerId: number, f: SiteFields) => insertSite(db, partnerId, f),
    /** The site, or undefined when there is none; a deleted site is none. */
    async findSite(siteId: number): Promise<Site | undefined> {
      const site = await findSite(db, siteId);
      return site?.status === 'deleted' ? undefined : site;
    },
    /** The partner a site belongs to, read through `executor` (a transaction of the caller's, say). */
    async partnerOf(siteId: number, executor: Kysely<DB> = db): Promise<number | null> {
      return (await findSite(executor, siteId))?.partner_id ?? null;
    },
  };
}

export type TenancyService = ReturnType<typeof createTenancyService>;
