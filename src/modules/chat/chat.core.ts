// What every chat operation shares: the database, the event emitter, visibility and view rules,
// the routing lock and the announcements that follow a routing pass.
import type { Kysely, Transaction } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import type { Dialect } from '../../platform/db/database.ts';
import type { Chat, DB } from '../../platform/db/schema.ts';
import { Forbidden, NotFound } from '../../platform/errors.ts';
import type { ChatEvent } from './chat.events.ts';
import { type ChatView, type MessageView, presentChat } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { drainQueue } from './chat.routing.ts';

export interface ChatDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  emit(event: ChatEvent): Promise<void>;
}

/** Builds the shared part of the chat service. */
export function createChatCore({ db, dialect, emit }: ChatDeps) {
  /** Runs a routing transaction for a site (the site is locked for routing while it runs). */
  function routing<T>(siteId: number, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      await repo.lockSiteForRouting(trx, dialect, siteId);
      return work(trx);
    });
  }

  async function view(chat: Chat): Promise<ChatView> {
    if (chat.status !== 'queued') return presentChat(chat);
    const position = await repo.queuePosition(db, chat.site_id, chat.id);
    if (position > 0) return presentChat(chat, position);
    // Routing took it out of the queue between the two reads: show it as it is now.
    const now = await repo.findChat(db, chat.site_id, chat.id);
    return now && now.status !== 'queued' ? view(now) : presentChat(chat);
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

  async function announceQueue(siteId: number): Promise<void> {
    const queue = await repo.queuedChats(db, siteId);
    for (const [i, chat] of queue.entries()) {
      await emit({ name: 'chat.queuePositionChanged', siteId, chatId: chat.id, visitorId: chat.visitor_id, queuePosition: i + 1 });
    }
  }

  async function announceAssigned(chats: Chat[], fromAgentId: number | null = null): Promise<void> {
    for (const chat of chats) {
      const base = { siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id };
      await emit({ name: 'chat.assigned', ...base, agentId: chat.agent_id!, fromAgentId, chat: presentChat(chat) });
    }
  }

  /** Rebalances a site after capacity was freed, an agent came online or the queue grew. */
  async function route(siteId: number): Promise<Chat[]> {
    const assigned = await routing(siteId, (trx) => drainQueue(trx, siteId));
    await announceAssigned(assigned);
    if (assigned.length > 0) await announceQueue(siteId);
    return assigned;
  }

  /** Routes the site and tells a chat that is still waiting where it stands. */
  async function routeWaiting(chat: Chat): Promise<Chat> {
    const now = (await route(chat.site_id)).find((c) => c.id === chat.id) ?? (await repo.findChat(db, chat.site_id, chat.id)) ?? chat;
    if (now.status === 'queued') {
      const queued = await view(now);
      const base = { siteId: now.site_id, chatId: now.id, visitorId: now.visitor_id };
      await emit({ name: 'chat.queued', ...base, queuePosition: queued.queuePosition ?? 1, chat: queued });
    }
    return now;
  }

  async function announceMessage(chat: Chat, message: MessageView): Promise<void> {
    await emit({ name: 'message.created', siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id, agentId: chat.agent_id, message });
  }

  return { db, emit, routing, view, visibleChat, agentOf, announceQueue, announceAssigned, route, routeWaiting, announceMessage };
}

export type ChatCore = ReturnType<typeof createChatCore>;
