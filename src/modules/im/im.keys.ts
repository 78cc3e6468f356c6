// IM API keys: a customer's application authenticates with one of its site's keys. Keys are shown
// once and stored as SHA-256 hashes; a site may hold several at once, so a key can be rotated
// without downtime (create the new one, deploy it, revoke the old one).
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Conflict, NotFound, Unauthorized } from '../../platform/errors.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { TenancyService } from '../tenancy/index.ts';
import * as repo from './im.repository.ts';
import type { ImApiKey, ImTables } from './im.tables.ts';

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

/** IM API keys: the issuer of `pim_` tokens. */
export interface ImKeys {
  /** Whether a bearer token is an IM API key (they all start `pim_`). */
  owns(token: string): boolean;
  /** A new key for the site; the whole key is in this answer only. */
  create(siteId: number, name: string): Promise<ImKeyView & { key: string }>;
  list(siteId: number): Promise<ImKeyView[]>;
  /** Revokes a key at once: calls made with it are refused from now on. */
  revoke(siteId: number, keyId: number): Promise<ImKeyView>;
  /** Deletes a revoked key; an active one must be revoked first. */
  remove(siteId: number, keyId: number): Promise<void>;
  /** The principal of a valid key of an open site. */
  authenticate(key: string): Promise<Principal>;
}

/** Creates, lists, revokes and checks IM API keys. */
export function createImKeys(db: Kysely<ImTables>, tenancy: Pick<TenancyService, 'siteState'>): ImKeys {
  return {
    owns: (token) => token.startsWith('pim_'),

    async create(siteId, name) {
      if ((await repo.countKeys(db, siteId)) >= MAX_KEYS_PER_SITE) throw new Conflict(`A site holds at most ${MAX_KEYS_PER_SITE} keys; delete revoked ones first.`);
      const key = `pim_${randomBytes(32).toString('base64url')}`;
      const row = await repo.insertKey(db, siteId, { name, hash: hash(key), prefix: key.slice(0, 10) });
      return { ...present(row), key };
    },

    async list(siteId) {
      return (await repo.listKeys(db, siteId)).map(present);
    },

    async revoke(siteId, keyId) {
      const row = await repo.revokeKey(db, siteId, keyId);
      if (!row) throw new NotFound('key', keyId);
      return present(row);
    },

    async remove(siteId, keyId) {
      if (!(await repo.deleteRevokedKey(db, siteId, keyId))) throw new NotFound('revoked key', keyId);
    },

    // The lookup is by hash, so no secret is compared.
    async authenticate(key) {
      const row = await repo.findKeyByHash(db, hash(key));
      if (!row || row.revoked_at !== null || (await tenancy.siteState(row.site_id))?.open !== true) throw new Unauthorized('The IM API key is not valid.');
      const now = Date.now();
      if (row.last_used_at === null || Date.parse(row.last_used_at) < now - TOUCH_INTERVAL_MS) await repo.touchKey(db, row.id, new Date(now).toISOString());
      return { kind: 'im', siteId: row.site_id, keyId: row.id };
    },
  };
}

function present(r: ImApiKey): ImKeyView {
  return { id: r.id, name: r.name, prefix: r.key_prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}
