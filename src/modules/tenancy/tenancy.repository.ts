// Sites and their settings. Every query takes the site (or, to create one, its partner), but for
// the platform admins' search of every partner's sites.
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import type { RoutingRule, Site, SiteSettings, SiteStatus, SitesTable, TenancyTables } from './tenancy.tables.ts';

type Db = Kysely<TenancyTables>;

export interface SiteFields {
  company: string;
  companySize?: string | null | undefined;
  website?: string | null | undefined;
  phoneNumber?: string | null | undefined;
  mobilePhone?: string | null | undefined;
  country?: string | null | undefined;
  city?: string | null | undefined;
  timeZone?: string | null | undefined;
  language?: string | null | undefined;
  ifClose?: boolean | undefined;
}

/** Inserts a site for a partner. */
export function insertSite(db: Db, partnerId: number, f: SiteFields): Promise<Site> {
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
      time_zone: f.timeZone ?? null,
      language: f.language ?? null,
      if_close: f.ifClose ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Finds a site by id. */
export function findSite(db: Db, siteId: number): Promise<Site | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', siteId).executeTakeFirst();
}

/** The sites with these ids that exist. */
export function findSites(db: Db, siteIds: number[]): Promise<Site[]> {
  if (siteIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('sites').selectAll().where('id', 'in', siteIds).execute();
}

/** A site's settings row, if it has one. */
export function findSettings(db: Db, siteId: number): Promise<SiteSettings | undefined> {
  return db.selectFrom('site_settings').selectAll().where('site_id', '=', siteId).executeTakeFirst();
}

export interface SettingsColumns {
  routing_rule?: RoutingRule;
  max_queue_length?: number | null;
  max_queue_wait_seconds?: number | null;
  offline_message?: string | null;
  callback_url?: string | null;
  robot?: string;
  survey?: string;
  widget?: string;
  refused_visitor_ips?: string;
  agent_ips?: string;
  files?: string;
}

/** Writes some of a site's settings, creating its row on first use (the other columns stay). */
export async function upsertSettings(db: Db, siteId: number, set: SettingsColumns): Promise<void> {
  const change = { ...set, updated_at: new Date().toISOString() };
  await db
    .insertInto('site_settings')
    .values({ site_id: siteId, ...change })
    .onConflict((oc) => oc.column('site_id').doUpdateSet(change))
    .execute();
}

/** Moves a site to its next signing secret version (the first rotation of a default site gives 2). */
export async function bumpSigningSecretVersion(db: Db, siteId: number): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('site_settings')
    .values({ site_id: siteId, signing_secret_version: 2, updated_at: now })
    .onConflict((oc) =>
      oc.column('site_id').doUpdateSet((eb) => ({ signing_secret_version: eb('site_settings.signing_secret_version', '+', 1), updated_at: now })),
    )
    .execute();
}

/** Sites that limit how long a chat may wait in the queue, with their limit in seconds. */
export async function sitesWithQueueWaitLimit(db: Db): Promise<{ siteId: number; seconds: number }[]> {
  const rows = await db.selectFrom('site_settings').select(['site_id', 'max_queue_wait_seconds']).where('max_queue_wait_seconds', 'is not', null).execute();
  return rows.map((r) => ({ siteId: r.site_id, seconds: r.max_queue_wait_seconds ?? 0 }));
}

/** A site of the partner, in any state. */
export function findSiteOfPartner(db: Db, partnerId: number, siteId: number): Promise<Site | undefined> {
  return db.selectFrom('sites').selectAll().where('id', '=', siteId).where('partner_id', '=', partnerId).executeTakeFirst();
}

/** Which of these site ids are the partner's. */
export async function siteIdsOfPartner(db: Db, partnerId: number, siteIds: number[]): Promise<number[]> {
  if (siteIds.length === 0) return [];
  return (await db.selectFrom('sites').select('id').where('partner_id', '=', partnerId).where('id', 'in', siteIds).execute()).map((s) => s.id);
}

/** The partner's sites, deleted ones or the others, oldest first; with `q`, those it matches (siteMatches). */
export function listSitesOfPartner(db: Db, partnerId: number, deleted: boolean, q?: string): Promise<Site[]> {
  let query = db
    .selectFrom('sites')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('status', deleted ? '=' : '<>', 'deleted');
  if (q !== undefined && q !== '') query = query.where(siteMatches(q));
  return query.orderBy('id').execute();
}

export interface SiteSearch {
  /** Matched as in siteMatches; empty or left out: every site. */
  q?: string | undefined;
  partnerId?: number | undefined;
  /** Left out: every site but the deleted ones. */
  status?: SiteStatus | undefined;
  /** Only sites older than this one (paging back). */
  before?: number | undefined;
  limit: number;
}

/** Sites of every partner (or of one), newest first: the platform's view, so no partner is required. */
export function searchSites(db: Db, s: SiteSearch): Promise<Site[]> {
  let query = db.selectFrom('sites').selectAll();
  query = s.status === undefined ? query.where('status', '<>', 'deleted') : query.where('status', '=', s.status);
  if (s.partnerId !== undefined) query = query.where('partner_id', '=', s.partnerId);
  if (s.before !== undefined) query = query.where('id', '<', s.before);
  if (s.q !== undefined && s.q !== '') query = query.where(siteMatches(s.q));
  return query.orderBy('id', 'desc').limit(s.limit).execute();
}

/**
 * Sites whose company name or website holds `q` in any case, or (when `q` is all digits) whose id
 * it is. `%`, `_` and `\` in `q` are matched as themselves, not as LIKE wildcards; lower() on both
 * sides, because LIKE ignores case on SQLite but not on PostgreSQL.
 */
function siteMatches(q: string) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (eb: ExpressionBuilder<TenancyTables, 'sites'>) => {
    const holds = (column: 'company' | 'website') => sql<SqlBool>`lower(${sql.ref(column)}) like lower(${pattern}) escape '\\'`;
    const either: Expression<SqlBool>[] = [holds('company'), holds('website')];
    if (/^[0-9]+$/.test(q) && Number.isSafeInteger(Number(q))) either.push(eb('id', '=', Number(q)));
    return eb.or(either);
  };
}

/** Changes a site if it is still in `status`; undefined when it changed meanwhile. */
export function updateSiteIfStill(db: Db, siteId: number, status: SiteStatus, set: Updateable<SitesTable>): Promise<Site | undefined> {
  return db
    .updateTable('sites')
    .set({ ...set, updated_at: new Date().toISOString() })
    .where('id', '=', siteId)
    .where('status', '=', status)
    .returningAll()
    .executeTakeFirst();
}

/** Removes a deleted site and (by cascade) its data; false when it is not deleted (any more). */
export async function deleteDeletedSite(db: Db, siteId: number): Promise<boolean> {
  const gone = await db.deleteFrom('sites').where('id', '=', siteId).where('status', '=', 'deleted').executeTakeFirst();
  return Number(gone.numDeletedRows) === 1;
}

/** Deleted sites whose grace period ended by `now`. */
export function sitesDueForPurge(db: Db, now: string): Promise<Pick<Site, 'id' | 'partner_id'>[]> {
  return db.selectFrom('sites').select(['id', 'partner_id']).where('status', '=', 'deleted').where('purge_after', '<=', now).execute();
}
