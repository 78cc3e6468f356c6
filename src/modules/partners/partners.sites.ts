// A partner's customers' sites: open (with the site's administrator), change, disable, enable,
// delete (restorable for a grace period), purge, and usage figures. Shared by the Partner API and
// the partner portal; every call names the partner, and another partner's site is not found.
import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { seal, unseal } from '../../platform/crypto/seal.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { BadRequest, DomainError, InvalidState, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService } from '../chat/index.ts';
import { hashPassword } from '../identity/index.ts';
import type { SiteAction, SiteChange, SiteEvent, SiteFields, SiteRecord, SiteView, TenancyService } from '../tenancy/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import { type Actor, audit } from './partners.audit.ts';
import type { SiteUsage } from './partners.presenter.ts';
import { deleteIdempotencyKey, deleteIdempotencyKeysBefore, findIdempotencyKey, insertIdempotencyKey } from './partners.sites.repository.ts';
import type { PartnersTables } from './partners.tables.ts';

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

/** The same Idempotency-Key was used before for a different request. */
export class IdempotencyKeyReused extends DomainError {
  readonly kind = 'idempotency-key-reused';
  readonly status = 422;
}

/** A partner's sites, as the Partner API and the portal act on them. */
export interface PartnerSites {
  /** The partner's sites: the deleted (and still restorable) ones, or the others; `q` matches a company, website or site id. */
  list(partnerId: number, opts?: { deleted?: boolean | undefined; q?: string | undefined }): Promise<PartnerSiteView[]>;
  /** One site of the partner (not a deleted one). */
  get(partnerId: number, siteId: number): Promise<PartnerSiteView>;
  /**
   * Opens a site with its administrator agent. With an Idempotency-Key, a retry of the same
   * request within a day returns the first answer (and creates nothing).
   */
  create(partnerId: number, actor: Actor, input: NewSiteInput, idempotencyKey?: string): Promise<CreatedSite & { replayed: boolean }>;
  /** Changes the Site Object's fields (those given). */
  update(partnerId: number, actor: Actor, siteId: number, input: Partial<SiteInput> & { ifActive?: boolean | undefined }): Promise<PartnerSiteView>;
  /** Disables a site: its agents and visitors are refused until it is enabled. */
  disable(partnerId: number, actor: Actor, siteId: number): Promise<PartnerSiteView>;
  /** Enables a disabled site. */
  enable(partnerId: number, actor: Actor, siteId: number): Promise<PartnerSiteView>;
  /** Deletes a site: it stops serving at once and can be restored until its purge time. */
  delete(partnerId: number, actor: Actor, siteId: number): Promise<PartnerSiteView>;
  /** Brings a deleted site back within its grace period, as it was (enabled or disabled). */
  restore(partnerId: number, actor: Actor, siteId: number): Promise<PartnerSiteView>;
  /** Removes a deleted site and all its data now, without waiting for the grace period. */
  purge(partnerId: number, actor: Actor, siteId: number): Promise<void>;
  /** Removes every deleted site whose grace period is over, and stale idempotency records; returns the sites' ids. */
  purgeExpired(now?: Date): Promise<number[]>;
  /** Usage figures of one site. */
  usage(partnerId: number, siteId: number): Promise<SiteUsage>;
}

/** A site as its partner sees it. */
export function presentPartnerSite(s: SiteRecord): PartnerSiteView {
  const { serving: _serving, ...view } = s;
  return view;
}

export interface PartnerSitesDeps {
  db: Kysely<PartnersTables>;
  /** Where a site's change, its event and its audit entry commit together. */
  events: EventLog<PartnersTables, SiteEvent>;
  tenancy: Pick<TenancyService, 'lifecycle'>;
  agents: Pick<AgentsService, 'createSiteAdmin' | 'countOfSite'>;
  visitors: Pick<VisitorsService, 'countOfSite'>;
  chats: Pick<ChatService, 'usage'>;
  publicUrl: string;
  graceDays: number;
  /** Key that seals the stored first answers of idempotent creates. */
  sealKey: string;
}

