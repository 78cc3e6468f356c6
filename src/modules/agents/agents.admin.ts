// What the control panel does to agents and groups beyond creating them: profiles, passwords,
// deletion, renaming and deleting groups, and permissions (docs/control-panel.md).
import { randomBytes } from 'node:crypto';
import { requirePermission, requireSiteAdmin, type SiteContext } from '../../platform/context.ts';
import { flag } from '../../platform/db/columns.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import { PERMISSIONS, type Permission, type Principal } from '../../platform/http/access.ts';
import { hashPassword } from '../identity/index.ts';
import {
  deleteGroup,
  findAgent,
  findAgentByEmail,
  grantedPermissions,
  listAgents,
  listGroups,
  markAgentDeleted,
  renameGroup,
  updateAgentPassword,
  updateAgentPermissions,
  updateAgentProfile,
  updateGroupPermissions,
} from './agents.repository.ts';
import { type Delegation, parseGrant } from './agents.delegation.ts';
import type { AgentsDeps } from './agents.service.ts';
import { type AgentView, type GroupView, presentAgent } from './agents.presenter.ts';
import type { Agent, AgentRole } from './agents.tables.ts';

export interface AgentProfileChange {
  name?: string | undefined;
  email?: string | undefined;
  avatarUrl?: string | null | undefined;
  role?: AgentRole | undefined;
}

/** Who may do what: each agent's and each group's grants, and what each agent holds in all. */
export interface PermissionMatrix {
  permissions: Permission[];
  agents: { agentId: number; name: string; role: AgentRole; granted: Permission[]; effective: Permission[] }[];
  groups: { groupId: number; name: string; granted: Permission[] }[];
}

/** The control panel's operations on agents and groups, each scoped to the caller's site. */
export interface AgentAdministration {
  /** Changes an agent's name, e-mail, picture or (site admins only) role. */
  updateProfile(ctx: SiteContext, agentId: number, change: AgentProfileChange): Promise<AgentView>;
  /** Sets a new password (a generated one when none is given, returned once); the agent's sessions end. */
  resetPassword(ctx: SiteContext, agentId: number, password?: string): Promise<{ password: string | null }>;
  /** Deletes an agent: it leaves lists and groups and cannot sign in; its chats keep its name. */
  remove(ctx: SiteContext, agentId: number): Promise<void>;
  renameGroup(ctx: SiteContext, groupId: number, name: string): Promise<GroupView>;
  deleteGroup(ctx: SiteContext, groupId: number): Promise<void>;
  /** The site's permission matrix. */
  permissions(ctx: SiteContext): Promise<PermissionMatrix>;
  /** Replaces the permissions granted to an agent itself. */
  setAgentPermissions(ctx: SiteContext, agentId: number, permissions: Permission[]): Promise<PermissionMatrix>;
  /** Replaces the permissions a group grants its members. */
  setGroupPermissions(ctx: SiteContext, groupId: number, permissions: Permission[]): Promise<PermissionMatrix>;
  /** What an agent holds: its own grants and its groups' (every permission for a site admin). */
  permissionsOf(principal: Extract<Principal, { kind: 'agent' }>): Promise<ReadonlySet<Permission>>;
}

const storeGrant = (permissions: Permission[]): string => JSON.stringify(PERMISSIONS.filter((p) => permissions.includes(p)));

function notSelf(ctx: SiteContext, agentId: number, what: string): void {
  if (ctx.actor.kind === 'agent' && ctx.actor.agentId === agentId) throw new Forbidden(`You cannot ${what} yourself.`);
}

