// What an agent who is not a site admin may hand on (docs/control-panel.md, "Delegation"): only
// permissions it holds itself, never to itself, and never over an agent who holds more than it
// does. Without these rules, manageAgents or managePermissions alone would lead to every other
// permission (join a more powerful group, reset a more powerful colleague's password, grant
// oneself the rest). Site admins and the partner's site-data tokens are not limited.
import type { Kysely } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import { Forbidden } from '../../platform/errors.ts';
import { PERMISSIONS, type Permission } from '../../platform/http/access.ts';
import { findAgent, grantedPermissions, listGroups } from './agents.repository.ts';
import type { AgentsTables } from './agents.tables.ts';

/** A stored grant (a JSON array), only the permissions Parley knows, in its order. */
export function parseGrant(stored: string): Permission[] {
  const names = new Set(JSON.parse(stored) as string[]);
  return PERMISSIONS.filter((p) => names.has(p));
}

export interface Delegation {
  /** The caller may act on this agent's account: it holds at least what the agent holds, and it is not itself. */
  requireOver(ctx: SiteContext, agentId: number, what: string): Promise<void>;
  /** The caller holds every permission it grants. */
  requireHeld(ctx: SiteContext, permissions: readonly Permission[], what: string): void;
  /** The caller may change this group's members from `before` to `after`: it holds the group's grants and is not among those added or removed. */
  requireMembersChange(ctx: SiteContext, groupId: number | null, before: readonly number[], after: readonly number[]): Promise<void>;
}

/** The calling agent when it is limited by delegation (an agent, not a site admin); else null. */
function limited(ctx: SiteContext): { agentId: number; held: ReadonlySet<Permission> } | null {
  const a = ctx.actor;
  if (a.kind !== 'agent' || a.role === 'admin') return null;
  return { agentId: a.agentId, held: a.permissions ?? new Set() };
}

export function createDelegation(db: Kysely<AgentsTables>): Delegation {
  const refuse = (what: string) => new Forbidden(`Only a site admin may ${what}.`, { reason: 'delegation' });

  return {
    async requireOver(ctx, agentId, what) {
      const me = limited(ctx);
      if (!me) return;
      if (me.agentId === agentId) throw new Forbidden(`You cannot ${what} yourself.`, { reason: 'self' });
      const target = await findAgent(db, ctx.siteId, agentId);
      if (!target) return; // the caller answers 404
      if (target.role === 'admin') throw refuse(`${what} a site admin`);
      const theirs = new Set((await grantedPermissions(db, ctx.siteId, agentId)).flatMap(parseGrant));
      if ([...theirs].some((p) => !me.held.has(p))) throw refuse(`${what} an agent who holds permissions you do not`);
    },

    requireHeld(ctx, permissions, what) {
      const me = limited(ctx);
      if (me && permissions.some((p) => !me.held.has(p))) throw refuse(`${what} permissions you do not hold`);
    },

    async requireMembersChange(ctx, groupId, before, after) {
      const me = limited(ctx);
      if (!me) return;
      const changed = [...after.filter((id) => !before.includes(id)), ...before.filter((id) => !after.includes(id))];
      if (changed.includes(me.agentId)) throw new Forbidden('You cannot change your own group memberships.', { reason: 'self' });
      if (groupId === null || changed.length === 0) return;
      const group = (await listGroups(db, ctx.siteId)).find((g) => g.group.id === groupId)?.group;
      if (group && parseGrant(group.permissions).some((p) => !me.held.has(p))) throw refuse('change the members of a group that grants permissions you do not hold');
      for (const id of changed) await this.requireOver(ctx, id, 'move');
    },
  };
}
