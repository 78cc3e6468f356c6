// What the agent console does to chats beyond the operator-panel spec: refusing a chat offered to
// you (it goes back to the queue and is never offered to you again), joining another agent's chat
// (you may then write in it) or monitoring it (read only), leaving, the wrap-up after the end, and
// searching the history.
import type { SiteContext } from '../../platform/context.ts';
import { Forbidden, InvalidState } from '../../platform/errors.ts';
import type { ChatCore } from './chat.core.ts';
import { type ChatView, type MessageView, presentChat, presentMessage } from './chat.presenter.ts';
import * as consoleRepo from './chat.console.repository.ts';
import * as repo from './chat.repository.ts';

/** How many matching visitors a history search looks at (the newest). */
const SEARCH_VISITORS = 1000;

export interface WrapUp {
  category?: string | undefined;
  note?: string | undefined;
}

export interface SearchResult {
  chat: ChatView;
  visitor: { id: number; name: string | null; email: string | null };
  snippet: string | null;
}

const SNIPPET = 160;

/** A piece of `text` around the first match of `q` (case-insensitive), with ellipses where cut. */
function snippetOf(text: string, q: string): string {
  const at = text.toLowerCase().indexOf(q.toLowerCase());
  const start = Math.max(0, Math.max(at, 0) - SNIPPET / 3);
  const piece = text.slice(start, start + SNIPPET);
  return `${start > 0 ? '…' : ''}${piece}${start + SNIPPET < text.length ? '…' : ''}`;
}

