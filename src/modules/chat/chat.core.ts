// What every chat operation shares: the database and its event log, visibility and view rules,
// the routing lock and the announcements of a routing pass. Every change and the events that tell
// of it commit in one transaction (`core.events.transaction` or `core.routing`).
import type { Kysely, Transaction } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import type { Dialect } from '../../platform/db/database.ts';
import { AgentUnavailable, Forbidden, NotFound, QueueFull } from '../../platform/errors.ts';
import type { Emit, EventLog } from '../../platform/events/index.ts';
import type { AgentsService } from '../agents/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { RoutingRule, SiteSettingsRecord } from '../tenancy/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import type { ChatEvent, ChatTyping } from './chat.events.ts';
import { type ChatView, type MessageView, presentChat } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { drainQueue, queueOf } from './chat.routing.ts';
import type { Chat, ChatTables, Message } from './chat.tables.ts';

/** Where a chat for people should go; the first given wins: a named agent, a group, the site's rule. */
/** What a chat from the mobile app's WebView carries: its skill, and whether it goes ahead in the queue. */
export interface WebviewTags {
  skill?: string | undefined;
  urgent?: boolean | undefined;
}

export interface Destination {
  agentId?: number | undefined;
  groupId?: number | undefined;
}

const defaultOfflineMessage = 'Sorry, nobody can take your chat right now. Leave us a message and we will get back to you.';

/** A site's routing settings from its stored settings (kept by tenancy), the defaults filled in. */
export function routingSettingsOf(stored: SiteSettingsRecord | undefined): RoutingSettings {
  return {
    rule: stored?.routingRule ?? 'least-busy',
    maxQueueLength: stored?.maxQueueLength ?? null,
    maxQueueWaitSeconds: stored?.maxQueueWaitSeconds ?? null,
    offlineMessage: stored?.offlineMessage ?? defaultOfflineMessage,
  };
}

/** How a site routes and how long its queue may grow. */
export interface RoutingSettings {
  rule: RoutingRule;
  /** Chats that may wait in the site's queues; a newcomer beyond it is refused (offline message). */
  maxQueueLength: number | null;
  /** Seconds a chat may wait before it ends with the offline message. */
  maxQueueWaitSeconds: number | null;
  /** What a customer is told when nobody can take the chat. */
  offlineMessage: string;
}

/** What the robot says to a customer's message in a chat with it. */
export interface RobotReply {
  data: Record<string, unknown>;
  /** The robot answered the question (resets the chat's miss count). */
  answered: boolean;
  /** The robot hands the chat to people (asked for, or too many misses). */
  handover: boolean;
  /** The knowledge-base entry it answered with, if any. */
  questionId: number | null;
}

/** The robot as the chat module needs it (the robot module provides it). */
export interface RobotResponder {
  respond(chat: { siteId: number; robotMisses: number }, text: string): Promise<RobotReply>;
}

export interface ChatDeps {
  db: Kysely<ChatTables>;
  dialect: Dialect;
  /** Where the module's changes and their events commit together. */
  events: EventLog<ChatTables, ChatEvent>;
  /** Tells the other side of a chat something that is not kept (typing), at once. */
  signal(event: ChatTyping): Promise<void>;
  /** Who takes chats: agents, their cards and groups. */
  agents: Pick<AgentsService, 'card' | 'findActive' | 'available' | 'groupMembers' | 'groupExists'>;
  /** Visitors' names for the history search. */
  visitors: Pick<VisitorsService, 'contacts' | 'idsMatching'>;
  /** Whether a site is open (its files are served), and which sites limit the queue's wait. */
  tenancy: Pick<TenancyService, 'siteState' | 'settings'>;
  robot?: RobotResponder | undefined;
  /** Where files sent in chats are fetched from (their messages carry absolute addresses). */
  publicUrl?: string | undefined;
  /** The platform's file limit in bytes (PARLEY_FILE_MAX_BYTES); sites may lower it. */
  fileMaxBytes: number;
}

type Executor = Kysely<ChatTables>;
type ChatEmit = Emit<ChatEvent>;

