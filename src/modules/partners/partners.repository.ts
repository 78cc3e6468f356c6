// Partners, their brand settings and theme, and the applications that became them. Every query
// takes the partner (or, for an application not yet decided, the application).
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Partner, PartnerApplication, PartnerApplicationsTable, PartnersTable, PartnersTables } from './partners.tables.ts';

type Db = Kysely<PartnersTables> | Transaction<PartnersTables>;

/** A partner's brand settings (partner_configs). */
export interface BrandConfig {
  branding: string | null;
  logo: string | null;
}

/** One theme token of a partner, as stored. */
export interface ThemeRow {
  css_key: string;
  css_value: string;
}

// ---- partners --------------------------------------------------------------------------------

/** The partner with this id. */
export function findPartner(db: Db, partnerId: number): Promise<Partner | undefined> {
  return db.selectFrom('partners').selectAll().where('id', '=', partnerId).executeTakeFirst();
}

/** The partner with this slug. */
export function findPartnerBySlug(db: Db, slug: string): Promise<Partner | undefined> {
  return db.selectFrom('partners').selectAll().where('slug', '=', slug).executeTakeFirst();
}

/** The id of the partner with this slug. */
export async function partnerIdOfSlug(db: Db, slug: string): Promise<number | undefined> {
  return (await db.selectFrom('partners').select('id').where('slug', '=', slug).executeTakeFirst())?.id;
}

/** Whether a partner of this id exists. */
export async function partnerExists(db: Db, partnerId: number): Promise<boolean> {
  return (await db.selectFrom('partners').select('id').where('id', '=', partnerId).executeTakeFirst()) !== undefined;
}

/** Every partner, oldest first. */
export function listPartners(db: Db): Promise<Partner[]> {
  return db.selectFrom('partners').selectAll().orderBy('id').execute();
}

/** The names of the partners with these ids (those that exist). */
export async function partnerNames(db: Db, partnerIds: number[]): Promise<Map<number, string>> {
  if (partnerIds.length === 0) return new Map();
  const rows = await db.selectFrom('partners').select(['id', 'name']).where('id', 'in', partnerIds).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Adds a partner with its empty brand settings; run it in a transaction. */
export async function insertPartner(db: Db, values: Insertable<PartnersTable>): Promise<Partner> {
  const partner = await db.insertInto('partners').values(values).returningAll().executeTakeFirstOrThrow();
  await db.insertInto('partner_configs').values({ partner_id: partner.id }).execute();
  return partner;
}

/** Changes a partner's columns (and its updated_at); returns it as it is now. */
export function updatePartner(db: Db, partnerId: number, set: Updateable<PartnersTable>): Promise<Partner> {
  return db
    .updateTable('partners')
    .set({ ...set, updated_at: new Date().toISOString() })
    .where('id', '=', partnerId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Marks a partner as changed (its theme, which lives in another table, changed). */
export async function touchPartner(db: Db, partnerId: number): Promise<void> {
  await db.updateTable('partners').set({ updated_at: new Date().toISOString() }).where('id', '=', partnerId).execute();
}

// ---- brand settings and theme ----------------------------------------------------------------

/** A partner's branding text and logo file. */
export function brandConfigOf(db: Db, partnerId: number): Promise<BrandConfig | undefined> {
  return db.selectFrom('partner_configs').select(['branding', 'logo']).where('partner_id', '=', partnerId).executeTakeFirst();
}

/** Every partner's branding text and logo file. */
export function listBrandConfigs(db: Db): Promise<(BrandConfig & { partner_id: number })[]> {
  return db.selectFrom('partner_configs').select(['partner_id', 'branding', 'logo']).execute();
}

/** Changes a partner's branding text or logo file. */
export async function updateBrandConfig(db: Db, partnerId: number, set: Partial<BrandConfig>): Promise<void> {
  await db
    .updateTable('partner_configs')
    .set({ ...set, updated_at: new Date().toISOString() })
    .where('partner_id', '=', partnerId)
    .execute();
}

/** The partner with its brand settings (a partner without them has nulls). */
export function brandOf(db: Db, partnerId: number) {
  return db
    .selectFrom('partners as p')
    .leftJoin('partner_configs as c', 'c.partner_id', 'p.id')
    .select(['p.id', 'p.slug', 'p.name', 'p.updated_at', 'c.branding', 'c.logo'])
    .where('p.id', '=', partnerId)
    .executeTakeFirst();
}

/** A partner's theme tokens as stored. */
export function themeOf(db: Db, partnerId: number): Promise<ThemeRow[]> {
  return db.selectFrom('partner_themes').select(['css_key', 'css_value']).where('partner_id', '=', partnerId).execute();
}

/** A partner's theme tokens ordered by key (in the database's collation), as the portal shows them. */
export function themeByKey(db: Db, partnerId: number): Promise<ThemeRow[]> {
  return db.selectFrom('partner_themes').select(['css_key', 'css_value']).where('partner_id', '=', partnerId).orderBy('css_key').execute();
}

/** Replaces a partner's theme tokens; run it in a transaction. */
export async function replaceTheme(db: Db, partnerId: number, pairs: { cssKey: string; cssValue: string }[]): Promise<void> {
  await db.deleteFrom('partner_themes').where('partner_id', '=', partnerId).execute();
  if (pairs.length > 0) {
    await db.insertInto('partner_themes').values(pairs.map((p) => ({ partner_id: partnerId, css_key: p.cssKey, css_value: p.cssValue }))).execute();
  }
}

// ---- applications ----------------------------------------------------------------------------

/** Stores a new (pending) application. */
export function insertApplication(db: Db, values: Insertable<PartnerApplicationsTable>): Promise<PartnerApplication> {
  return db.insertInto('partner_applications').values(values).returningAll().executeTakeFirstOrThrow();
}

/** The newest 500 applications, optionally of one status. */
export function listApplications(db: Db, status?: 'pending' | 'approved' | 'rejected'): Promise<PartnerApplication[]> {
  let q = db.selectFrom('partner_applications').selectAll().orderBy('id', 'desc').limit(500);
  if (status) q = q.where('status', '=', status);
  return q.execute();
}

/** The application with this id. */
export function findApplication(db: Db, id: number): Promise<PartnerApplication | undefined> {
  return db.selectFrom('partner_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Decides a pending application; undefined when it is not pending (any more). */
export function decideApplication(db: Db, id: number, set: Updateable<PartnerApplicationsTable>): Promise<PartnerApplication | undefined> {
  return db.updateTable('partner_applications').set(set).where('id', '=', id).where('status', '=', 'pending').returningAll().executeTakeFirst();
}
