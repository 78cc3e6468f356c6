// Agents of a site: created by the site's admins, who log in and set their own status.
import type { Kysely } from 'kysely';
import { requireSiteAdmin, type SiteContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import { type Agent, type AgentRole, type AgentStatus, type DB, flag } from '../../platform/db/schema.ts';
import { BadRequest, Conflict, Forbidden, NotFound } from '../../platform/errors.ts';
import type { EventLog } from '../../platform/events/index.ts';
import { hashPassword } from '../identity/index.ts';
import type { AgentEvent } from './agents.events.ts';
import {
  findAgent,
  findAgentByEmail,
  findGroup,
  insertAgent,
  insertGroup,
  listAgents,
  listGroups,
  replaceGroupMembers,
  updateAgentActive,
  updateAgentRouting,
  updateAgentStatus,
} from './agents.repository.ts';

export interface GroupView {
  id: number;
  siteId: number;
  name: string;
  agentIds: number[];
  createdAt: string;
}

export interface AgentView {
  id: number;
  siteId: number;
  email: string;
  name: string;
  role: AgentRole;
  status: AgentStatus;
  maxConcurrentChats: number;
  /** Routing tier: tier 1 takes chats before tier 2. */
  priority: number;
  avatarUrl: string | null;
  isActive: boolean;
  createdAt: string;
}

/** Shapes an agent row for the API; never includes the password hash. */
export function presentAgent(a: Agent): AgentView {
  return {
    id: a.id,
    siteId: a.site_id,
    email: a.email,
    name: a.name,
    role: a.role,
    status: a.status,
    maxConcurrentChats: a.max_concurrent_chats,
    priority: a.priority,
    avatarUrl: a.avatar_url,
    isActive: flag(a.is_active),
    createdAt: a.created_at,
  };
}

export interface NewAgentInput {
  email: string;
  name: string;
  password: string;
  role?: AgentRole | undefined;
  maxConcurrentChats?: number | undefined;
  avatarUrl?: string | undefined;
}

const duplicate = (email: string) => new Conflict(`An agent with e-mail ${email} already exists in this site.`);

interface Deps {
  db: Kysely<DB>;
  /** Where the module's changes and their events commit together. */
  events: EventLog<DB, AgentEvent>;
  defaultMaxConcurrentChats: number;
}

/** Agent operations, each scoped to the caller's site. */
export function createAgentsService({ db, events, defaultMaxConcurrentChats }: Deps) {
  // Every id must be an agent of the caller's site: another site's agent is as unknown as a missing one.
  async function requireAgents(ctx: SiteContext, agentIds: number[]): Promise<void> {
    const known = new Set((await listAgents(db, ctx.siteId)).map((a) => a.id));
    const unknown = agentIds.find((id) => !known.has(id));
    if (unknown !== undefined) throw new NotFound('agent', unknown);
  }

  /** Blocks or unblocks an agent of the site (site admins; not themselves). */
  async function setActive(ctx: SiteContext, agentId: number, isActive: boolean): Promise<AgentView> {
    requireSiteAdmin(ctx);
    if (ctx.actor.kind === 'agent' && ctx.actor.agentId === agentId) throw new Forbidden('Admins cannot block themselves.');
    const agent = await events.transaction(async (trx, emit) => {
      const before = await findAgent(trx, ctx.siteId, agentId);
      if (!before) throw new NotFound('agent', agentId);
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
      if (!('system' in ctx)) requireSiteAdmin(ctx);
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

    /** Every agent of the caller's site. */
    async list(ctx: SiteContext): Promise<AgentView[]> {
      return (await listAgents(db, ctx.siteId)).map(presentAgent);
    },

    setActive,

    /**
     * Changes what an agent of the site may be given (site admins): blocked or not, how many chats
     * at once, its routing tier. Routing runs again when capacity or tier changed.
     */
    async update(ctx: SiteContext, agentId: number, change: { isActive?: boolean | undefined; maxConcurrentChats?: number | undefined; priority?: number | undefined }): Promise<AgentView> {
      requireSiteAdmin(ctx);
      let view = change.isActive === undefined ? undefined : await setActive(ctx, agentId, change.isActive);
      if (change.maxConcurrentChats !== undefined || change.priority !== undefined) {
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
      requireSiteAdmin(ctx);
      await requireAgents(ctx, input.agentIds ?? []);
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
      requireSiteAdmin(ctx);
      const group = await findGroup(db, ctx.siteId, groupId);
      if (!group) throw new NotFound('group', groupId);
      await requireAgents(ctx, agentIds);
      const unique = [...new Set(agentIds)].sort((a, b) => a - b);
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
  };
}

export type AgentsService = ReturnType<typeof createAgentsService>;
