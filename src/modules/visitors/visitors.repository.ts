// Visitors of one site. Every query takes the site id.
import type { Kysely } from 'kysely';
import type { ChatStatus, DB, Visitor } from '../../platform/db/schema.ts';

export interface VisitorFields {
  name?: string | undefined;
  email?: string | undefined;
  info?: Record<string, unknown> | undefined;
}

/** Inserts a visitor. */
export function insertVisitor(db: Kysely<DB>, siteId: number, f: VisitorFields): Promise<Visitor> {
  return db
    .insertInto('visitors')
    .values({ site_id: siteId, name: f.name ?? null, email: f.email ?? null, info: JSON.stringify(f.info ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates the given fields and the last-seen time; undefined if the visitor is not in the site. */
export function touchVisitor(db: Kysely<DB>, siteId: number, visitorId: number, f: VisitorFields): Promise<Visitor | undefined> {
  return db
    .updateTable('visitors')
    .set({
      last_seen_at: new Date().toISOString(),
      ...(f.name !== undefined && { name: f.name }),
      ...(f.email !== undefined && { email: f.email }),
      ...(f.info !== undefined && { info: JSON.stringify(f.info) }),
    })
    .where('site_id', '=', siteId)
    .where('id', '=', visitorId)
    .returningAll()
    .executeTakeFirst();
}

/** Finds a visitor of a site. */
export function findVisitor(db: Kysely<DB>, siteId: number, visitorId: number): Promise<Visitor | undefined> {
  return db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
}

/** Bans or unbans a visitor; returns the row as it was before, or undefined if not in the site. */
export async function setVisitorBanned(db: Kysely<DB>, siteId: number, visitorId: number, banned: boolean): Promise<Visitor | undefined> {
  const before = await db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
  if (!before) return undefined;
  await db.updateTable('visitors').set({ is_banned: banned }).where('site_id', '=', siteId).where('id', '=', visitorId).execute();
  return before;
}

/** Online visitors (by id) and captured ones of a site, banned ones left out, most recently active first. */
export function listedVisitors(db: Kysely<DB>, siteId: number, onlineIds: number[], limit: number): Promise<Visitor[]> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('site_id', '=', siteId)
    .where('is_banned', '=', false)
    .where((eb) => (onlineIds.length > 0 ? eb.or([eb('id', 'in', onlineIds), eb('captured_by', 'is not', null)]) : eb('captured_by', 'is not', null)))
    .orderBy('last_seen_at', 'desc')
    .limit(limit)
    .execute();
}

/** The open chat of each of these visitors. */
export async function openChatsOf(db: Kysely<DB>, siteId: number, visitorIds: number[]): Promise<Map<number, { id: number; status: ChatStatus; agentId: number | null }>> {
  if (visitorIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('chats')
    .select(['id', 'visitor_id', 'status', 'agent_id'])
    .where('site_id', '=', siteId)
    .where('visitor_id', 'in', visitorIds)
    .where('status', '<>', 'ended')
    .execute();
  return new Map(rows.map((r) => [r.visitor_id, { id: r.id, status: r.status, agentId: r.agent_id }]));
}

/** Records a page view: the current page, and a new visit (count from 1) or one more page of this one. */
export async function recordPageView(
  db: Kysely<DB>,
  siteId: number,
  visitorId: number,
  v: { url: string; title: string | null; referrer: string | null; newVisit: boolean; at: string; location: string },
): Promise<void> {
  await db
    .updateTable('visitors')
    .set((eb) => ({
      current_url: v.url,
      current_title: v.title,
      referrer: v.referrer,
      location: v.location,
      last_seen_at: v.at,
      page_views: v.newVisit ? 1 : eb('page_views', '+', 1),
      ...(v.newVisit && { visit_started_at: v.at }),
    }))
    .where('site_id', '=', siteId)
    .where('id', '=', visitorId)
    .execute();
}

/** Sets or clears the agent who captured a visitor; false if the visitor is not in the site. */
export async function setCaptured(db: Kysely<DB>, siteId: number, visitorId: number, agentId: number | null): Promise<boolean> {
  const r = await db.updateTable('visitors').set({ captured_by: agentId }).where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
