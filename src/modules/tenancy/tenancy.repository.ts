// Partners and sites. Partner-level queries take the partner; site queries take the site.
import type { Kysely } from 'kysely';
import type { DB, Partner, Site } from '../../platform/db/schema.ts';

export interface NewPartner {
  name: string;
  slug: string;
  contactName: string;
  contactEmail: string;
  phone?: string | undefined;
}

export interface SiteFields {
  company: string;
  companySize?: string | undefined;
  website?: string | undefined;
  phoneNumber?: string | undefined;
  mobilePhone?: string | undefined;
  country?: string | undefined;
  city?: string | undefined;
  ifClose?: boolean | undefined;
}

/** Inserts a partner with its (empty) configuration row. */
export async function insertPartner(db: Kysely<DB>, p: NewPartner): Promise<Partner> {
  return db.transaction().execute(async (trx) => {
    const partner = await trx
      .insertInto('partners')
      .values({
        name: p.name,
        slug: p.slug,
        contact_name: p.contactName,
        contact_email: p.contactEmail,
        phone: p.phone ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.insertInto('partner_configs').values({ partner_id: partner.id }).execute();
    return partner;
  });
}

/** Finds a partner by its slug. */
export function findPartnerBySlug(db: Kysely<DB>, slug: string): Promise<Partner | undefined> {
  return db.selectFrom('partners').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** Inserts a site for a partner. */
export function insertSite(db: Kysely<DB>, partnerId: number, f: SiteFields): Promise<Site> {
  return db
    .insertInto('sites')
    .values({
      partner_id: partnerId,
      company: f.company,
      company_size: f.companySize ?? null,
      website: f.website ?? null,
      phone_number: f.phoneNumber ?? null,
      mobile_phone: f.mobilePhone ?? null,
      country: f.country ?? null,
      city: f.city ?? null,
      if_close: f.ifClose ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Finds a site by id. */
export function findSite(db: Kysely<DB>, siteId: number): Promise<Site | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
}
