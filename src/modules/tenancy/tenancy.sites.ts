// Sites as their partner provisions them: opened, changed, disabled and enabled, deleted and
// restored, purged. Each change runs in the caller's transaction (the partners module's, with its
// audit entry) and records its event there, so the rest of Parley hears of it once it commits.
import type { Kysely, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { Emit } from '../../platform/events/index.ts';
import type { SiteEvent } from './tenancy.events.ts';
import * as repo from './tenancy.repository.ts';
import { presentSite, siteIsOpen, type SiteView } from './tenancy.presenter.ts';
import type { Site, SiteStatus, SitesTable, TenancyTables } from './tenancy.tables.ts';

/** A site as its partner sees it, deleted ones included. */
export interface SiteRecord extends SiteView {
  status: SiteStatus;
  deletedAt: string | null;
  /** When a deleted site and its data are removed for good. */
  purgeAfter: string | null;
  /** It serves agents and visitors now (active, enabled, not closed). */
  serving: boolean;
}

/** A change of a site's fields and state; those left out stay. */
export interface SiteChange extends Partial<repo.SiteFields> {
  ifActive?: boolean;
  status?: SiteStatus;
  deletedAt?: string | null;
  purgeAfter?: string | null;
}

/** What a site's change is called in the event log. */
export type SiteAction = 'site.updated' | 'site.disabled' | 'site.enabled' | 'site.deleted' | 'site.restored';

/** The partners' side of sites. */
export interface SiteLifecycle {
  /** A site of the partner, in any state. */
  ofPartner(partnerId: number, siteId: number, ex?: Executor): Promise<SiteRecord | undefined>;
  /** The partner's sites: the deleted ones, or the others, oldest first; with `q`, only those it matches (by company, website or id). */
  listOfPartner(partnerId: number, opts: { deleted: boolean; q?: string | undefined }): Promise<SiteRecord[]>;
  /** Sites of every partner (or of one), newest first, for the platform's admins. */
  search(s: repo.SiteSearch): Promise<SiteRecord[]>;
  /** Which of these site ids are the partner's. */
  ownIds(partnerId: number, siteIds: number[], ex?: Executor): Promise<number[]>;
  /** Whether the site is the partner's and not deleted. */
  isLive(partnerId: number, siteId: number): Promise<boolean>;
  /** Opens a site of the partner (`site.created`). */
  create(ex: Executor, emit: Emit<SiteEvent>, partnerId: number, fields: repo.SiteFields): Promise<SiteRecord>;
  /** Changes a site if it is still in `status` (its event named `action`); undefined when it changed meanwhile. */
  changeIfStill(ex: Executor, emit: Emit<SiteEvent>, siteId: number, status: SiteStatus, change: SiteChange, action: SiteAction): Promise<SiteRecord | undefined>;
  /** Removes a deleted site and (by cascade) its data (`site.purged`); false when it is not deleted (any more). */
  purgeDeleted(ex: Executor, emit: Emit<SiteEvent>, siteId: number, partnerId: number): Promise<boolean>;
  /** Deleted sites whose grace period ended by `now`. */
  dueForPurge(now: string): Promise<{ id: number; partnerId: number }[]>;
}

/** Shapes a site row for its partner. */
export function presentSiteRecord(s: Site): SiteRecord {
  return { ...presentSite(s), status: s.status, deletedAt: s.deleted_at, purgeAfter: s.purge_after, serving: siteIsOpen(s) };
}

function columns(c: SiteChange): Updateable<SitesTable> {
  const set: Updateable<SitesTable> = {};
  if (c.company !== undefined) set.company = c.company;
  if (c.companySize !== undefined) set.company_size = c.companySize;
  if (c.website !== undefined) set.website = c.website;
  if (c.phoneNumber !== undefined) set.phone_number = c.phoneNumber;
  if (c.mobilePhone !== undefined) set.mobile_phone = c.mobilePhone;
  if (c.country !== undefined) set.country = c.country;
  if (c.city !== undefined) set.city = c.city;
  if (c.timeZone !== undefined) set.time_zone = c.timeZone;
  if (c.language !== undefined) set.language = c.language;
  if (c.ifClose !== undefined) set.if_close = c.ifClose;
  if (c.ifActive !== undefined) set.if_active = c.ifActive;
  if (c.status !== undefined) set.status = c.status;
  if (c.deletedAt !== undefined) set.deleted_at = c.deletedAt;
  if (c.purgeAfter !== undefined) set.purge_after = c.purgeAfter;
  return set;
}

/** The sites' lifecycle over the module's own tables. */
export function createSiteLifecycle(db: Kysely<TenancyTables>, forget: (siteId: number) => void): SiteLifecycle {
  const on = (ex: Executor | undefined): Kysely<TenancyTables> => ex ?? db;
  const record = (s: Site | undefined) => s && presentSiteRecord(s);
  return {
    ofPartner: async (partnerId, siteId, ex) => record(await repo.findSiteOfPartner(on(ex), partnerId, siteId)),
    listOfPartner: async (partnerId, opts) => (await repo.listSitesOfPartner(db, partnerId, opts.deleted, opts.q)).map(presentSiteRecord),
    search: async (s) => (await repo.searchSites(db, s)).map(presentSiteRecord),
    ownIds: (partnerId, siteIds, ex) => repo.siteIdsOfPartner(on(ex), partnerId, siteIds),
    async isLive(partnerId, siteId) {
      const site = await repo.findSiteOfPartner(db, partnerId, siteId);
      return site !== undefined && site.status !== 'deleted';
    },

    async create(ex, emit, partnerId, fields) {
      const site = presentSiteRecord(await repo.insertSite(ex, partnerId, fields));
      emit({ name: 'site.created', siteId: site.id, partnerId, site, wasServing: false, serving: site.serving });
      return site;
    },

    async changeIfStill(ex, emit, siteId, status, change, action) {
      const before = await repo.findSite(ex, siteId);
      if (!before || before.status !== status) return undefined;
      forget(siteId);
      const after = await repo.updateSiteIfStill(ex, siteId, status, columns(change));
      if (!after) return undefined;
      const site = presentSiteRecord(after);
      emit({ name: action, siteId, partnerId: site.partnerId, site, wasServing: siteIsOpen(before), serving: site.serving });
      return site;
    },

    async purgeDeleted(ex, emit, siteId, partnerId) {
      forget(siteId);
      if (!(await repo.deleteDeletedSite(ex, siteId))) return false;
      emit({ name: 'site.purged', siteId, partnerId });
      return true;
    },

    async dueForPurge(now) {
      return (await repo.sitesDueForPurge(db, now)).map((s) => ({ id: s.id, partnerId: s.partner_id }));
    },
  };
}
