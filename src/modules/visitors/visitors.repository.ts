// Visitors of one site. Every query takes the site id.
import type { Kysely } from 'kysely';
import type { DB, Visitor } from '../../platform/db/schema.ts';

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