export function createAgentAdministration({ db, events }: Pick<AgentsDeps, 'db' | 'events'>, delegation: Delegation): AgentAdministration {
  async function agentOrThrow(ctx: SiteContext, agentId: number): Promise<Agent> {
    const agent = await findAgent(db, ctx.siteId, agentId);
    if (!agent) throw new NotFound('agent', agentId);
    return agent;
  }

  async function matrix(ctx: SiteContext): Promise<PermissionMatrix> {
    const agents = await listAgents(db, ctx.siteId);
    const groups = await listGroups(db, ctx.siteId);
    const grantsOf = new Map<number, Set<Permission>>();
    for (const { group, agentIds } of groups) {
      for (const id of agentIds) {
        const set = grantsOf.get(id) ?? new Set<Permission>();
        for (const p of parseGrant(group.permissions)) set.add(p);
        grantsOf.set(id, set);
      }
    }
    return {
      permissions: [...PERMISSIONS],
      agents: agents.map((a) => {
        const granted = parseGrant(a.permissions);
        const all = new Set([...granted, ...(grantsOf.get(a.id) ?? [])]);
        return { agentId: a.id, name: a.name, role: a.role, granted, effective: a.role === 'admin' ? [...PERMISSIONS] : PERMISSIONS.filter((p) => all.has(p)) };
      }),
      groups: groups.map(({ group }) => ({ groupId: group.id, name: group.name, granted: parseGrant(group.permissions) })),
    };
  }

  return {
    async updateProfile(ctx, agentId, change) {
      requirePermission(ctx, 'manageAgents', "change agents' profiles");
      const before = await agentOrThrow(ctx, agentId);
      if (ctx.actor.kind !== 'agent' || ctx.actor.agentId !== agentId) await delegation.requireOver(ctx, agentId, 'change the profile of');
      if (change.role !== undefined && change.role !== before.role) {
        requireSiteAdmin(ctx, "change an agent's role");
        notSelf(ctx, agentId, 'change the role of');
      }
      if (before.role === 'admin') requireSiteAdmin(ctx, "change a site admin's profile");
      const email = change.email?.toLowerCase();
      if (email !== undefined && email !== before.email && (await findAgentByEmail(db, ctx.siteId, email))) {
        throw new Conflict(`An agent with e-mail ${email} already exists in this site.`);
      }
      try {
        const after = await updateAgentProfile(db, ctx.siteId, agentId, { ...change, email });
        if (!after) throw new NotFound('agent', agentId);
        return presentAgent(after);
      } catch (err) {
        if (isUniqueViolation(err)) throw new Conflict(`An agent with e-mail ${email} already exists in this site.`);
        throw err;
      }
    },

    async resetPassword(ctx, agentId, password) {
      requirePermission(ctx, 'manageAgents', "reset agents' passwords");
      notSelf(ctx, agentId, 'reset the password of');
      const agent = await agentOrThrow(ctx, agentId);
      if (agent.role === 'admin') requireSiteAdmin(ctx, "reset a site admin's password");
      await delegation.requireOver(ctx, agentId, 'reset the password of');
      const chosen = password ?? randomBytes(12).toString('base64url');
      const hash = await hashPassword(chosen);
      await events.transaction(async (trx, emit) => {
        await updateAgentPassword(trx, ctx.siteId, agentId, hash);
        emit({ name: 'agent.passwordReset', siteId: ctx.siteId, agentId });
      });
      return { password: password === undefined ? chosen : null };
    },

    async remove(ctx, agentId) {
      requirePermission(ctx, 'manageAgents', 'delete agents');
      notSelf(ctx, agentId, 'delete');
      const agent = await agentOrThrow(ctx, agentId);
      if (agent.role === 'admin') requireSiteAdmin(ctx, 'delete a site admin');
      await delegation.requireOver(ctx, agentId, 'delete');
      await events.transaction(async (trx, emit) => {
        await markAgentDeleted(trx, ctx.siteId, agentId);
        // Blocked first, so what follows a block (sessions end, chats go back to the queue, the
        // console is told) follows a deletion too.
        if (flag(agent.is_active)) emit({ name: 'agent.blocked', siteId: ctx.siteId, agentId });
        emit({ name: 'agent.deleted', siteId: ctx.siteId, agentId });
      });
    },

    async renameGroup(ctx, groupId, name) {
      requirePermission(ctx, 'manageAgents', 'rename groups');
      let group: Awaited<ReturnType<typeof renameGroup>>;
      try {
        group = await renameGroup(db, ctx.siteId, groupId, name.trim());
      } catch (err) {
        if (isUniqueViolation(err)) throw new Conflict(`A group named ${name.trim()} already exists in this site.`);
        throw err;
      }
      if (!group) throw new NotFound('group', groupId);
      const members = (await listGroups(db, ctx.siteId)).find((g) => g.group.id === groupId)?.agentIds ?? [];
      return { id: group.id, siteId: group.site_id, name: group.name, agentIds: members, createdAt: group.created_at };
    },

    async deleteGroup(ctx, groupId) {
      requirePermission(ctx, 'manageAgents', 'delete groups');
      if (!(await deleteGroup(db, ctx.siteId, groupId))) throw new NotFound('group', groupId);
    },

    async permissions(ctx) {
      requirePermission(ctx, 'managePermissions', 'see who may do what', true);
      return matrix(ctx);
    },

    async setAgentPermissions(ctx, agentId, permissions) {
      requirePermission(ctx, 'managePermissions', 'grant permissions');
      await agentOrThrow(ctx, agentId);
      await delegation.requireOver(ctx, agentId, 'change the permissions of');
      delegation.requireHeld(ctx, permissions, 'grant');
      if (!(await updateAgentPermissions(db, ctx.siteId, agentId, storeGrant(permissions)))) throw new NotFound('agent', agentId);
      return matrix(ctx);
    },

    async setGroupPermissions(ctx, groupId, permissions) {
      requirePermission(ctx, 'managePermissions', 'grant permissions');
      const group = (await listGroups(db, ctx.siteId)).find((g) => g.group.id === groupId)?.group;
      if (!group) throw new NotFound('group', groupId);
      delegation.requireHeld(ctx, [...parseGrant(group.permissions), ...permissions], 'change a group that grants, or grant,');
      if (!(await updateGroupPermissions(db, ctx.siteId, groupId, storeGrant(permissions)))) throw new NotFound('group', groupId);
      return matrix(ctx);
    },

    async permissionsOf(principal) {
      if (principal.role === 'admin') return new Set(PERMISSIONS);
      const held = new Set<Permission>();
      for (const grant of await grantedPermissions(db, principal.siteId, principal.agentId)) for (const p of parseGrant(grant)) held.add(p);
      return held;
    },
  };
}
