// The life of a chat: a visitor asks (the robot or a human), routing assigns or queues it, the
// agent accepts, both sides exchange messages, either side ends it. Transfers, the robot hand-over,
// message edits and read/typing signals live in their own files. Events go out only after each
// transaction commits.
import type { SiteContext } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db/database.ts';
import type { Chat, ChatStatus } from '../../platform/db/schema.ts';
import { Forbidden, InvalidState } from '../../platform/errors.ts';
import { type ChatDeps, type ChatCore, createChatCore } from './chat.core.ts';
import { createChatEditing } from './chat.editing.ts';
import { createChatHandover } from './chat.handover.ts';
import { type ChatView, type MessageView, presentChat, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { createChatSignals } from './chat.signals.ts';

export interface MessageInput {
  type: 'message';
  data: { content: string };
  clientMessageId?: string | undefined;
}

/** Who a new chat starts with: the robot, or the agents (routing). */
export type AssignType = 'robot' | 'agent';

/**
 * Appends a message unless the sender already sent one with this client id; returns [message,
 * created]. A retry of a message stored before the chat ended still gets its answer.
 */
async function append(core: ChatCore, chat: Chat, m: repo.NewMessage): Promise<[MessageView, boolean]> {
  const { db } = core;
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

/** Chat operations, each scoped to the caller's site. */
export function createChatService(deps: ChatDeps) {
  const core = createChatCore(deps);
  const { db, emit, view, visibleChat } = core;

  async function openChat(ctx: SiteContext, visitorId: number, assignType: AssignType): Promise<{ chat: Chat; created: boolean }> {
    const existing = await repo.findOpenChatOfVisitor(db, ctx.siteId, visitorId);
    if (existing) return { chat: existing, created: false };
    try {
      return { chat: await repo.insertChat(db, ctx.siteId, visitorId, assignType === 'robot' ? 'bot' : 'queued'), created: true };
    } catch (err) {
      // A concurrent request of the same visitor opened the chat first (one open chat per visitor).
      const winner = isUniqueViolation(err) ? await repo.findOpenChatOfVisitor(db, ctx.siteId, visitorId) : undefined;
      if (!winner) throw err;
      return { chat: winner, created: false };
    }
  }

  return {
    route: core.route,
    ...createChatHandover(core),
    ...createChatEditing(core),
    ...createChatSignals(core),

    /**
     * A visitor asks for a chat, with the robot or for an agent, optionally with a first message.
     * A visitor with an open chat on the site gets that chat back (the message, if any, is added to it).
     */
    async request(
      ctx: SiteContext,
      input: { message?: MessageInput | undefined; assignType?: AssignType | undefined },
    ): Promise<{ chat: ChatView; created: boolean }> {
      if (ctx.actor.kind !== 'visitor') throw new Forbidden('Only visitors request chats.');
      const visitorId = ctx.actor.visitorId;
      let { chat, created } = await openChat(ctx, visitorId, input.assignType ?? 'agent');
      if (created) {
        await emit({ name: 'chat.requested', siteId: ctx.siteId, chatId: chat.id, visitorId, chat: presentChat(chat) });
        // Routing takes the queue in arrival order, so a newcomer never overtakes an older chat.
        if (chat.status === 'queued') chat = await core.routeWaiting(chat);
      }
      // The first message goes in after routing, so an agent just assigned receives it live.
      if (input.message) {
        const [message, isNew] = await append(core, chat, {
          senderKind: 'visitor',
          senderId: visitorId,
          type: input.message.type,
          data: input.message.data,
          clientMessageId: input.message.clientMessageId ?? null,
        });
        if (isNew) await core.announceMessage(chat, message);
      }
      return { chat: await view(await visibleChat(ctx, chat.id)), created };
    },

    /** The assigned agent accepts the chat. */
    async accept(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const { agentId } = core.agentOf(ctx, 'accept chats');
      const chat = await visibleChat(ctx, chatId);
      if (chat.agent_id !== agentId) throw new Forbidden('This chat is not assigned to you.');
      // Still offered to this agent when it commits: a transfer may have moved it meanwhile.
      const accepted = await repo.transitionChat(
        db,
        ctx.siteId,
        chatId,
        ['assigned'],
        { status: 'active', accepted_at: new Date().toISOString() },
        agentId,
      );
      if (!accepted) throw new InvalidState(`Chat ${chatId} is ${chat.status}; only an assigned chat can be accepted.`);
      await emit({ name: 'chat.accepted', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(accepted) });
      return presentChat(accepted);
    },

    /** Sends a message into a chat; a repeated client message id returns the first message. */
    async send(ctx: SiteContext, chatId: number, input: MessageInput): Promise<{ message: MessageView; created: boolean }> {
      const chat = await visibleChat(ctx, chatId);
      if (ctx.actor.kind === 'agent') {
        if (chat.agent_id !== ctx.actor.agentId) throw new Forbidden("Only the chat's agent may write in it.");
        // An ended chat is left to append(): a retry of a message stored before the end gets its answer.
        if (chat.status !== 'active' && chat.status !== 'ended') {
          throw new InvalidState(`Chat ${chatId} is ${chat.status}; accept it before writing.`);
        }
      }
      const sender = ctx.actor.kind === 'agent' ? ctx.actor.agentId : ctx.actor.visitorId;
      const [message, created] = await append(core, chat, {
        senderKind: ctx.actor.kind,
        senderId: sender,
        type: input.type,
        data: input.data,
        clientMessageId: input.clientMessageId ?? null,
      });
      if (created) await core.announceMessage(chat, message);
      return { message, created };
    },

    /** Ends a chat: its visitor, its agent or a site admin may. */
    async end(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      const a = ctx.actor;
      if (a.kind === 'agent' && a.role !== 'admin' && chat.agent_id !== a.agentId) {
        throw new Forbidden("Only the chat's agent or a site admin may end it.");
      }
      const endedBy = a.kind === 'visitor' ? 'visitor' : 'agent';
      // A plain agent ends the chat only if it still holds it when this commits.
      const heldBy = a.kind === 'agent' && a.role !== 'admin' ? a.agentId : undefined;
      // The end and its `close` message commit together.
      const result = await db.transaction().execute(async (trx) => {
        const row = await repo.transitionChat(
          trx,
          ctx.siteId,
          chatId,
          repo.OPEN,
          { status: 'ended', ended_at: new Date().toISOString(), ended_by: endedBy },
          heldBy,
        );
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
      if (!result) {
        throw new InvalidState(heldBy !== undefined && chat.status !== 'ended' ? `Chat ${chatId} changed hands meanwhile.` : `Chat ${chatId} has already ended.`);
      }
      const { ended, closeMessage } = result;
      await core.announceMessage(ended, closeMessage);
      const endedView = presentChat({ ...ended, last_seq: closeMessage.seq });
      await emit({ name: 'chat.ended', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId: chat.agent_id, endedBy, chat: endedView });
      // The queue moves: a queued chat left it, or an agent has room again.
      if (chat.status === 'queued') await core.announceQueue(ctx.siteId);
      else if (chat.status !== 'bot') await core.route(ctx.siteId);
      return endedView;
    },

    /** One chat the caller may see. */
    async get(ctx: SiteContext, chatId: number): Promise<ChatView> {
      return view(await visibleChat(ctx, chatId));
    },

    /** Chats the caller may see, newest first: a visitor's own, or all of the site for agents. */
    async list(ctx: SiteContext, f: Omit<repo.ChatFilter, 'statuses'> & { status?: ChatStatus | undefined; statuses?: ChatStatus[] | undefined }): Promise<ChatView[]> {
      const visitorId = ctx.actor.kind === 'visitor' ? ctx.actor.visitorId : f.visitorId;
      const statuses = f.statuses ?? (f.status ? [f.status] : undefined);
      const chats = await repo.listChats(db, ctx.siteId, { ...f, statuses, visitorId });
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
