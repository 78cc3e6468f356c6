// Visitors of one site. Every query takes the site id.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../../platform/db/database.ts';
import type { Visitor, VisitorsTables } from './visitors.tables.ts';

type Db = Kysely<VisitorsTables>;

export interface VisitorFields {
  name?: string | undefined;
  email?: string | undefined;
  info?: Record<string, unknown> | undefined;
}

/** Inserts a visitor. */
export function insertVisitor(db: Db, siteId: number, f: VisitorFields): Promise<Visitor> {
  return db
    .insertInto('visitors')
    .values({ site_id: siteId, name: f.name ?? null, email: f.email ?? null, info: JSON.stringify(f.info ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Updates the given fields and the last-seen time; undefined if the visitor is not in the site. */
export function touchVisitor(db: Db, siteId: number, visitorId: number, f: VisitorFields): Promise<Visitor | undefined> {
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

/** Visitors of a site seen since `since` (ISO-8601), by id. */
export async function recentVisitorIds(db: Db, siteId: number, since: string): Promise<number[]> {
  return (await db.selectFrom('visitors').select('id').where('site_id', '=', siteId).where('last_seen_at', '>=', since).execute()).map((v) => v.id);
}

/** Finds a visitor of a site. */
export function findVisitor(db: Db, siteId: number, visitorId: number): Promise<Visitor | undefined> {
  return db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
}

/** Bans or unbans a visitor; returns the row as it was before, or undefined if not in the site. */
export async function setVisitorBanned(db: Db, siteId: number, visitorId: number, banned: boolean): Promise<Visitor | undefined> {
  const before = await db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
  if (!before) return undefined;
  await db.updateTable('visitors').set({ is_banned: banned }).where('site_id', '=', siteId).where('id', '=', visitorId).execute();
  return before;
}

/** Online visitors (by id) and captured ones of a site, banned ones left out, most recently active first. */
export function listedVisitors(db: Db, siteId: number, onlineIds: number[], limit: number): Promise<Visitor[]> {
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

/** Records a page view: the current page, and a new visit (count from 1) or one more page of this one. */
export async function recordPageView(
  db: Db,
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
export async function setCaptured(db: Db, siteId: number, visitorId: number, agentId: number | null): Promise<boolean> {
  const r = await db.updateTable('visitors').set({ captured_by: agentId }).where('site_id', '=', siteId).where('id', '=', visitorId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Finds an IM customer of a site by its token. */
export function findCustomer(db: Db, siteId: number, token: string): Promise<Visitor | undefined> {
  return db.selectFrom('visitors').selectAll().where('site_id', '=', siteId).where('customer_token', '=', token).executeTakeFirst();
}

/** Fields of an IM customer; null clears one, undefined leaves it. */
export interface CustomerFields {
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  info?: Record<string, unknown> | undefined;
}

const customerColumns = (c: CustomerFields) => ({
  ...(c.name !== undefined && { name: c.name }),
  ...(c.email !== undefined && { email: c.email }),
  ...(c.phone !== undefined && { phone: c.phone }),
  ...(c.info !== undefined && { info: JSON.stringify(c.info) }),
});

/** Changes the given fields of an existing customer; undefined when there is none with the token. */
export async function updateCustomer(db: Db, siteId: number, token: string, c: CustomerFields): Promise<Visitor | undefined> {
  const set = customerColumns(c);
  if (Object.keys(set).length === 0) return findCustomer(db, siteId, token);
  return db
    .updateTable('visitors')
    .set({ ...set, last_seen_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('customer_token', '=', token)
    .returningAll()
    .executeTakeFirst();
}

/** Inserts a customer. */
export function insertCustomer(db: Db, siteId: number, token: string, c: CustomerFields): Promise<Visitor> {
  return db
    .insertInto('visitors')
    .values({ site_id: siteId, customer_token: token, name: c.name ?? null, email: c.email ?? null, phone: c.phone ?? null, info: JSON.stringify(c.info ?? {}) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Sets a visitor's name. */
export async function renameVisitor(db: Db, siteId: number, visitorId: number, name: string): Promise<void> {
  await db.updateTable('visitors').set({ name }).where('site_id', '=', siteId).where('id', '=', visitorId).execute();
}

/** Locks a visitor's row to the end of the transaction (PostgreSQL; SQLite has one writer). */
export async function lockVisitor(db: Db, dialect: Dialect, siteId: number, visitorId: number): Promise<boolean> {
  let q = db.selectFrom('visitors').select('id').where('site_id', '=', siteId).where('id', '=', visitorId);
  if (dialect === 'postgres') q = q.forUpdate();
  return (await q.executeTakeFirst()) !== undefined;
}

/** Deletes a visitor. */
export async function deleteVisitor(db: Db, siteId: number, visitorId: number): Promise<void> {
  await db.deleteFrom('visitors').where('site_id', '=', siteId).where('id', '=', visitorId).execute();
}

/** The IM customer tokens of these visitors (those that have one). */
export async function customerTokens(db: Db, siteId: number, visitorIds: number[]): Promise<Map<number, string>> {
  if (visitorIds.length === 0) return new Map();
  const rows = await db.selectFrom('visitors').select(['id', 'customer_token']).where('site_id', '=', siteId).where('id', 'in', visitorIds).execute();
  return new Map(rows.flatMap((r) => (r.customer_token === null ? [] : [[r.id, r.customer_token] as const])));
}

/** Name, e-mail and phone of these visitors. */
export function contactsOf(db: Db, siteId: number, visitorIds: number[]): Promise<Pick<Visitor, 'id' | 'name' | 'email' | 'phone' | 'customer_token'>[]> {
  if (visitorIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('visitors').select(['id', 'name', 'email', 'phone', 'customer_token']).where('site_id', '=', siteId).where('id', 'in', [...new Set(visitorIds)]).execute();
}

/** Ids of a site's visitors whose name or e-mail matches a LIKE pattern (lower case, escaped with `\`), newest first. */
export async function visitorIdsMatching(db: Db, siteId: number, pattern: string, limit: number): Promise<number[]> {
  const matches = (column: 'name' | 'email') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
  const rows = await db
    .selectFrom('visitors')
    .select('id')
    .where('site_id', '=', siteId)
    .where((eb) => eb.or([eb(matches('name'), '=', true), eb(matches('email'), '=', true)]))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** How many visitors a site has. */
export async function countVisitors(db: Db, siteId: number): Promise<number> {
  return Number((await db.selectFrom('visitors').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow()).n);
}