/** Builds the console operations on top of the chat core. */
export function createChatConsole(core: ChatCore) {
  const { db, visibleChat } = core;

  async function participation(ctx: SiteContext, chatId: number, role: 'joined' | 'monitor'): Promise<ChatView> {
    const { agentId } = core.agentOf(ctx, role === 'joined' ? 'join chats' : 'monitor chats');
    const chat = await visibleChat(ctx, chatId);
    if (!repo.WITH_AGENTS.includes(chat.status) && !(role === 'monitor' && chat.status === 'bot')) {
      throw new InvalidState(`Chat ${chatId} is ${chat.status}; only an open chat can be ${role === 'joined' ? 'joined' : 'monitored'}.`);
    }
    if (chat.agent_id === agentId) throw new InvalidState('This chat is already yours.');
    const before = await consoleRepo.participantRole(db, ctx.siteId, chatId, agentId);
    await consoleRepo.setParticipant(db, ctx.siteId, chatId, agentId, role);
    // The visitor sees who joined (not who watches).
    if (role === 'joined' && before !== 'joined') await systemMessage(chatId, ctx.siteId, 'join', agentId);
    return core.view((await repo.findChat(db, ctx.siteId, chatId)) ?? chat);
  }

  async function systemMessage(chatId: number, siteId: number, type: 'join' | 'leave', agentId: number): Promise<MessageView | undefined> {
    const chat = await repo.findChat(db, siteId, chatId);
    if (!chat || chat.status === 'ended') return undefined;
    const agent = await core.agents.card(siteId, agentId);
    const data = { agentId, name: agent?.name ?? null };
    return core.events.transaction(async (trx, emit) => {
      const message = presentMessage(await core.appendMessage(trx, chat, { senderKind: 'system', senderId: null, type, data, clientMessageId: null }));
      core.announceMessage(emit, chat, message);
      return message;
    });
  }

  return {
    /** The agent a chat is offered to declines it: back to the queue, never offered to that agent again. */
    async refuse(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const { agentId } = core.agentOf(ctx, 'refuse chats');
      const chat = await visibleChat(ctx, chatId);
      if (chat.agent_id !== agentId || chat.status !== 'assigned') throw new InvalidState('Only a chat offered to you and not yet accepted can be refused.');
      const { rule } = await core.settings(ctx.siteId);
      const now = await core.routing(ctx.siteId, async (trx, emit) => {
        // It keeps its place in the queue; a visitor who asked for this agent now waits for anyone.
        const queued = await repo.transitionChat(trx, ctx.siteId, chatId, ['assigned'], { status: 'queued', agent_id: null, requested_agent_id: null }, agentId);
        if (!queued) return undefined;
        await consoleRepo.recordRefusal(trx, ctx.siteId, chatId, agentId);
        const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
        emit({ name: 'chat.released', ...base, agentId, reason: 'refused', chat: presentChat(queued) });
        return core.drainFor(trx, emit, queued, rule);
      });
      if (!now) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it.`);
      return core.view(now);
    },

    /** Joins another agent's chat: the agent may write in it, and the visitor is told. */
    join: (ctx: SiteContext, chatId: number) => participation(ctx, chatId, 'joined'),

    /** Watches a chat without taking part (its events come on the chat's channel). */
    monitor: (ctx: SiteContext, chatId: number) => participation(ctx, chatId, 'monitor'),

    /** Stops joining or monitoring a chat. */
    async leave(ctx: SiteContext, chatId: number): Promise<void> {
      const { agentId } = core.agentOf(ctx, 'leave chats');
      await visibleChat(ctx, chatId);
      const role = await consoleRepo.participantRole(db, ctx.siteId, chatId, agentId);
      if (role !== 'joined' && role !== 'monitor') throw new InvalidState('You have not joined or monitored this chat.');
      await consoleRepo.leaveParticipant(db, ctx.siteId, chatId, agentId);
      if (role === 'joined') await systemMessage(chatId, ctx.siteId, 'leave', agentId);
    },

    /** Whether an agent joined the chat (and may write in it). */
    hasJoined: async (siteId: number, chatId: number, agentId: number) => (await consoleRepo.participantRole(db, siteId, chatId, agentId)) === 'joined',

    /** The agent's notes on an ended chat: its agent (or an admin) writes them, and may change them. */
    async wrapUp(ctx: SiteContext, chatId: number, w: WrapUp): Promise<ChatView> {
      const { agentId, admin } = core.agentOf(ctx, 'wrap up chats');
      const chat = await visibleChat(ctx, chatId);
      if (chat.status !== 'ended') throw new InvalidState('A chat is wrapped up after it ends.');
      if (!admin && chat.agent_id !== agentId) throw new Forbidden("Only the chat's agent or a site admin may wrap it up.");
      const value = JSON.stringify({ category: w.category?.trim() || null, note: w.note?.trim() || null, agentId, at: new Date().toISOString() });
      const row = await consoleRepo.setWrapUp(db, ctx.siteId, chatId, value);
      return presentChat(row ?? chat);
    },

    /** Chats of the site whose messages or visitor match `q`, newest first. */
    async search(ctx: SiteContext, q: string, limit: number, beforeId?: number): Promise<SearchResult[]> {
      core.agentOf(ctx, 'search the history');
      const needle = q.trim();
      if (needle === '') return [];
      const pattern = `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      // Visitors are matched by name or e-mail first (the newest of them), then chats by them or by their text.
      const visitorIds = await core.visitors.idsMatching(ctx.siteId, pattern, SEARCH_VISITORS);
      const hits = await consoleRepo.searchChats(db, core.dialect, ctx.siteId, { pattern, limit, beforeId, visitorIds });
      const contacts = await core.visitors.contacts(ctx.siteId, hits.map((h) => h.chat.visitor_id));
      return Promise.all(
        hits.map(async (h) => {
          const text = h.text === null ? null : h.text.replace(/<[^>]*>/g, ' ');
          const visitor = contacts.get(h.chat.visitor_id);
          return {
            chat: await core.view(h.chat),
            visitor: { id: h.chat.visitor_id, name: visitor?.name ?? null, email: visitor?.email ?? null },
            snippet: text ? snippetOf(text, needle) : null,
          };
        }),
      );
    },
  };
}
