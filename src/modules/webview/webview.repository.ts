// The WebView chat's site settings: a site's skills and its one row of Ssotoken settings. Every
// query names the site.
import type { Kysely } from 'kysely';
import type { TokenMode, WebviewSettings, WebviewSkill, WebviewTables } from './webview.tables.ts';

type Db = Kysely<WebviewTables>;

/** The columns of a skill a caller sets. */
export interface SkillColumns {
  name: string;
  name_key: string;
  group_id: number | null;
  link_action: string | null;
  link_uri: string | null;
  link_destination: string | null;
}

/** The columns of the Ssotoken settings a caller sets. */
export interface TokenColumns {
  token_mode?: TokenMode;
  token_secret?: string | null;
  verify_url?: string | null;
  verify_timeout_ms?: number;
}

/** A site's skills, by name. */
export function listSkills(db: Db, siteId: number): Promise<WebviewSkill[]> {
  return db.selectFrom('webview_skills').selectAll().where('site_id', '=', siteId).orderBy('name_key').orderBy('id').execute();
}

/** One skill of a site. */
export function findSkill(db: Db, siteId: number, skillId: number): Promise<WebviewSkill | undefined> {
  return db.selectFrom('webview_skills').selectAll().where('site_id', '=', siteId).where('id', '=', skillId).executeTakeFirst();
}

/** The site's skill whose lower-cased name is `nameKey`. */
export function findSkillByKey(db: Db, siteId: number, nameKey: string): Promise<WebviewSkill | undefined> {
  return db.selectFrom('webview_skills').selectAll().where('site_id', '=', siteId).where('name_key', '=', nameKey).executeTakeFirst();
}

/** How many skills a site has. */
export async function countSkills(db: Db, siteId: number): Promise<number> {
  const row = await db
    .selectFrom('webview_skills')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_id', '=', siteId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stores a new skill. */
export function insertSkill(db: Db, siteId: number, skill: SkillColumns): Promise<WebviewSkill> {
  return db
    .insertInto('webview_skills')
    .values({ site_id: siteId, ...skill })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes the given columns of a skill; undefined when the site has no such skill. */
export function updateSkill(db: Db, siteId: number, skillId: number, change: Partial<SkillColumns>): Promise<WebviewSkill | undefined> {
  return db
    .updateTable('webview_skills')
    .set({ ...change, updated_at: new Date().toISOString() })
    .where('site_id', '=', siteId)
    .where('id', '=', skillId)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes a skill; false when the site has no such skill. */
export async function deleteSkill(db: Db, siteId: number, skillId: number): Promise<boolean> {
  const r = await db.deleteFrom('webview_skills').where('site_id', '=', siteId).where('id', '=', skillId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** A site's Ssotoken settings; undefined until first saved. */
export function findTokenSettings(db: Db, siteId: number): Promise<WebviewSettings | undefined> {
  return db.selectFrom('webview_settings').selectAll().where('site_id', '=', siteId).executeTakeFirst();
}

/** Writes some of a site's Ssotoken settings, creating its row on first use (the other columns stay). */
export function upsertTokenSettings(db: Db, siteId: number, set: TokenColumns): Promise<WebviewSettings> {
  const change = { ...set, updated_at: new Date().toISOString() };
  return db
    .insertInto('webview_settings')
    // A first row takes the migration's defaults for what is not set.
    .values({ site_id: siteId, token_mode: 'none', verify_timeout_ms: 3000, ...change })
    .onConflict((oc) => oc.column('site_id').doUpdateSet(change))
    .returningAll()
    .executeTakeFirstOrThrow();
}
