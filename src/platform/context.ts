// Every site-scoped service call carries its tenant: the site and the caller acting in it.
import { Forbidden } from './errors.ts';
import type { Permission, Principal } from './http/access.ts';

export type SiteActor = Extract<Principal, { kind: 'agent' | 'visitor' | 'site-client' }>;

export interface SiteContext {
  siteId: number;
  actor: SiteActor;
}

/** The site context of an authenticated agent, visitor, or partner site client. */
export function siteContext(principal: Principal | null): SiteContext {
  if (!principal || (principal.kind !== 'agent' && principal.kind !== 'visitor' && principal.kind !== 'site-client')) throw new Forbidden('This call acts within a site.');
  return { siteId: principal.siteId, actor: principal };
}

/** Refuses any caller but an admin of the context's site (routes declare it too; services keep the rule). */
export function requireSiteAdmin(ctx: SiteContext, what = 'do this'): void {
  const a = ctx.actor;
  // A partner's client with write access to the site administers it as the partner's delegate.
  if (a.kind === 'site-client' ? !a.write : a.kind !== 'agent' || a.role !== 'admin') throw new Forbidden(`Only a site admin may ${what}.`);
}

/**
 * Refuses any caller who may not use `permission` in the context's site: site admins hold every
 * permission, other agents those granted to them or their groups (resolved by the route), and a
 * partner's site client acts with its token's scope (writes need site-data:write).
 */
export function requirePermission(ctx: SiteContext, permission: Permission, what = 'do this', read = false): void {
  const a = ctx.actor;
  const ok = a.kind === 'site-client' ? read || a.write : a.kind === 'agent' && (a.role === 'admin' || a.permissions?.has(permission) === true);
  if (!ok) throw new Forbidden(`You need the ${permission} permission to ${what}.`, { reason: 'permission', permission });
}