/** Builds the shared part of the chat service. */
export function createChatCore({ db, dialect, events, signal, agents, visitors, tenancy, robot }: ChatDeps) {
  /** The site's routing settings now. */
  const settings = async (siteId: number): Promise<RoutingSettings> => routingSettingsOf(await tenancy.settings.read(siteId));

  /** Appends a message in the caller's transaction. */
  function appendMessage(trx: Transaction<ChatTables>, chat: Chat, m: repo.NewMessage): Promise<Message> {
    return repo.appendMessage(trx, chat.site_id, chat.id, m);
  }

  /** Runs a routing transaction for a site (the site is locked for routing while it runs). */
  function routing<T>(siteId: number, work: (trx: Transaction<ChatTables>, emit: ChatEmit) => Promise<T>): Promise<T> {
    return events.transaction(async (trx, emit) => {
      await repo.lockSiteForRouting(trx, dialect, siteId);
      return work(trx, emit);
    });
  }

  /** The chat as callers see it; a queued one with its place in its queue (read through `executor`). */
  async function view(chat: Chat, executor: Executor = db): Promise<ChatView> {
    if (chat.status !== 'queued') return presentChat(chat);
    const position = await repo.queuePosition(executor, chat.site_id, chat);
    if (position > 0) return presentChat(chat, position);
    // Routing took it out of the queue between the two reads: show it as it is now.
    const now = await repo.findChat(executor, chat.site_id, chat.id);
    return now && now.status !== 'queued' ? view(now, executor) : presentChat(chat);
  }

  /** The chat, if the caller may see it: its visitor, or any agent of the site. */
  async function visibleChat(ctx: SiteContext, chatId: number): Promise<Chat> {
    const chat = await repo.findChat(db, ctx.siteId, chatId);
    if (!chat || (ctx.actor.kind === 'visitor' && chat.visitor_id !== ctx.actor.visitorId)) {
      throw new NotFound('chat', chatId);
    }
    return chat;
  }

  /** The caller, who must be an agent; `admin` too when asked. */
  function agentOf(ctx: SiteContext, what: string): { agentId: number; admin: boolean } {
    if (ctx.actor.kind !== 'agent') throw new Forbidden(`Only agents ${what}.`);
    return { agentId: ctx.actor.agentId, admin: ctx.actor.role === 'admin' };
  }

  /**
   * Checks where a chat for people should go: a named agent must be an online agent of the site, a
   * group one of its groups. Returns the destination that wins (a named agent over a group).
   */
  async function checkDestination(siteId: number, to: Destination): Promise<Destination> {
    if (to.agentId !== undefined) {
      const agent = await agents.findActive(siteId, to.agentId);
      if (!agent) throw new NotFound('agent', to.agentId);
      if (agent.status !== 'online') throw new AgentUnavailable(to.agentId);
      return { agentId: to.agentId };
    }
    if (to.groupId !== undefined && !(await agents.groupExists(siteId, to.groupId))) throw new NotFound('group', to.groupId);
    return to.groupId !== undefined ? { groupId: to.groupId } : {};
  }

  /** Tells every waiting chat of a site its place in its own queue. */
  async function announceQueue(trx: Executor, emit: ChatEmit, siteId: number): Promise<void> {
    const seen = new Map<string, number>();
    for (const chat of await repo.queuedChats(trx, siteId)) {
      const key = queueOf(chat);
      const queuePosition = (seen.get(key) ?? 0) + 1;
      seen.set(key, queuePosition);
      emit({ name: 'chat.queuePositionChanged', siteId, chatId: chat.id, visitorId: chat.visitor_id, queuePosition });
    }
  }

  function announceAssigned(emit: ChatEmit, chats: Chat[], fromAgentId: number | null = null): void {
    for (const chat of chats) {
      const base = { siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id };
      emit({ name: 'chat.assigned', ...base, agentId: chat.agent_id!, fromAgentId, chat: presentChat(chat) });
    }
  }

  /** One routing pass in the caller's routing transaction, announced; returns the chats assigned. */
  async function drain(trx: Transaction<ChatTables>, emit: ChatEmit, siteId: number, rule: RoutingRule): Promise<Chat[]> {
    const assigned = await drainQueue(trx, agents, siteId, rule);
    announceAssigned(emit, assigned);
    if (assigned.length > 0) await announceQueue(trx, emit, siteId);
    return assigned;
  }

  /** Rebalances a site after capacity was freed, an agent came online or the queue grew. */
  async function route(siteId: number): Promise<Chat[]> {
    const { rule } = await settings(siteId);
    return routing(siteId, (trx, emit) => drain(trx, emit, siteId, rule));
  }

  /**
   * Puts a chat into the queue (`enter` runs in the routing transaction) and routes the site at
   * once. When the chat is still waiting and the site's queue is over its limit, nothing of it
   * commits and QueueFull is thrown. `announce` tells of the chat's own change (as routing left
   * it); the pass's assignments and, if the chat still waits, its place follow in the same commit.
   */
  async function queueAndRoute(
    siteId: number,
    enter: (trx: Transaction<ChatTables>, emit: ChatEmit) => Promise<Chat | undefined>,
    announce: (chat: Chat, emit: ChatEmit) => void = () => {},
  ): Promise<Chat | undefined> {
    const s = await settings(siteId);
    try {
      return await routing(siteId, async (trx, emit) => {
        const entered = await enter(trx, emit);
        if (!entered) return undefined;
        const recorded: ChatEvent[] = [];
        const assigned = await drain(trx, (e) => void recorded.push(e), siteId, s.rule);
        const mine = assigned.find((c) => c.id === entered.id);
        if (!mine && s.maxQueueLength !== null && (await repo.countQueued(trx, siteId)) > s.maxQueueLength) {
          throw new QueueFull(s.offlineMessage);
        }
        const chat = mine ?? entered;
        announce(chat, emit);
        recorded.forEach(emit);
        if (chat.status === 'queued') await announceWaiting(trx, emit, chat);
        return chat;
      });
    } catch (err) {
      // The refusal also undid the other assignments of that pass: make them again.
      if (err instanceof QueueFull) await route(siteId);
      throw err;
    }
  }

  async function announceWaiting(trx: Executor, emit: ChatEmit, chat: Chat): Promise<void> {
    const queued = await view(chat, trx);
    const base = { siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id };
    if (queued.status === 'queued') emit({ name: 'chat.queued', ...base, queuePosition: queued.queuePosition ?? 1, chat: queued });
  }

  /** A routing pass in the caller's routing transaction that tells `chat`, if it still waits, where it stands. */
  async function drainFor(trx: Transaction<ChatTables>, emit: ChatEmit, chat: Chat, rule: RoutingRule): Promise<Chat> {
    const assigned = await drain(trx, emit, chat.site_id, rule);
    const now = assigned.find((c) => c.id === chat.id) ?? (await repo.findChat(trx, chat.site_id, chat.id)) ?? chat;
    if (now.status === 'queued') await announceWaiting(trx, emit, now);
    return now;
  }

  /** Routes the site and tells a chat that is still waiting where it stands. */
  async function routeWaiting(chat: Chat): Promise<Chat> {
    const { rule } = await settings(chat.site_id);
    return routing(chat.site_id, (trx, emit) => drainFor(trx, emit, chat, rule));
  }

  function announceMessage(emit: ChatEmit, chat: Chat, message: MessageView): void {
    emit({ name: 'message.created', siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id, agentId: chat.agent_id, message });
  }

  return {
    db,
    dialect,
    events,
    signal,
    settings,
    agents,
    visitors,
    tenancy,
    robot,
    appendMessage,
    routing,
    view,
    visibleChat,
    agentOf,
    checkDestination,
    announceQueue,
    announceAssigned,
    drain,
    drainFor,
    announceWaiting,
    route,
    routeWaiting,
    queueAndRoute,
    announceMessage,
  };
}

export type ChatCore = ReturnType<typeof createChatCore>;
