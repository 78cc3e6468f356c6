// A site's own view of itself in the control panel: its profile (what the partner set up, which its
// admins may correct) and its IP restrictions, which every node checks on each visitor's and agent's
// request (docs/control-panel.md).
import type { Kysely } from 'kysely';
import { requirePermission, requireSiteAdmin, type SiteContext } from '../../platform/context.ts';
import { BadRequest, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import { AllowList, validateAllowList } from '../../platform/net/allow-list.ts';
import type { SiteEvent } from './tenancy.events.ts';
import { presentSite, type SiteView } from './tenancy.presenter.ts';
import * as repo from './tenancy.repository.ts';
import type { SiteLifecycle } from './tenancy.sites.ts';
import type { TenancyTables } from './tenancy.tables.ts';

export type SiteProfileChange = Partial<Pick<SiteView, 'company' | 'companySize' | 'website' | 'phoneNumber' | 'mobilePhone' | 'country' | 'city' | 'timeZone' | 'language'>>;

export interface IpRestrictions {
  /** Addresses and CIDR ranges whose visitors are refused: no widget, no chat, nothing stored. */
  refusedVisitors: string[];
  /** When not empty, the only addresses and ranges agents may sign in and work from. */
  agentsOnlyFrom: string[];
}

/** Whether a caller's address may use a site, as each request asks. */
export interface IpPolicy {
  visitorRefused(siteId: number, ip: string): Promise<boolean>;
  agentRefused(siteId: number, ip: string): Promise<boolean>;
}

export interface SiteProfiles extends IpPolicy {
  profile(ctx: SiteContext): Promise<SiteView>;
  updateProfile(ctx: SiteContext, change: SiteProfileChange): Promise<SiteView>;
  ipRestrictions(ctx: SiteContext): Promise<IpRestrictions>;
  /** Replaces them; `callerIp` (the caller's address) must stay allowed for agents, so nobody locks themselves out. */
  setIpRestrictions(ctx: SiteContext, restrictions: IpRestrictions, callerIp: string): Promise<IpRestrictions>;
}

/** How long a node trusts the IP restrictions it read (a change made on this node applies at once). */
const POLICY_TTL_MS = 1000;
const POLICIES_REMEMBERED = 10_000;

interface Compiled {
  visitors: AllowList | null;
  agents: AllowList | null;
  until: number;
}

function checked(entries: string[], field: keyof IpRestrictions): string[] {
  const result = validateAllowList(entries);
  if (!result.ok) {
    throw new BadRequest(`${field}: ${result.errors.map((e) => e.reason).join(' ')}`, {
      reason: 'invalid-ip-restriction',
      errors: result.errors.map((e) => ({ path: `/${field}/${e.index}`, message: e.reason })),
    });
  }
  return result.value;
}

export function createSiteProfiles(db: Kysely<TenancyTables>, events: EventLog<TenancyTables, SiteEvent>, lifecycle: SiteLifecycle): SiteProfiles {
  const policies = new Map<number, Compiled>();

  async function policyOf(siteId: number): Promise<Compiled> {
    const now = Date.now();
    const known = policies.get(siteId);
    if (known && known.until > now) return known;
    const row = await repo.findSettings(db, siteId);
    const list = (json: string | undefined) => {
      const entries = JSON.parse(json ?? '[]') as string[];
      return entries.length > 0 ? AllowList.from(entries) : null;
    };
    const compiled = { visitors: list(row?.refused_visitor_ips), agents: list(row?.agent_ips), until: now + POLICY_TTL_MS };
    if (policies.size >= POLICIES_REMEMBERED) policies.clear();
    policies.set(siteId, compiled);
    return compiled;
  }

  async function restrictions(siteId: number): Promise<IpRestrictions> {
    const row = await repo.findSettings(db, siteId);
    return { refusedVisitors: JSON.parse(row?.refused_visitor_ips ?? '[]') as string[], agentsOnlyFrom: JSON.parse(row?.agent_ips ?? '[]') as string[] };
  }

  return {
    async visitorRefused(siteId, ip) {
      return (await policyOf(siteId)).visitors?.allows(ip) ?? false;
    },
    async agentRefused(siteId, ip) {
      const only = (await policyOf(siteId)).agents;
      return only !== null && !only.allows(ip);
    },

    async profile(ctx) {
      const site = await repo.findSite(db, ctx.siteId);
      if (!site) throw new NotFound('site', ctx.siteId);
      return presentSite(site);
    },

    async updateProfile(ctx, change) {
      requirePermission(ctx, 'editSiteProfile', "change the site's profile");
      const site = await events.transaction(async (trx, emit) => {
        const before = await repo.findSite(trx, ctx.siteId);
        if (!before) throw new NotFound('site', ctx.siteId);
        const after = await lifecycle.changeIfStill(trx, emit, ctx.siteId, before.status, change, 'site.updated');
        if (!after) throw new NotFound('site', ctx.siteId);
        return after;
      });
      return site;
    },

    async ipRestrictions(ctx) {
      requirePermission(ctx, 'manageIpRestrictions', 'see the IP restrictions', true);
      return restrictions(ctx.siteId);
    },

    async setIpRestrictions(ctx, r, callerIp) {
      requirePermission(ctx, 'manageIpRestrictions', 'change the IP restrictions');
      const next = { refusedVisitors: checked(r.refusedVisitors, 'refusedVisitors'), agentsOnlyFrom: checked(r.agentsOnlyFrom, 'agentsOnlyFrom') };
      // Who may work from where decides whether the site admins can get in: theirs to change.
      const current = await restrictions(ctx.siteId);
      if (JSON.stringify(current.agentsOnlyFrom) !== JSON.stringify(next.agentsOnlyFrom)) requireSiteAdmin(ctx, 'change the addresses agents may work from');
      // An admin must not lock themselves out: the address they call from has to stay allowed.
      if (ctx.actor.kind === 'agent' && next.agentsOnlyFrom.length > 0 && !AllowList.from(next.agentsOnlyFrom).allows(callerIp)) {
        throw new BadRequest(`agentsOnlyFrom must include the address you are calling from (${callerIp}), or you would be locked out.`, { reason: 'would-lock-out' });
      }
      await repo.upsertSettings(db, ctx.siteId, { refused_visitor_ips: JSON.stringify(next.refusedVisitors), agent_ips: JSON.stringify(next.agentsOnlyFrom) });
      policies.delete(ctx.siteId);
      return next;
    },
  };
}
