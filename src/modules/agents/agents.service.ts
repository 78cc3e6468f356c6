// Agents of a site: created by the site's admins, who log in and set their own status.
import type { Kysely } from 'kysely';
import { requirePermission, requireSiteAdmin, type SiteContext } from '../../platform/context.ts';
import { flag } from '../../platform/db/columns.ts';
import { type Executor, isUniqueViolation } from '../../platform/db/database.ts';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import { type AgentAccount, type AgentAccounts, hashPassword } from '../identity/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { AgentEvent } from './agents.events.ts';
import {
  type AgentAccountRow,
  agentCard,
  countAgents,
  findAgentByExternalId,
  findSignInAgentByEmail,
  insertSignedInAgent,
  insertSiteAdmin,
  type SignInAgentRow,
  setExternalId,
  findAccount,
  findAccountsByEmail,
  findActiveAgent,
  findAgent,
  findAgentByEmail,
  findGroup,
  findOnlineAgents,
  findProfile,
  groupMembers,
  insertAgent,
  insertGroup,
  listAgents,
  listGroups,
  replaceGroupMembers,
  updateAgentActive,
  updateAgentRouting,
  updateAgentStatus,
  updateOperatorSession,
} from './agents.repository.ts';
import { type AgentAdministration, createAgentAdministration } from './agents.admin.ts';
import { createDelegation } from './agents.delegation.ts';
import { type AgentView, type GroupView, presentAgent } from './agents.presenter.ts';
import type { AgentRole, AgentStatus, AgentsTables } from './agents.tables.ts';

export type { AgentView, GroupView } from './agents.presenter.ts';
export { presentAgent } from './agents.presenter.ts';

export interface NewAgentInput {
  email: string;
  name: string;
  password: string;
  role?: AgentRole | undefined;
  maxConcurrentChats?: number | undefined;
  avatarUrl?: string | undefined;
}

/** What others (visitors, the console, IM applications) may see of an agent: name and picture. */
export interface AgentCard {
  id: number;
  name: string;
  avatarUrl: string | null;
}

/** An agent routing may give a chat to: online, not blocked, with its capacity and tier. */
export interface AvailableAgent {
  id: number;
  maxConcurrentChats: number;
  priority: number;
}

/** The agents module's door. */
export interface AgentsService {
  /** Creates an agent in the caller's site (site admins only, or trusted setup code with `system`). */
  create(ctx: SiteContext | { siteId: number; system: true }, input: NewAgentInput): Promise<AgentView>;
  /** One agent of the caller's site. */
  get(ctx: SiteContext, agentId: number): Promise<AgentView>;
  /** Every agent of the caller's site. */
  list(ctx: SiteContext): Promise<AgentView[]>;
  /** The ids of every agent of a site (for trusted callers: closing the site ends their sessions). */
  idsOfSite(siteId: number): Promise<number[]>;
  /** Blocks or unblocks an agent of the site (site admins; not themselves). */
  setActive(ctx: SiteContext, agentId: number, isActive: boolean): Promise<AgentView>;
  /** Changes whether an agent is blocked, how many chats it takes at once, its routing tier (site admins). */
  update(ctx: SiteContext, agentId: number, change: { isActive?: boolean | undefined; maxConcurrentChats?: number | undefined; priority?: number | undefined }): Promise<AgentView>;
  /** Creates a group (department) of the site (site admins). */
  createGroup(ctx: SiteContext, input: { name: string; agentIds?: number[] | undefined }): Promise<GroupView>;
  /** Replaces a group's members (site admins). */
  setGroupMembers(ctx: SiteContext, groupId: number, agentIds: number[]): Promise<GroupView>;
  /** The site's groups with their members. */
  listGroups(ctx: SiteContext): Promise<GroupView[]>;
  /** Sets the calling agent's own status; going online lets routing hand it waiting chats. */
  setOwnStatus(ctx: SiteContext, status: AgentStatus): Promise<AgentView>;
  /** An agent's card, if the site has that agent. */
  card(siteId: number, agentId: number, ex?: Executor): Promise<AgentCard | undefined>;
  /** An agent of the site that is not blocked, with its name and status. */
  findActive(siteId: number, agentId: number, ex?: Executor): Promise<{ id: number; name: string; status: AgentStatus } | undefined>;
  /** The site's agents routing may give chats to now. */
  available(siteId: number, ex?: Executor): Promise<AvailableAgent[]>;
  /** The site's groups with their members' ids. */
  groupMembers(siteId: number, ex?: Executor): Promise<Map<number, Set<number>>>;
  /** Whether the site has that group. */
  groupExists(siteId: number, groupId: number, ex?: Executor): Promise<boolean>;
  /** How many of the site's agents are online and not blocked. */
  countOnline(siteId: number): Promise<number>;
  /** Records an agent's latest operator-panel session (earlier sessions' tokens stop working). */
  setOperatorSession(agentId: number, sessionId: number, ex?: Executor): Promise<void>;
  /** An agent's name and e-mail, for the pages of its session. */
  profile(agentId: number): Promise<{ name: string; email: string } | undefined>;
  /** Agents' accounts, as signing in and token checks need them (identity reads them here). */
  accounts: AgentAccounts;
  /** Adds a site's first administrator in the caller's transaction (the site is being opened); returns its id. */
  createSiteAdmin(ex: Executor, siteId: number, admin: { email: string; name: string; passwordHash: string }): Promise<number>;
  /** How many agents a site has. */
  countOfSite(siteId: number): Promise<number>;
  /** The control panel's operations: profiles, passwords, deletion, groups, permissions. */
  admin: AgentAdministration;
  /** Agents as single sign-on matches, links and creates them. */
  signIn: {
    byExternalId(siteId: number, externalId: string): Promise<SignInAgent | undefined>;
    byEmail(siteId: number, email: string): Promise<SignInAgent | undefined>;
    linkExternalId(agentId: number, externalId: string): Promise<void>;
    /** Creates an agent at its first sign-in, with the site's default capacity; a racing one makes this throw a unique violation. */
    create(siteId: number, agent: { email: string; name: string; externalId: string | null }): Promise<SignInAgent>;
  };
}