/** Site provisioning for partners. */
export function createPartnerSites({ db, events, tenancy, agents, visitors, chats, publicUrl, graceDays, sealKey }: PartnerSitesDeps): PartnerSites {
  const sites = tenancy.lifecycle;

  async function own(trx: Kysely<PartnersTables>, partnerId: number, siteId: number, opts: { deleted?: boolean } = {}): Promise<SiteRecord> {
    const s = await sites.ofPartner(partnerId, siteId, trx);
    if (!s || (s.status === 'deleted') !== (opts.deleted ?? false)) throw new NotFound(opts.deleted ? 'deleted site' : 'site', siteId);
    return s;
  }

  async function change(partnerId: number, actor: Actor, siteId: number, action: SiteAction, set: (s: SiteRecord) => SiteChange, opts: { deleted?: boolean } = {}): Promise<PartnerSiteView> {
    const after = await events.transaction(async (trx, emit) => {
      const before = await own(trx, partnerId, siteId, opts);
      // The state read above must still hold: a racing delete, restore or purge wins once.
      const after = await sites.changeIfStill(trx, emit, siteId, before.status, set(before), action);
      if (!after) throw new InvalidState(`Site ${siteId} changed meanwhile; read it again.`);
      await audit(trx, actor, { action, partnerId, target: `site:${siteId}`, before: presentPartnerSite(before), after: presentPartnerSite(after) });
      return after;
    });
    return presentPartnerSite(after);
  }

  async function insertSite(trx: Kysely<PartnersTables>, emit: (e: SiteEvent) => void, partnerId: number, input: NewSiteInput): Promise<CreatedSite> {
    const generated = input.admin.password === undefined ? randomBytes(12).toString('base64url') : undefined;
    const email = input.admin.email.toLowerCase();
    const name = input.admin.name?.trim() || 'Site Admin';
    const passwordHash = await hashPassword(input.admin.password ?? generated!);
    const site = await sites.create(trx, emit, partnerId, { ...input, company: input.company.trim() });
    const adminId = await agents.createSiteAdmin(trx, site.id, { email, name, passwordHash });
    return {
      site: presentPartnerSite(site),
      admin: { id: adminId, email, name, ...(generated && { password: generated }), login: { url: `${publicUrl}/api/v1/auth/login`, siteId: site.id } },
    };
  }

  async function replay(partnerId: number, key: string, requestHash: string): Promise<CreatedSite | undefined> {
    const row = await findIdempotencyKey(db, partnerId, key);
    if (!row) return undefined;
    if (Date.parse(row.created_at) < Date.now() - IDEMPOTENCY_TTL_MS) {
      await deleteIdempotencyKey(db, row.id);
      return undefined;
    }
    if (row.request_hash !== requestHash) throw new IdempotencyKeyReused('This Idempotency-Key was used for a different request.');
    const first = JSON.parse(unseal(sealKey, row.response)) as CreatedSite;
    // The site may have changed since: show it as it is now, with the first answer's admin.
    const now = await sites.ofPartner(partnerId, first.site.id);
    return now ? { ...first, site: presentPartnerSite(now) } : first;
  }

  return {
    async list(partnerId, opts = {}) {
      return (await sites.listOfPartner(partnerId, { deleted: opts.deleted ?? false, q: opts.q?.trim() })).map(presentPartnerSite);
    },

    async get(partnerId, siteId) {
      return presentPartnerSite(await own(db, partnerId, siteId));
    },

    async create(partnerId, actor, input, idempotencyKey) {
      if (input.company.trim() === '') throw new BadRequest('company must not be blank.');
      // Keyed, so that the stored hash of a body holding a password cannot be guessed offline.
      const requestHash = createHmac('sha256', sealKey).update(canonicalJson(input)).digest('hex');
      if (idempotencyKey !== undefined) {
        const first = await replay(partnerId, idempotencyKey, requestHash);
        if (first) return { ...first, replayed: true };
      }
      try {
        const created = await events.transaction(async (trx, emit) => {
          const created = await insertSite(trx, emit, partnerId, input);
          if (idempotencyKey !== undefined) {
            await insertIdempotencyKey(trx, { partner_id: partnerId, key: idempotencyKey, request_hash: requestHash, status_code: 201, response: seal(sealKey, JSON.stringify(created)) });
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

    update(partnerId, actor, siteId, input) {
      if (input.company !== undefined && input.company.trim() === '') throw new BadRequest('company must not be blank.');
      return change(partnerId, actor, siteId, 'site.updated', (s) => {
        if (s.status === 'deleted') throw new InvalidState('The site is deleted.');
        const { ifActive, ...fields } = input;
        // ifActive is the disable/enable switch; through PUT it does the same.
        const state: SiteChange = ifActive === undefined ? {} : { ifActive, status: ifActive ? 'active' : 'disabled' };
        return { ...fields, ...(fields.company !== undefined && { company: fields.company.trim() }), ...state };
      });
    },

    disable: (partnerId, actor, siteId) => change(partnerId, actor, siteId, 'site.disabled', () => ({ status: 'disabled', ifActive: false })),

    enable: (partnerId, actor, siteId) => change(partnerId, actor, siteId, 'site.enabled', () => ({ status: 'active', ifActive: true })),

    delete: (partnerId, actor, siteId) => {
      const now = Date.now();
      return change(partnerId, actor, siteId, 'site.deleted', () => ({
        status: 'deleted',
        deletedAt: new Date(now).toISOString(),
        purgeAfter: new Date(now + graceDays * DAY_MS).toISOString(),
      }));
    },

    restore: (partnerId, actor, siteId) =>
      change(
        partnerId,
        actor,
        siteId,
        'site.restored',
        (s) => {
          if (s.purgeAfter !== null && Date.parse(s.purgeAfter) <= Date.now()) throw new InvalidState('The grace period is over; the site is being removed.');
          return { status: s.ifActive ? 'active' : 'disabled', deletedAt: null, purgeAfter: null };
        },
        { deleted: true },
      ),

    async purge(partnerId, actor, siteId) {
      await events.transaction(async (trx, emit) => {
        const before = await own(trx, partnerId, siteId, { deleted: true });
        if (!(await sites.purgeDeleted(trx, emit, siteId, partnerId))) throw new InvalidState(`Site ${siteId} changed meanwhile; read it again.`);
        await audit(trx, actor, { action: 'site.purged', partnerId, target: `site:${siteId}`, before: presentPartnerSite(before) });
      });
    },

    async purgeExpired(now = new Date()) {
      const due = await sites.dueForPurge(now.toISOString());
      for (const s of due) {
        await events.transaction(async (trx, emit) => {
          if (await sites.purgeDeleted(trx, emit, s.id, s.partnerId)) await audit(trx, { kind: 'system', id: null }, { action: 'site.purged', partnerId: s.partnerId, target: `site:${s.id}` });
        });
      }
      await deleteIdempotencyKeysBefore(db, new Date(now.getTime() - IDEMPOTENCY_TTL_MS).toISOString());
      return due.map((s) => s.id);
    },

    async usage(partnerId, siteId) {
      await own(db, partnerId, siteId);
      const chatted = await chats.usage(siteId, new Date(Date.now() - 30 * DAY_MS).toISOString());
      return {
        siteId,
        agents: await agents.countOfSite(siteId),
        visitors: await visitors.countOfSite(siteId),
        chats: { total: chatted.total, last30Days: chatted.recent, open: chatted.open },
        messages: chatted.messages,
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
