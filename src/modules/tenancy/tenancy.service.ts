// Customers' sites: their records, whether they are open, and their settings. Partners provision
// them (partners module); everything else reads them here. Each module keeps its own section of a
// site's settings (routing, callbacks, robot, survey, widget) through `settings`.
import type { Kysely } from 'kysely';
import type { Executor } from '../../platform/db/database.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { SiteEvent } from './tenancy.events.ts';
import { createSiteProfiles, type SiteProfiles } from './tenancy.profile.ts';
import { presentSite, siteIsOpen, type SiteView } from './tenancy.presenter.ts';
import * as repo from './tenancy.repository.ts';
import { createSiteLifecycle, type SiteLifecycle } from './tenancy.sites.ts';
import type { RoutingRule, Site, SiteSettings, SiteStatus, TenancyTables } from './tenancy.tables.ts';

export type { SiteFields } from './tenancy.repository.ts';

/** What other modules need to know of a site to let its people in. */
export interface SiteState {
  id: number;
  partnerId: number;
  status: SiteStatus;
  /** The site may serve agents and visitors now (active, enabled, not closed). */
  open: boolean;
}

/** A site's settings as stored; each module reads and writes its own section (JSON ones are `{}` until written). */
export interface SiteSettingsRecord {
  routingRule: RoutingRule;
  maxQueueLength: number | null;
  maxQueueWaitSeconds: number | null;
  offlineMessage: string | null;
  callbackUrl: string | null;
  signingSecretVersion: number;
  robot: string;
  survey: string;
  widget: string;
  /** JSON: addresses and ranges whose visitors are refused. */
  refusedVisitorIps: string;
  /** JSON: the only addresses agents may work from; `[]` for any. */
  agentIps: string;
  /** JSON: who may send files and how large (the chat module's section). */
  files: string;
}

/** A change of some of a site's settings; the others stay. */
export type SiteSettingsChange = Partial<Omit<SiteSettingsRecord, 'signingSecretVersion'>>;

/** Sites' settings, each module's section of them. */
export interface SiteSettingsStore {
  /** A site's settings; undefined when nothing was ever set (every module then has its defaults). */
  read(siteId: number, ex?: Executor): Promise<SiteSettingsRecord | undefined>;
  write(siteId: number, change: SiteSettingsChange, ex?: Executor): Promise<void>;
  /** Moves the site to its next webhook signing secret. */
  nextSigningSecretVersion(siteId: number, ex?: Executor): Promise<void>;
  /** Sites that limit how long a chat may wait in the queue, with the limit in seconds. */
  withQueueWaitLimit(): Promise<{ siteId: number; seconds: number }[]>;
}

/** The tenancy module's door. */
export interface TenancyService {
  /** Creates a site of a partner (the partners module provisions sites through this). */
  createSite(partnerId: number, fields: repo.SiteFields, ex?: Executor): Promise<SiteView>;
  /** The site, or undefined when there is none; a deleted site is none. */
  findSite(siteId: number): Promise<SiteView | undefined>;
  /** The partner a site belongs to, read through `ex` (a transaction of the caller's, say). */
  partnerOf(siteId: number, ex?: Executor): Promise<number | null>;
  /** The state of a site (deleted ones included), or undefined when there is none. */
  siteState(siteId: number, ex?: Executor): Promise<SiteState | undefined>;
  /** The states of several sites, by id; unknown ids are left out. */
  siteStates(siteIds: number[], ex?: Executor): Promise<Map<number, SiteState>>;
  settings: SiteSettingsStore;
  /** Sites as their partner provisions them. */
  lifecycle: SiteLifecycle;
  /** The site's profile and IP restrictions, as its admins see and change them. */
  profiles: SiteProfiles;
}

export type { SiteEvent, SiteView };
export { presentSite, siteIsOpen };

const stateOf = (s: Site): SiteState => ({ id: s.id, partnerId: s.partner_id, status: s.status, open: siteIsOpen(s) });

function presentSettings(r: SiteSettings): SiteSettingsRecord {
  return {
    routingRule: r.routing_rule,
    maxQueueLength: r.max_queue_length,
    maxQueueWaitSeconds: r.max_queue_wait_seconds,
    offlineMessage: r.offline_message,
    callbackUrl: r.callback_url,
    signingSecretVersion: r.signing_secret_version,
    robot: r.robot,
    survey: r.survey,
    widget: r.widget,
    refusedVisitorIps: r.refused_visitor_ips,
    agentIps: r.agent_ips,
    files: r.files,
  };
}

