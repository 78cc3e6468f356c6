// A partner's customers' sites: open (with the site's administrator), change, disable, enable,
// delete (restorable for a grace period), purge, and usage figures. Shared by the Partner API and
// the partner portal; every call names the partner, and another partner's site is not found.
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely, Transaction, Updateable } from 'kysely';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { type DB, flag, type Site, type SitesTable } from '../../platform/db/schema.ts';
import { BadRequest, DomainError, InvalidState, NotFound } from '../../platform/errors.ts';
import { hashPassword } from '../identity/index.ts';
import { insertSite as insertSiteRow, presentSite, type SiteFields, type SiteView } from '../tenancy/index.ts';
import { type Actor, audit } from './partners.audit.ts';
import { seal, unseal } from '../../platform/crypto/seal.ts';

const DAY_MS = 24 * 3600_000;
/** How long a retried create returns the first answer. */
const IDEMPOTENCY_TTL_MS = DAY_MS;

/** The Site Object's fields a partner sets. */
export type SiteInput = SiteFields;

export interface NewSiteInput extends SiteInput {
  admin: { email: string; name?: string | undefined; password?: string | undefined };
}

export interface PartnerSiteView extends SiteView {
  deletedAt: string | null;
  /** When a deleted site and its data are removed for good. */
  purgeAfter: string | null;
}

export interface CreatedSite {
  site: PartnerSiteView;
  admin: {
    id: number;
    email: string;
    name: string;
    /** Only when Parley generated it: shown this once. */
    password?: string;
    login: { url: string; siteId: number };
  };
}

export interface SiteUsage {
  siteId: number;
  agents: number;
  visitors: number;
  chats: { total: number; last30Days: number; open: number };
  messages: number;
}

/** The same Idempotency-Key was used before for a different request. */
export class IdempotencyKeyReused extends DomainError {
  readonly kind = 'idempotency-key-reused';
  readonly status = 422;
}

const present = (s: Site): PartnerSiteView => ({ ...presentSite(s), deletedAt: s.deleted_at, purgeAfter: s.purge_after });

interface Deps {
  db: Kysely<DB>;
  publicUrl: string;
  graceDays: number;
  /** Key that seals the stored first answers of idempotent creates. */
  sealKey: string;
  /** Tells the rest of Parley that a site stopped serving (its connections end). */
  onClosed(siteId: number): Promise<void>;
}