/** An agent as single sign-on sees it. */
export interface SignInAgent {
  id: number;
  email: string;
  name: string;
  isActive: boolean;
  externalId: string | null;
}

const duplicate = (email: string) => new Conflict(`An agent with e-mail ${email} already exists in this site.`);

export interface AgentsDeps {
  db: Kysely<AgentsTables>;
  /** Where the module's changes and their events commit together. */
  events: EventLog<AgentsTables, AgentEvent>;
  /** Whether an agent's site is open decides whether it may sign in. */
  tenancy: Pick<TenancyService, 'siteStates'>;
  defaultMaxConcurrentChats: number;
}

/** Agent operations, each scoped to the caller's site. */
export function createAgentsService({ db, events, tenancy, defaultMaxConcurrentChats }: AgentsDeps): AgentsService {
  const on = (ex: Executor | undefined): Kysely<AgentsTables> => ex ?? db;
  const delegation = createDelegation(db);

  /** Accounts with their sites' state. */
  async function accountsOf(rows: AgentAccountRow[]): Promise<AgentAccount[]> {
    const sites = await tenancy.siteStates(rows.map((r) => r.site_id));
    return rows.flatMap((r) => {
      const site = sites.get(r.site_id);
      if (!site) return [];
      const account: AgentAccount = {
        id: r.id,
        siteId: r.site_id,
        partnerId: site.partnerId,
        role: r.role,
        passwordHash: r.password_hash,
        active: flag(r.is_active),
        siteOpen: site.open,
        operatorSessionId: r.operator_session_id,
      };
      return [account];
    });
  }

  // Every id must be an agent of the caller's site: another site's agent is as unknown as a missing one.
  async function requireAgents(ctx: SiteContext, agentIds: number[]): Promise<void> {
    const known = new Set((await listAgents(db, ctx.siteId)).map((a) => a.id));
    const unknown = agentIds.find((id) => !known.has(id));
    if (unknown !== undefined) throw new NotFound('agent', unknown);
  }

  /** Blocks or unblocks an agent of the site (site admins; not themselves). */
  async function setActive(ctx: SiteContext, agentId: number, isActive: boolean): Promise<AgentView> {
    requirePermission(ctx, 'manageAgents', 'manage agents and groups');
    if (ctx.actor.kind === 'agent' && ctx.actor.agentId === agentId) throw new Forbidden('You cannot block yourself.');
    await delegation.requireOver(ctx, agentId, isActive ? 'unblock' : 'block');
    const agent = await events.transaction(async (trx, emit) => {
      const before = await findAgent(trx, ctx.siteId, agentId);
      if (!before) throw new NotFound('agent', agentId);
      if (before.role === 'admin') requireSiteAdmin(ctx, 'block or unblock a site admin');
      const after = await updateAgentActive(trx, ctx.siteId, agentId, isActive);
      if (!after) throw new NotFound('agent', agentId);
      if (flag(before.is_active) !== isActive) {
        emit({ name: isActive ? 'agent.unblocked' : 'agent.blocked', siteId: ctx.siteId, agentId });
        if (!isActive && before.status !== 'offline') emit({ name: 'agent.statusChanged', siteId: ctx.siteId, agentId, status: 'offline' });
      }
      return after;
    });
    return presentAgent(agent);
  }

  return {
    /** Creates an agent in the caller's site (site admins only, or trusted setup code with `system`). */
    async create(ctx: SiteContext | { siteId: number; system: true }, input: NewAgentInput): Promise<AgentView> {
      if (!('system' in ctx)) {
        requirePermission(ctx, 'manageAgents', 'add agents');
        if (input.role === 'admin') requireSiteAdmin(ctx, 'add a site admin');
      }
      const email = input.email.toLowerCase();
      if (await findAgentByEmail(db, ctx.siteId, email)) throw duplicate(email);
      const row = {
        email,
        name: input.name,
        passwordHash: await hashPassword(input.password),
        role: input.role ?? 'agent',
        maxConcurrentChats: input.maxConcurrentChats ?? defaultMaxConcurrentChats,
        avatarUrl: input.avatarUrl,
      } as const;
      try {
        return presentAgent(await insertAgent(db, ctx.siteId, row));
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicate(email);
        throw err;
      }
    },

    /** One agent of the caller's site. */
    async get(ctx: SiteContext, agentId: number): Promise<AgentView> {
      const agent = await findAgent(db, ctx.siteId, agentId);
      if (!agent) throw new NotFound('agent', agentId);
      return presentAgent(agent);
    },

    async idsOfSite(siteId: number): Promise<number[]> {
      return (await listAgents(db, siteId)).map((a) => a.id);
    },

    async list(ctx: SiteContext): Promise<AgentView[]> {
      return (await listAgents(db, ctx.siteId)).map(presentAgent);
    },

    setActive,

    /**
     * Changes what an agent of the site may be given (site admins): blocked or not, how many chats
     * at once, its routing tier. Routing runs again when capacity or tier changed.
     */
    async update(ctx: SiteContext, agentId: number, change: { isActive?: boolean | undefined; maxConcurrentChats?: number | undefined; priority?: number | undefined }): Promise<AgentView> {
      requirePermission(ctx, 'manageAgents', 'manage agents and groups');
      let view = change.isActive === undefined ? undefined : await setActive(ctx, agentId, change.isActive);
      if (change.maxConcurrentChats !== undefined || change.priority !== undefined) {
        const target = await findAgent(db, ctx.siteId, agentId);
        if (!target) throw new NotFound('agent', agentId);
        if (target.role === 'admin') requireSiteAdmin(ctx, "change a site admin's routing");
        await delegation.requireOver(ctx, agentId, 'change the routing of');
        const agent = await events.transaction(async (trx, emit) => {
          const changed = await updateAgentRouting(trx, ctx.siteId, agentId, change);
          if (!changed) throw new NotFound('agent', agentId);
          emit({ name: 'agent.routingChanged', siteId: ctx.siteId, agentId, maxConcurrentChats: changed.max_concurrent_chats, priority: changed.priority });
          return changed;
        });
        view = presentAgent(agent);
      }
      if (!view) throw new BadRequest('Nothing to change.');
      return view;
    },

    /** Creates a group (department) of the site (site admins). */
    async createGroup(ctx: SiteContext, input: { name: string; agentIds?: number[] | undefined }): Promise<GroupView> {
      requirePermission(ctx, 'manageAgents', 'manage agents and groups');
      await requireAgents(ctx, input.agentIds ?? []);
      await delegation.requireMembersChange(ctx, null, [], input.agentIds ?? []);
      let group: Awaited<ReturnType<typeof insertGroup>>;
      try {
        group = await insertGroup(db, ctx.siteId, input.name.trim());
      } catch (err) {
        if (isUniqueViolation(err)) throw new Conflict(`A group named ${input.name.trim()} already exists in this site.`);
        throw err;
      }
      await replaceGroupMembers(db, ctx.siteId, group.id, [...new Set(input.agentIds ?? [])]);
      return { id: group.id, siteId: group.site_id, name: group.name, agentIds: [...new Set(input.agentIds ?? [])].sort((a, b) => a - b), createdAt: group.created_at };
    },

    /** Replaces a group's members (site admins). */
    async setGroupMembers(ctx: SiteContext, groupId: number, agentIds: number[]): Promise<GroupView> {
      requirePermission(ctx, 'manageAgents', 'manage agents and groups');
      const group = await findGroup(db, ctx.siteId, groupId);
      if (!group) throw new NotFound('group', groupId);
      await requireAgents(ctx, agentIds);
      const unique = [...new Set(agentIds)].sort((a, b) => a - b);
      const before = (await groupMembers(db, ctx.siteId)).get(groupId) ?? new Set<number>();
      await delegation.requireMembersChange(ctx, groupId, [...before], unique);
      await replaceGroupMembers(db, ctx.siteId, groupId, unique);
      return { id: group.id, siteId: group.site_id, name: group.name, agentIds: unique, createdAt: group.created_at };
    },

    /** The site's groups with their members. */
    async listGroups(ctx: SiteContext): Promise<GroupView[]> {
      return (await listGroups(db, ctx.siteId)).map(({ group, agentIds }) => ({
        id: group.id,
        siteId: group.site_id,
        name: group.name,
        agentIds,
        createdAt: group.created_at,
      }));
    },

    /** Sets the calling agent's own status; going online lets routing hand it waiting chats. */
    async setOwnStatus(ctx: SiteContext, status: AgentStatus): Promise<AgentView> {
      if (ctx.actor.kind !== 'agent') throw new Forbidden('Only agents have a status.');
      const agentId = ctx.actor.agentId;
      const agent = await events.transaction(async (trx, emit) => {
        const changed = await updateAgentStatus(trx, ctx.siteId, agentId, status);
        if (!changed) throw new NotFound('agent', agentId);
        emit({ name: 'agent.statusChanged', siteId: ctx.siteId, agentId, status });
        return changed;
      });
      return presentAgent(agent);
    },

    card: (siteId, agentId, ex) => agentCard(on(ex), siteId, agentId),
    findActive: (siteId, agentId, ex) => findActiveAgent(on(ex), siteId, agentId),
    async available(siteId, ex) {
      return (await findOnlineAgents(on(ex), siteId)).map((a) => ({ id: a.id, maxConcurrentChats: a.max_concurrent_chats, priority: a.priority }));
    },
    groupMembers: (siteId, ex) => groupMembers(on(ex), siteId),
    async groupExists(siteId, groupId, ex) {
      return (await findGroup(on(ex), siteId, groupId)) !== undefined;
    },
    async countOnline(siteId) {
      return (await findOnlineAgents(db, siteId)).length;
    },
    setOperatorSession: (agentId, sessionId, ex) => updateOperatorSession(on(ex), agentId, sessionId),
    profile: (agentId) => findProfile(db, agentId),
    accounts: {
      byEmail: async (email) => accountsOf(await findAccountsByEmail(db, email)),
      async find(agentId, siteId) {
        const row = await findAccount(db, siteId, agentId);
        return row ? (await accountsOf([row]))[0] : undefined;
      },
      profile: (agentId) => findProfile(db, agentId),
    },
    createSiteAdmin: (ex, siteId, admin) => insertSiteAdmin(ex, siteId, admin),
    countOfSite: (siteId) => countAgents(db, siteId),
    admin: createAgentAdministration({ db, events }, delegation),
    signIn: {
      byExternalId: async (siteId, externalId) => signInAgent(await findAgentByExternalId(db, siteId, externalId)),
      byEmail: async (siteId, email) => signInAgent(await findSignInAgentByEmail(db, siteId, email)),
      linkExternalId: (agentId, externalId) => setExternalId(db, agentId, externalId),
      create: async (siteId, a) => signInAgent(await insertSignedInAgent(db, { siteId, ...a, maxConcurrentChats: defaultMaxConcurrentChats }))!,
    },
  };
}

function signInAgent(row: SignInAgentRow | undefined): SignInAgent | undefined {
  return row && { id: row.id, email: row.email, name: row.name, isActive: flag(row.is_active), externalId: row.external_id };
}