/**
 * How long a node trusts a site's state it read: every authenticated request asks, and a site's
 * state changes rarely. A change made on this node is seen at once (and the site is read afresh
 * for a while, so a read racing the change's commit cannot keep the old state); one made on
 * another node within this time. Calls inside a transaction always read.
 */
const STATE_TTL_MS = 1000;
const FRESH_AFTER_CHANGE_MS = 5000;
const STATES_REMEMBERED = 10_000;

/** Site operations over the module's own tables. */
export function createTenancyService(db: Kysely<TenancyTables>, events: EventLog<TenancyTables, SiteEvent>): TenancyService {
  const on = (ex: Executor | undefined): Kysely<TenancyTables> => ex ?? db;
  const states = new Map<number, { state: SiteState | undefined; until: number }>();
  const changed = new Map<number, number>();

  async function stateOfSite(siteId: number): Promise<SiteState | undefined> {
    const now = Date.now();
    const known = states.get(siteId);
    if (known && known.until > now) return known.state;
    const site = await repo.findSite(db, siteId);
    const state = site && stateOf(site);
    if ((changed.get(siteId) ?? 0) <= now) {
      changed.delete(siteId);
      if (states.size >= STATES_REMEMBERED) states.clear();
      states.set(siteId, { state, until: now + STATE_TTL_MS });
    }
    return state;
  }

  /** A site changed on this node: its state is read afresh from now on, for a while. */
  function forget(siteId: number): void {
    states.delete(siteId);
    changed.set(siteId, Date.now() + FRESH_AFTER_CHANGE_MS);
  }

  const lifecycle = createSiteLifecycle(db, forget);
  return {
    async createSite(partnerId, fields, ex) {
      return presentSite(await repo.insertSite(on(ex), partnerId, fields));
    },
    async findSite(siteId) {
      const site = await repo.findSite(db, siteId);
      return site && site.status !== 'deleted' ? presentSite(site) : undefined;
    },
    async partnerOf(siteId, ex) {
      return (await repo.findSite(on(ex), siteId))?.partner_id ?? null;
    },
    async siteState(siteId, ex) {
      if (!ex) return stateOfSite(siteId);
      const site = await repo.findSite(ex, siteId);
      return site && stateOf(site);
    },
    async siteStates(siteIds, ex) {
      const ids = [...new Set(siteIds)];
      if (!ex) {
        const out = new Map<number, SiteState>();
        for (const id of ids) {
          const state = await stateOfSite(id);
          if (state) out.set(id, state);
        }
        return out;
      }
      return new Map((await repo.findSites(ex, ids)).map((s) => [s.id, stateOf(s)]));
    },
    settings: {
      async read(siteId, ex) {
        const row = await repo.findSettings(on(ex), siteId);
        return row && presentSettings(row);
      },
      async write(siteId, change, ex) {
        await repo.upsertSettings(on(ex), siteId, {
          ...(change.routingRule !== undefined && { routing_rule: change.routingRule }),
          ...(change.maxQueueLength !== undefined && { max_queue_length: change.maxQueueLength }),
          ...(change.maxQueueWaitSeconds !== undefined && { max_queue_wait_seconds: change.maxQueueWaitSeconds }),
          ...(change.offlineMessage !== undefined && { offline_message: change.offlineMessage }),
          ...(change.callbackUrl !== undefined && { callback_url: change.callbackUrl }),
          ...(change.robot !== undefined && { robot: change.robot }),
          ...(change.survey !== undefined && { survey: change.survey }),
          ...(change.widget !== undefined && { widget: change.widget }),
          ...(change.refusedVisitorIps !== undefined && { refused_visitor_ips: change.refusedVisitorIps }),
          ...(change.agentIps !== undefined && { agent_ips: change.agentIps }),
          ...(change.files !== undefined && { files: change.files }),
        });
      },
      nextSigningSecretVersion: (siteId, ex) => repo.bumpSigningSecretVersion(on(ex), siteId),
      withQueueWaitLimit: () => repo.sitesWithQueueWaitLimit(db),
    },
    lifecycle,
    profiles: createSiteProfiles(db, events, lifecycle),
  };
}
