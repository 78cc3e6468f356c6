// Agents correct or withdraw what they wrote. Nothing is lost: each change keeps the text as it
// was before, which site admins can read back.
import type { SiteContext } from '../../platform/context.ts';
import type { Message } from './chat.tables.ts';
import { BadRequest, Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import { hasContent, sanitizeRichText } from '../../platform/text/rich-text.ts';
import type { ChatCore } from './chat.core.ts';
import { deleteAttachmentsOfMessage } from './chat.files.repository.ts';
import { type AuditedMessageView, type MessageView, presentAuditedMessage, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';

/** The message-editing operations of the chat service. */
export function createChatEditing(core: ChatCore) {
  const { db, visibleChat } = core;

  // An agent's own, still-present message in a chat that goes on (only text can be edited).
  async function ownMessage(ctx: SiteContext, chatId: number, messageId: number): Promise<{ message: Message; agentId: number }> {
    const { agentId } = core.agentOf(ctx, 'edit messages');
    const chat = await visibleChat(ctx, chatId);
    const message = await repo.findMessage(db, ctx.siteId, chatId, messageId);
    if (!message) throw new NotFound('message', messageId);
    if (message.sender_kind !== 'agent' || message.sender_id !== agentId) throw new Forbidden('Agents may change only their own messages.');
    if (message.deleted_at !== null) throw new InvalidState(`Message ${messageId} was deleted.`);
    if (chat.status === 'ended') throw new InvalidState(`Chat ${chatId} has ended; its messages stay as they are.`);
    return { message, agentId };
  }

  async function revise(
    ctx: SiteContext,
    chatId: number,
    messageId: number,
    change: { action: 'edit'; body: string } | { action: 'delete' },
    owned?: { message: Message; agentId: number },
  ) {
    const { message, agentId } = owned ?? (await ownMessage(ctx, chatId, messageId));
    return core.events.transaction(async (trx, emit) => {
      const revised = await repo.reviseMessage(trx, ctx.siteId, message, agentId, change);
      if (!revised) throw new InvalidState(`Message ${messageId} was deleted.`);
      // A withdrawn file goes too: its address stops working.
      if (change.action === 'delete') await deleteAttachmentsOfMessage(trx, ctx.siteId, message.id);
      const chat = await repo.findChat(trx, ctx.siteId, chatId);
      if (!chat) throw new NotFound('chat', chatId);
      const view = presentMessage(revised);
      const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId: chat.agent_id };
      emit({ name: change.action === 'edit' ? 'message.edited' : 'message.deleted', ...base, message: view });
      return view;
    });
  }

  return {
    /** Replaces the text of the caller's own message. */
    async editMessage(ctx: SiteContext, chatId: number, messageId: number, content: string): Promise<MessageView> {
      const owned = await ownMessage(ctx, chatId, messageId);
      const { message } = owned;
      if (message.type !== 'message' && message.type !== 'rich') throw new InvalidState(`Message ${messageId} is a ${message.type}; only text can be edited.`);
      // Rich text stays rich, and is made safe again like any rich text sent.
      const safe = message.type === 'rich' ? sanitizeRichText(content) : content;
      if (message.type === 'rich' && !hasContent(safe)) throw new BadRequest('The message has no content left once its HTML is made safe.');
      return revise(ctx, chatId, messageId, { action: 'edit', body: JSON.stringify({ content: safe }) }, owned);
    },

    /** Withdraws the caller's own message: it keeps its place, without its content. */
    deleteMessage(ctx: SiteContext, chatId: number, messageId: number): Promise<MessageView> {
      return revise(ctx, chatId, messageId, { action: 'delete' });
    },

    /** A chat's messages with what they said before each change, for site admins. */
    async auditedMessages(ctx: SiteContext, chatId: number, afterSeq: number, limit: number): Promise<AuditedMessageView[]> {
      const { admin } = core.agentOf(ctx, 'read message revisions');
      if (!admin) throw new Forbidden('Only site admins read what messages said before they changed.');
      await visibleChat(ctx, chatId);
      const messages = await repo.listMessages(db, ctx.siteId, chatId, afterSeq, limit);
      return withRevisions(ctx.siteId, messages);
    },
  };

  async function withRevisions(siteId: number, messages: Message[]): Promise<AuditedMessageView[]> {
    const revisions = await repo.listRevisions(db, siteId, messages.map((m) => m.id));
    return messages.map((m) => presentAuditedMessage(m, revisions.filter((r) => r.message_id === m.id)));
  }
}