/** Site provisioning for partners. */
export function createPartnerSites({ db, publicUrl, graceDays, sealKey, onClosed }: Deps) {
  async function own(trx: Kysely<DB>, partnerId: number, siteId: number, opts: { deleted?: boolean } = {}): Promise<Site> {
    const s = await trx.selectFrom('sites').selectAll().where('id', '=', siteId).where('partner_id', '=', partnerId).executeTakeFirst();
    if (!s || (s.status === 'deleted') !== (opts.deleted ?? false)) throw new NotFound(opts.deleted ? 'deleted site' : 'site', siteId);
    return s;
  }

  async function change(partnerId: number, actor: Actor, siteId: number, action: string, set: (s: Site) => Updateable<SitesTable>, opts: { deleted?: boolean } = {}): Promise<PartnerSiteView> {
    const { before, after } = await db.transaction().execute(async (trx) => {
      const before = await own(trx, partnerId, siteId, opts);
      // The state read above must still hold: a racing delete, restore or purge wins once.
      const after = await trx
        .updateTable('sites')
        .set({ ...set(before), updated_at: new Date().toISOString() })
        .where('id', '=', siteId)
        .where('status', '=', before.status)
        .returningAll()
        .executeTakeFirst();
      if (!after) throw new InvalidState(`Site ${siteId} changed meanwhile; read it again.`);
      await audit(trx, actor, { action, partnerId, target: `site:${siteId}`, before: present(before), after: present(after) });
      return { before, after };
    });
    if (isServing(before) && !isServing(after)) await onClosed(siteId);
    return present(after);
  }

  async function insertSite(trx: Transaction<DB>, partnerId: number, input: NewSiteInput): Promise<CreatedSite> {
    const site = await insertSiteRow(trx, partnerId, { ...input, company: input.company.trim() });
    const generated = input.admin.password === undefined ? randomBytes(12).toString('base64url') : undefined;
    const email = input.admin.email.toLowerCase();
    const name = input.admin.name?.trim() || 'Site Admin';
    const agent = await trx
      .insertInto('agents')
      .values({ site_id: site.id, email, name, role: 'admin', password_hash: await hashPassword(input.admin.password ?? generated!) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return {
      site: present(site),
      admin: { id: agent.id, email, name, ...(generated && { password: generated }), login: { url: `${publicUrl}/api/v1/auth/login`, siteId: site.id } },
    };
  }

  async function replay(partnerId: number, key: string, requestHash: string): Promise<CreatedSite | undefined> {
    const row = await db.selectFrom('idempotency_keys').selectAll().where('partner_id', '=', partnerId).where('key', '=', key).executeTakeFirst();
    if (!row) return undefined;
    if (Date.parse(row.created_at) < Date.now() - IDEMPOTENCY_TTL_MS) {
      await db.deleteFrom('idempotency_keys').where('id', '=', row.id).execute();
      return undefined;
    }
    if (row.request_hash !== requestHash) throw new IdempotencyKeyReused('This Idempotency-Key was used for a different request.');
    const first = JSON.parse(unseal(sealKey, row.response)) as CreatedSite;
    // The site may have changed since: show it as it is now, with the first answer's admin.
    const now = await db.selectFrom('sites').selectAll().where('id', '=', first.site.id).executeTakeFirst();
    return now ? { ...first, site: present(now) } : first;
  }

  return {
    async list(partnerId: number, opts: { deleted?: boolean } = {}): Promise<PartnerSiteView[]> {
      const rows = await db
        .selectFrom('sites')
        .selectAll()
        .where('partner_id', '=', partnerId)
        .where('status', opts.deleted ? '=' : '<>', 'deleted')
        .orderBy('id')
        .execute();
      return rows.map(present);
    },

    async get(partnerId: number, siteId: number): Promise<PartnerSiteView> {
      return present(await own(db, partnerId, siteId));
    },

    /**
     * Opens a site with its administrator agent. With an Idempotency-Key, a retry of the same
     * request within a day returns the first answer (and creates nothing).
     */
    async create(partnerId: number, actor: Actor, input: NewSiteInput, idempotencyKey?: string): Promise<CreatedSite & { replayed: boolean }> {
      if (input.company.trim() === '') throw new BadRequest('company must not be blank.');
      // Keyed, so that the stored hash of a body holding a password cannot be guessed offline.
      const requestHash = createHmac('sha256', sealKey).update(canonicalJson(input)).digest('hex');
      if (idempotencyKey !== undefined) {
        const first = await replay(partnerId, idempotencyKey, requestHash);
        if (first) return { ...first, replayed: true };
      }
      try {
        const created = await db.transaction().execute(async (trx) => {
          const created = await insertSite(trx, partnerId, input);
          if (idempotencyKey !== undefined) {
            await trx
              .insertInto('idempotency_keys')
              .values({ partner_id: partnerId, key: idempotencyKey, request_hash: requestHash, status_code: 201, response: seal(sealKey, JSON.stringify(created)) })
              .execute();
          }
          await audit(trx, actor, { action: 'site.created', partnerId, target: `site:${created.site.id}`, after: { site: created.site, admin: { id: created.admin.id, email: created.admin.email } } });
          return created;
        });
        return { ...created, replayed: false };
      } catch (err) {
        // A concurrent request with the same key won: answer with its result.
        if (idempotencyKey !== undefined && isUniqueViolation(err)) {
          const first = await replay(partnerId, idempotencyKey, requestHash);
          if (first) return { ...first, replayed: true };
        }
        throw err;
      }
    },

    /** Changes the Site Object's fields (those given). */
    update(partnerId: number, actor: Actor, siteId: number, input: Partial<SiteInput> & { ifActive?: boolean | undefined }): Promise<PartnerSiteView> {
      if (input.company !== undefined && input.company.trim() === '') throw new BadRequest('company must not be blank.');
      return change(partnerId, actor, siteId, 'site.updated', (s) => {
        const set: Updateable<SitesTable> = {};
        if (input.company !== undefined) set.company = input.company.trim();
        if (input.companySize !== undefined) set.company_size = input.companySize;
        if (input.website !== undefined) set.website = input.website;
        if (input.phoneNumber !== undefined) set.phone_number = input.phoneNumber;
        if (input.mobilePhone !== undefined) set.mobile_phone = input.mobilePhone;
        if (input.country !== undefined) set.country = input.country;
        if (input.city !== undefined) set.city = input.city;
        if (input.ifClose !== undefined) set.if_close = input.ifClose;
        // ifActive is the disable/enable switch; through PUT it does the same.
        if (input.ifActive !== undefined) Object.assign(set, { if_active: input.ifActive, status: input.ifActive ? 'active' : 'disabled' });
        if (s.status === 'deleted') throw new InvalidState('The site is deleted.');
        return set;
      });
    },

    /** Disables a site: its agents and visitors are refused until it is enabled. */
    disable: (partnerId: number, actor: Actor, siteId: number) => change(partnerId, actor, siteId, 'site.disabled', () => ({ status: 'disabled', if_active: false })),

    enable: (partnerId: number, actor: Actor, siteId: number) => change(partnerId, actor, siteId, 'site.enabled', () => ({ status: 'active', if_active: true })),

    /** Deletes a site: it stops serving at once and can be restored until its purge time. */
    delete: (partnerId: number, actor: Actor, siteId: number) => {
      const now = Date.now();
      return change(partnerId, actor, siteId, 'site.deleted', () => ({
        status: 'deleted',
        deleted_at: new Date(now).toISOString(),
        purge_after: new Date(now + graceDays * DAY_MS).toISOString(),
      }));
    },

    /** Brings a deleted site back within its grace period, as it was (enabled or disabled). */
    restore: (partnerId: number, actor: Actor, siteId: number) =>
      change(
        partnerId,
        actor,
        siteId,
        'site.restored',
        (s) => {
          if (s.purge_after !== null && Date.parse(s.purge_after) <= Date.now()) throw new InvalidState('The grace period is over; the site is being removed.');
          return { status: flag(s.if_active) ? 'active' : 'disabled', deleted_at: null, purge_after: null };
        },
        { deleted: true },
      ),

    /** Removes a deleted site and all its data now, without waiting for the grace period. */
    async purge(partnerId: number, actor: Actor, siteId: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const before = await own(trx, partnerId, siteId, { deleted: true });
        const gone = await trx.deleteFrom('sites').where('id', '=', siteId).where('status', '=', 'deleted').executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1) throw new InvalidState(`Site ${siteId} changed meanwhile; read it again.`);
        await audit(trx, actor, { action: 'site.purged', partnerId, target: `site:${siteId}`, before: present(before) });
      });
    },

    /** Removes every deleted site whose grace period is over, and stale idempotency records. */
    async purgeExpired(now = new Date()): Promise<number[]> {
      const due = await db.selectFrom('sites').select(['id', 'partner_id']).where('status', '=', 'deleted').where('purge_after', '<=', now.toISOString()).execute();
      for (const s of due) {
        await db.transaction().execute(async (trx) => {
          const gone = await trx.deleteFrom('sites').where('id', '=', s.id).where('status', '=', 'deleted').executeTakeFirst();
          if (Number(gone.numDeletedRows) === 1) await audit(trx, { kind: 'system', id: null }, { action: 'site.purged', partnerId: s.partner_id, target: `site:${s.id}` });
        });
      }
      await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString()).execute();
      return due.map((s) => s.id);
    },

    /** Usage figures of one site. */
    async usage(partnerId: number, siteId: number): Promise<SiteUsage> {
      await own(db, partnerId, siteId);
      const since = new Date(Date.now() - 30 * DAY_MS).toISOString();
      const count = async (table: 'agents' | 'visitors' | 'messages') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('site_id', '=', siteId).executeTakeFirstOrThrow()).n);
      const chats = await db
        .selectFrom('chats')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(eb.case().when('requested_at', '>=', since).then(1).else(0).end()).as('recent'),
          eb.fn.sum<number>(eb.case().when('status', '<>', 'ended').then(1).else(0).end()).as('open'),
        ])
        .where('site_id', '=', siteId)
        .executeTakeFirstOrThrow();
      return {
        siteId,
        agents: await count('agents'),
        visitors: await count('visitors'),
        chats: { total: Number(chats.total), last30Days: Number(chats.recent ?? 0), open: Number(chats.open ?? 0) },
        messages: await count('messages'),
      };
    },
  };
}

/** JSON with object keys sorted, so that the same request hashes the same in any key order. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function isServing(s: Site): boolean {
  return s.status === 'active' && flag(s.if_active) && !flag(s.if_close);
}

export type PartnerSites = ReturnType<typeof createPartnerSites>;
