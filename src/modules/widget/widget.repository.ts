// Campaigns of one site. Every query takes the site id.
import type { Kysely } from 'kysely';
import type { Campaign, WidgetTables } from './widget.tables.ts';

type Db = Kysely<WidgetTables>;

/** A site's campaigns, the first (its default) first. */
export function listCampaigns(db: Db, siteId: number): Promise<Campaign[]> {
  return db.selectFrom('campaigns').selectAll().where('site_id', '=', siteId).orderBy('id').execute();
}

/** One campaign of a site, or its first when `campaignId` is undefined. */
export function findCampaign(db: Db, siteId: number, campaignId?: number): Promise<Campaign | undefined> {
  let q = db.selectFrom('campaigns').selectAll().where('site_id', '=', siteId);
  q = campaignId === undefined ? q.orderBy('id').limit(1) : q.where('id', '=', campaignId);
  return q.executeTakeFirst();
}

export function countCampaigns(db: Db, siteId: number): Promise<number> {
  return db
    .selectFrom('campaigns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n));
}

export function insertCampaign(db: Db, siteId: number, name: string, settings: string): Promise<Campaign> {
  return db.insertInto('campaigns').values({ site_id: siteId, name, settings }).returningAll().executeTakeFirstOrThrow();
}

export function updateCampaign(db: Db, siteId: number, campaignId: number, change: { name?: string | undefined; settings?: string | undefined }): Promise<Campaign | undefined> {
  return db
    .updateTable('campaigns')
    .set({ ...(change.name !== undefined && { name: change.name }), ...(change.settings !== undefined && { settings: change.settings }), updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', campaignId)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCampaign(db: Db, siteId: number, campaignId: number): Promise<boolean> {
  const r = await db.deleteFrom('campaigns').where('site_id', '=', siteId).where('id', '=', campaignId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
