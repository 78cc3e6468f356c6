// Every partner's sites, as the platform's admins look through them: tenancy finds the sites, and
// each comes with the name of the partner it belongs to.
import type { Kysely } from 'kysely';
import type { SiteSearch, TenancyService } from '../tenancy/index.ts';
import { partnerNames } from './partners.repository.ts';
import { type PartnerSiteView, presentPartnerSite } from './partners.sites.ts';
import type { PartnersTables } from './partners.tables.ts';

/** A site with the name of its partner. */
export interface PlatformSiteView extends PartnerSiteView {
  partnerName: string;
}

/** The platform admins' list of sites. */
export interface PlatformSites {
  /** Sites of every partner (or of one), newest first; `q` matches a company, website or site id. */
  list(search: SiteSearch): Promise<PlatformSiteView[]>;
}

/** The platform's list of sites over tenancy and the partners' names. */
export function createPlatformSites({ db, tenancy }: { db: Kysely<PartnersTables>; tenancy: Pick<TenancyService, 'lifecycle'> }): PlatformSites {
  return {
    async list(search) {
      const sites = await tenancy.lifecycle.search({ ...search, q: search.q?.trim() });
      const names = await partnerNames(db, [...new Set(sites.map((s) => s.partnerId))]);
      return sites.map((s) => ({ ...presentPartnerSite(s), partnerName: names.get(s.partnerId) ?? '' }));
    },
  };
}
