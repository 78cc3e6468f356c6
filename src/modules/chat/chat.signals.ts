// What one side of a chat tells the other without writing a message: how far it has read, and
// that it is typing. Read positions are stored; typing is not.
import type { SiteContext } from '../../platform/context.ts';
import { BadRequest, Forbidden, InvalidState } from '../../platform/errors.ts';
import type { ChatCore } from './chat.core.ts';
import { type ChatView, type MessageView, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';

/** The read and typing operations of the chat service. */
export function createChatSignals(core: ChatCore) {
  const { db, visibleChat } = core;

  // The visitor of the chat, or its agent.
  async function side(ctx: SiteContext, chatId: number) {
    if (ctx.actor.kind === 'site-client') throw new Forbidden("Only the chat's visitor and its agent signal in it.");
    const chat = await visibleChat(ctx, chatId);
    if (ctx.actor.kind === 'agent' && chat.agent_id !== ctx.actor.agentId) {
      throw new Forbidden("Only the chat's visitor and its agent signal in it.");
    }
    return { chat, by: ctx.actor.kind };
  }

  return {
    /** Marks the chat read up to `seq` by the caller's side; announced only when it moves forward. */
    async markRead(ctx: SiteContext, chatId: number, seq: number): Promise<ChatView> {
      const { chat, by } = await side(ctx, chatId);
      if (seq > chat.last_seq) throw new BadRequest(`Chat ${chatId} has no message ${seq} (its last is ${chat.last_seq}).`);
      const moved = await core.events.transaction(async (trx, emit) => {
        const row = await repo.markRead(trx, ctx.siteId, chatId, by, seq);
        if (row) emit({ name: 'chat.read', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId: chat.agent_id, by, seq });
        return row;
      });
      return core.view(moved ?? chat);
    },

    /** Tells the other side the caller is (or stopped) typing. */
    async typing(ctx: SiteContext, chatId: number, typing: boolean): Promise<void> {
      const { chat, by } = await side(ctx, chatId);
      if (chat.status === 'ended') throw new InvalidState(`Chat ${chatId} has ended.`);
      // Typing is not kept: it goes to the other side at once, and is lost if nobody listens.
      await core.signal({ name: 'chat.typing', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId: chat.agent_id, by, typing });
    },

    /** Every message a visitor wrote or received on the site, across its chats, oldest first. */
    async messagesOfVisitor(ctx: SiteContext, visitorId: number, afterId: number, limit: number): Promise<MessageView[]> {
      core.agentOf(ctx, 'read a visitor\'s messages');
      return (await repo.listMessagesOfVisitor(db, ctx.siteId, visitorId, afterId, limit)).map(presentMessage);
    },
  };
}
