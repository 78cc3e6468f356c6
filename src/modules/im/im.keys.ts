// IM API keys: a customer's application authenticates with one of its site's keys. Keys are shown
// once and stored as SHA-256 hashes; a site may hold several at once, so a key can be rotated
// without downtime (create the new one, deploy it, revoke the old one).
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { Conflict, NotFound, Unauthorized } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import { siteIsOpen } from '../tenancy/index.ts';

/** Keys a site may hold (active and revoked). */
const MAX_KEYS_PER_SITE = 20;
// last_used_at is written at most this often per key, not on every call.
const TOUCH_INTERVAL_MS = 60_000;

export interface ImKeyView {
  id: number;
  name: string;
  /** The first characters of the key, to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/** Creates, lists, revokes and checks IM API keys. */
export function createImKeys(db: Kysely<DB>) {
  return {
    /** A new key for the site; the whole key is in this answer only. */
    async create(siteId: number, name: string): Promise<ImKeyView & { key: string }> {
      const held = await db.selectFrom('im_api_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow();
      if (Number(held.n) >= MAX_KEYS_PER_SITE) throw new Conflict(`A site holds at most ${MAX_KEYS_PER_SITE} keys; delete revoked ones first.`);
      const key = `pim_${randomBytes(32).toString('base64url')}`;
      const row = await db
        .insertInto('im_api_keys')
        .values({ site_id: siteId, name, key_hash: hash(key), key_prefix: key.slice(0, 10) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { ...present(row), key };
    },

    async list(siteId: number): Promise<ImKeyView[]> {
      return (await db.selectFrom('im_api_keys').selectAll().where('site_id', '=', siteId).orderBy('id').execute()).map(present);
    },

    /** Revokes a key at once: calls made with it are refused from now on. */
    async revoke(siteId: number, keyId: number): Promise<ImKeyView> {
      const row = await db
        .updateTable('im_api_keys')
        .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(new Date().toISOString())) }))
        .where('site_id', '=', siteId)
        .where('id', '=', keyId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new NotFound('key', keyId);
      return present(row);
    },

    /** Deletes a revoked key; an active one must be revoked first. */
    async remove(siteId: number, keyId: number): Promise<void> {
      const r = await db.deleteFrom('im_api_keys').where('site_id', '=', siteId).where('id', '=', keyId).where('revoked_at', 'is not', null).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw new NotFound('revoked key', keyId);
    },

    /** The principal of a valid key of an open site. The lookup is by hash, so no secret is compared. */
    async authenticate(key: string): Promise<Principal> {
      const row = await db
        .selectFrom('im_api_keys as k')
        .innerJoin('sites as s', 's.id', 'k.site_id')
        .select(['k.id', 'k.site_id', 'k.revoked_at', 'k.last_used_at', 's.status', 's.if_active', 's.if_close'])
        .where('k.key_hash', '=', hash(key))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null || !siteIsOpen(row)) throw new Unauthorized('The IM API key is not valid.');
      const now = Date.now();
      if (row.last_used_at === null || Date.parse(row.last_used_at) < now - TOUCH_INTERVAL_MS) {
        await db.updateTable('im_api_keys').set({ last_used_at: new Date(now).toISOString() }).where('id', '=', row.id).execute();
      }
      return { kind: 'im', siteId: row.site_id, keyId: row.id };
    },
  };
}

function present(r: { id: number; name: string; key_prefix: string; created_at: string; last_used_at: string | null; revoked_at: string | null }): ImKeyView {
  return { id: r.id, name: r.name, prefix: r.key_prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

export type ImKeys = ReturnType<typeof createImKeys>;
