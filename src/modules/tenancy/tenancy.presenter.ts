// How sites are shown, and whether one serves.
import { flag } from '../../platform/db/columns.ts';
import type { Site } from './tenancy.tables.ts';

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
  /** IANA time zone name. */
  timeZone: string | null;
  /** en, zh-CN, zh-TW or ru. */
  language: string | null;
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
    timeZone: s.time_zone,
    language: s.language,
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
