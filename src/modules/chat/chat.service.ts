// The life of a chat: a visitor asks, routing assigns or queues, the agent accepts, both sides
// exchange messages, either side ends it. Events go out only after each transaction commits.
import type { Kysely, Transaction } from 'kysely';
import type { SiteContext } from '../../platform/context.ts';
import { type Dialect, isUniqueViolation } from '../../platform/db/database.ts';
import type { Chat, ChatStatus, DB } from '../../platform/db/schema.ts';
import { Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import type { ChatEvent } from './chat.events.ts';
import { type ChatView, type MessageView, presentChat, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { drainQueue } from './chat.routing.ts';

export interface MessageInput {
  type: 'message';
  data: { content: string };
  clientMessageId?: string | undefined;
}

interface Deps {
  db: Kysely<DB>;
  dialect: Dialect;
  emit(event: ChatEvent): Promise<void>;
}

/** Chat operations, each scoped to the caller's site. */
export function createChatService({ db, dialect, emit }: Deps) {
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
    // Routing took it out of the queue between the two reads: show it as it is now. A chat never
    // returns to the queue, so this reads at most once more.
    const now = await repo.findChat(db, chat.site_id, chat.id);
    return now ? view(now) : presentChat(chat);
  }

  /** The chat, if the caller may see it: its visitor, or any agent of the site. */
  async function visibleChat(ctx: SiteContext, chatId: number): Promise<Chat> {
    const chat = await repo.findChat(db, ctx.siteId, chatId);
    if (!chat || (ctx.actor.kind === 'visitor' && chat.visitor_id !== ctx.actor.visitorId)) {
      throw new NotFound('chat', chatId);
    }
    return chat;
  }

  async function announceAssigned(chats: Chat[]): Promise<void> {
    for (const chat of chats) {
      await emit({ name: 'chat.assigned', siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id, agentId: chat.agent_id!, chat: presentChat(chat) });
    }
  }

  async function announceQueue(siteId: number): Promise<void> {
    const queue = await repo.queuedChats(db, siteId);
    for (const [i, chat] of queue.entries()) {
      await emit({ name: 'chat.queuePositionChanged', siteId, chatId: chat.id, visitorId: chat.visitor_id, queuePosition: i + 1 });
    }
  }

  async function announceMessage(chat: Chat, message: MessageView): Promise<void> {
    await emit({ name: 'message.created', siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id, agentId: chat.agent_id, message });
  }

  /**
   * Appends a message unless the sender already sent one with this client id; returns [message,
   * created]. A retry of a message stored before the chat ended still gets its answer.
   */
  async function append(chat: Chat, m: repo.NewMessage): Promise<[MessageView, boolean]> {
    const earlier = await repo.findByClientId(db, chat.site_id, chat.id, m);
    if (earlier) return [presentMessage(earlier), false];
    if (chat.status === 'ended') throw new InvalidState(`Chat ${chat.id} has ended.`);
    try {
      const row = await db.transaction().execute((trx) => repo.appendMessage(trx, chat.site_id, chat.id, m));
      return [presentMessage(row), true];
    } catch (err) {
      // A concurrent retry with the same client id won the race: answer with its message.
      const winner = isUniqueViolation(err) ? await repo.findByClientId(db, chat.site_id, chat.id, m) : undefined;
      if (winner) return [presentMessage(winner), false];
      throw err;
    }
  }

  /** Rebalances a site after capacity was freed or an agent came online. */
  async function route(siteId: number): Promise<Chat[]> {
    const assigned = await routing(siteId, (trx) => drainQueue(trx, siteId));
    await announceAssigned(assigned);
    if (assigned.length > 0) await announceQueue(siteId);
    return assigned;
  }

  return {
    route,

    /**
     * A visitor asks for a chat, optionally with a first message. A visitor with an open chat on
     * the site gets that chat back (the message, if any, is added to it).
     */
    async request(ctx: SiteContext, input: { message?: MessageInput | undefined }): Promise<{ chat: ChatView; created: boolean }> {
      if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only visitors request chats.');
      const visitorId = ctx.actor.visitorId;
      let existing = await repo.findOpenChatOfVisitor(db, ctx.siteId, visitorId);
      let chat: Chat;
      try {
        chat = existing ?? (await repo.insertChat(db, ctx.siteId, visitorId, null));
      } catch (err) {
        // A concurrent request of the same visitor opened the chat first (one open chat per visitor).
        existing = isUniqueViolation(err) ? await repo.findOpenChatOfVisitor(db, ctx.siteId, visitorId) : undefined;
        if (!existing) throw err;
        chat = existing;
      }
      if (!existing) {
        await emit({ name: 'chat.requested', siteId: ctx.siteId, chatId: chat.id, visitorId });
        // Routing takes the queue in arrival order, so a newcomer never overtakes an older chat.
        chat = (await route(ctx.siteId)).find((c) => c.id === chat.id) ?? (await visibleChat(ctx, chat.id));
        const queued = await view(chat);
        if (queued.queuePosition !== null) {
          await emit({ name: 'chat.queued', siteId: ctx.siteId, chatId: chat.id, visitorId, queuePosition: queued.queuePosition });
        }
      }
      // The first message goes in after routing, so an agent just assigned receives it live.
      if (input.message) {
        const [message, created] = await append(chat, {
          senderKind: 'visitor',
          senderId: visitorId,
          type: input.message.type,
          data: input.message.data,
          clientMessageId: input.message.clientMessageId ?? null,
        });
        if (created) await announceMessage(chat, message);
      }
      return { chat: await view(await visibleChat(ctx, chat.id)), created: !existing };
    },

    /** The assigned agent accepts the chat. */
    async accept(ctx: SiteContext, chatId: number): Promise<ChatView> {
      if (ctx.actor.kind !== 'agent') throw new Forbidden('Only agents accept chats.');
      const agentId = ctx.actor.agentId;
      const chat = await visibleChat(ctx, chatId);
      if (chat.agent_id !== agentId) throw new Forbidden('This chat is not assigned to you.');
      const accepted = await repo.transitionChat(db, ctx.siteId, chatId, ['assigned'], {
        status: 'active',
        accepted_at: new Date().toISOString(),
      });
      if (!accepted) throw new InvalidState(`Chat ${chatId} is ${chat.status}; only an assigned chat can be accepted.`);
      await emit({ name: 'chat.accepted', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(accepted) });
      return presentChat(accepted);
    },

    /** Sends a message into a chat; a repeated client message id returns the first message. */
    async send(ctx: SiteContext, chatId: number, input: MessageInput): Promise<{ message: MessageView; created: boolean }> {
      const chat = await visibleChat(ctx, chatId);
      if (ctx.actor.kind === 'agent') {
        if (chat.agent_id !== ctx.actor.agentId) throw new Forbidden('Only the chat\'s agent may write in it.');
        if (chat.status !== 'active') throw new InvalidState(`Chat ${chatId} is ${chat.status}; accept it before writing.`);
      }
      const sender = ctx.actor.kind === 'agent' ? ctx.actor.agentId : ctx.actor.visitorId;
      const newMessage: repo.NewMessage = {
        senderKind: ctx.actor.kind,
        senderId: sender,
        type: input.type,
        data: input.data,
        clientMessageId: input.clientMessageId ?? null,
      };
      const [message, created] = await append(chat, newMessage);
      if (created) await announceMessage(chat, message);
      return { message, created };
    },

    /** Ends a chat: its visitor, its agent or a site admin may. */
    async end(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      const a = ctx.actor;
      if (a.kind === 'agent' && a.role !== 'admin' && chat.agent_id !== a.agentId) {
        throw new Forbidden('Only the chat\'s agent or a site admin may end it.');
      }
      const endedBy = a.kind === 'visitor' ? 'visitor' : 'agent';
      // The end and its `close` message commit together.
      const result = await db.transaction().execute(async (trx) => {
        const row = await repo.transitionChat(trx, ctx.siteId, chatId, ['queued', 'assigned', 'active'], {
          status: 'ended',
          ended_at: new Date().toISOString(),
          ended_by: endedBy,
        });
        if (!row) return undefined;
        const close = await repo.appendMessage(trx, ctx.siteId, chatId, {
          senderKind: 'system',
          senderId: null,
          type: 'close',
          data: { endedBy },
          clientMessageId: null,
        });
        return { ended: row, closeMessage: presentMessage(close) };
      });
      if (!result) throw new InvalidState(`Chat ${chatId} has already ended.`);
      const { ended, closeMessage } = result;
      await announceMessage(ended, closeMessage);
      const view = presentChat({ ...ended, last_seq: closeMessage.seq });
      await emit({ name: 'chat.ended', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId: chat.agent_id, endedBy, chat: view });
      // The queue moves: a queued chat left it, or an agent has room again.
      if (chat.status === 'queued') await announceQueue(ctx.siteId);
      else await route(ctx.siteId);
      return view;
    },

    /** One chat the caller may see. */
    async get(ctx: SiteContext, chatId: number): Promise<ChatView> {
      return view(await visibleChat(ctx, chatId));
    },

    /** Chats the caller may see, newest first: a visitor's own, or all of the site for agents. */
    async list(ctx: SiteContext, f: { status?: ChatStatus | undefined; limit: number; beforeId?: number | undefined }): Promise<ChatView[]> {
      const visitorId = ctx.actor.kind === 'visitor' ? ctx.actor.visitorId : undefined;
      const chats = await repo.listChats(db, ctx.siteId, { ...f, visitorId });
      return Promise.all(chats.map(view));
    },

    /** A chat's messages in order, after a sequence number. */
    async messages(ctx: SiteContext, chatId: number, afterSeq: number, limit: number): Promise<MessageView[]> {
      await visibleChat(ctx, chatId);
      return (await repo.listMessages(db, ctx.siteId, chatId, afterSeq, limit)).map(presentMessage);
    },

    countByStatus: () => repo.countChatsByStatus(db),
  };
}

export type ChatService = ReturnType<typeof createChatService>;
