// Moving a chat between hands: to another agent, to a group, to the robot and back, and naming
// it. Every move runs under the site's routing lock, so it cannot race an assignment.
import type { SiteContext } from '../../platform/context.ts';
import type { Chat, ChatStatus, Message } from './chat.tables.ts';
import { BadRequest, Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import type { Emit } from '../../platform/events/index.ts';
import type { ChatCore, Destination, WebviewTags } from './chat.core.ts';
import type { ChatEvent } from './chat.events.ts';
import { type ChatView, presentChat, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { assignTo } from './chat.routing.ts';

// Messages of the robot conversation the agent receives with a handover.
const TRANSCRIPT_LIMIT = 50;

/** The handover operations of the chat service. */
export function createChatHandover(core: ChatCore) {
  const { db, visibleChat } = core;

  // Only the chat's agent or a site admin moves a chat that is with people.
  function mayMove(ctx: SiteContext, chat: Chat): number {
    const { agentId, admin } = core.agentOf(ctx, 'move chats');
    if (!admin && chat.agent_id !== agentId) throw new Forbidden("Only the chat's agent or a site admin may move it.");
    return agentId;
  }

  function released(emit: Emit<ChatEvent>, chat: Chat, now: Chat, reason: 'transfer' | 'bot' | 'unavailable'): void {
    if (chat.agent_id === null || chat.agent_id === now.agent_id) return;
    const base = { siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id };
    emit({ name: 'chat.released', ...base, agentId: chat.agent_id, reason, chat: presentChat(now) });
  }

  function requireWithAgents(chat: Chat): void {
    if (!repo.WITH_AGENTS.includes(chat.status)) {
      throw new InvalidState(`Chat ${chat.id} is ${chat.status}; only a chat with agents can be transferred.`);
    }
  }

  return {
    /** Transfers a chat to one agent of the site, whatever that agent's load (a person chose them). */
    async transferToAgent(ctx: SiteContext, chatId: number, toAgentId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      mayMove(ctx, chat);
      requireWithAgents(chat);
      if (chat.agent_id === toAgentId) throw new InvalidState(`Chat ${chatId} is already with agent ${toAgentId}.`);
      if (!(await core.agents.findActive(ctx.siteId, toAgentId))) throw new NotFound('agent', toAgentId);
      const { rule } = await core.settings(ctx.siteId);
      const moved = await core.routing(ctx.siteId, async (trx, emit) => {
        // Checked under the routing lock, so a block or a logout cannot slip in between.
        const target = await core.agents.findActive(ctx.siteId, toAgentId, trx);
        if (target?.status !== 'online') return 'unavailable' as const;
        const now = await repo.findChat(trx, ctx.siteId, chatId);
        if (!now || now.agent_id !== chat.agent_id || !repo.WITH_AGENTS.includes(now.status)) return undefined;
        const assigned = await assignTo(trx, now, toAgentId);
        if (!assigned) return undefined;
        const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
        emit({ name: 'chat.transferred', ...base, fromAgentId: chat.agent_id, toAgentId, toGroupId: null, chat: presentChat(assigned) });
        released(emit, chat, assigned, 'transfer');
        core.announceAssigned(emit, [assigned], chat.agent_id);
        if (chat.status === 'queued') await core.announceQueue(trx, emit, ctx.siteId);
        else await core.drain(trx, emit, ctx.siteId, rule);
        return assigned;
      });
      if (moved === 'unavailable') throw new InvalidState(`Agent ${toAgentId} is not online; sessions go only to operators who take them.`);
      if (!moved) throw new InvalidState(`Chat ${chatId} changed hands meanwhile; reload it and try again.`);
      return core.view(moved);
    },

    /** Transfers a chat to a group: it waits for the group's next free member. */
    async transferToGroup(ctx: SiteContext, chatId: number, groupId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      mayMove(ctx, chat);
      requireWithAgents(chat);
      if (!(await core.agents.groupExists(ctx.siteId, groupId))) throw new NotFound('group', groupId);
      const { rule } = await core.settings(ctx.siteId);
      const now = await core.routing(ctx.siteId, async (trx, emit) => {
        const set = { status: 'queued' as const, agent_id: null, group_id: groupId, requested_agent_id: null, queued_at: new Date().toISOString() };
        const queued = await repo.transitionChat(trx, ctx.siteId, chatId, repo.WITH_AGENTS, set, chat.agent_id);
        if (!queued) return undefined;
        const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
        emit({ name: 'chat.transferred', ...base, fromAgentId: chat.agent_id, toAgentId: null, toGroupId: groupId, chat: presentChat(queued) });
        released(emit, chat, queued, 'transfer');
        return core.drainFor(trx, emit, queued, rule);
      });
      if (!now) throw new InvalidState(`Chat ${chatId} changed hands meanwhile; reload it and try again.`);
      return core.view(now);
    },

    /** Hands a chat to the robot: it leaves its agent (and the queue). */
    async switchToBot(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      const agentId = mayMove(ctx, chat);
      requireWithAgents(chat);
      const { rule } = await core.settings(ctx.siteId);
      const moved = await core.routing(ctx.siteId, async (trx, emit) => {
        const row = await repo.transitionChat(trx, ctx.siteId, chatId, repo.WITH_AGENTS, { status: 'bot', agent_id: null }, chat.agent_id);
        if (!row) return undefined;
        emit({ name: 'chat.switchedToBot', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(row) });
        released(emit, chat, row, 'bot');
        if (chat.status === 'queued') await core.announceQueue(trx, emit, ctx.siteId);
        else await core.drain(trx, emit, ctx.siteId, rule);
        return row;
      });
      if (!moved) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it and try again.`);
      return presentChat(moved);
    },

    /**
     * The visitor (or the robot on its behalf) asks for people: the chat joins the queue — of a
     * named agent, a group or the site — and is routed. A `robot_transfer` message carries the
     * robot session's id and transcript to the agent. A full queue leaves the chat with the robot.
     */
    async switchToAgents(ctx: SiteContext, chatId: number, to: Destination = {}, by: 'customer' | 'robot' = 'customer', tags: WebviewTags = {}): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      if (chat.status !== 'bot') throw new InvalidState(`Chat ${chatId} is ${chat.status}; only a chat with the robot can switch to agents.`);
      const dest = await core.checkDestination(ctx.siteId, to);
      const transcript = (await repo.listMessages(db, ctx.siteId, chatId, Math.max(0, chat.last_seq - 4 * TRANSCRIPT_LIMIT), 4 * TRANSCRIPT_LIMIT))
        .filter((m) => m.deleted_at === null && (m.sender_kind === 'visitor' || m.sender_kind === 'bot'))
        .slice(-TRANSCRIPT_LIMIT)
        .map((m) => ({ from: m.sender_kind === 'visitor' ? 'customer' : 'robot', type: m.type, data: JSON.parse(m.body) as unknown, at: m.created_at }));
      let transfer: Message | undefined;
      const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
      const announce = (now: Chat, emit: Emit<ChatEvent>) => {
        emit({ name: 'chat.switchedToAgents', ...base, chat: presentChat(now) });
        core.announceMessage(emit, now, presentMessage(transfer!));
      };
      const queued = await core.queueAndRoute(ctx.siteId, async (trx) => {
        const now = await repo.transitionChat(trx, ctx.siteId, chatId, ['bot'], {
          status: 'queued',
          queued_at: new Date().toISOString(),
          group_id: dest.groupId ?? null,
          requested_agent_id: dest.agentId ?? null,
          ...(tags.skill !== undefined && { skill: tags.skill }),
          ...(tags.urgent !== undefined && { urgent: tags.urgent }),
        });
        if (!now) return undefined;
        transfer = await core.appendMessage(trx, now, {
          senderKind: 'system',
          senderId: null,
          type: 'robot_transfer',
          data: { robot_session_id: chatId, by, transcript },
          clientMessageId: null,
        });
        return { ...now, last_seq: transfer.seq };
      }, announce);
      if (!queued || !transfer) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it and try again.`);
      return core.view((await repo.findChat(db, ctx.siteId, chatId)) ?? queued);
    },

    /**
     * Gives an unavailable agent's chats in the given statuses back to the queue, where routing
     * offers them to others: all of them when the agent is blocked, the unaccepted ones when it
     * goes offline.
     */
    async releaseAgent(siteId: number, agentId: number, statuses: ChatStatus[]): Promise<void> {
      const { rule } = await core.settings(siteId);
      await core.routing(siteId, async (trx, emit) => {
        const out: Chat[] = [];
        for (const chat of await repo.listChats(trx, siteId, { agentId, statuses, limit: 10_000 })) {
          // It keeps its place in the queue, but no longer waits for one named agent who is gone.
          const queued = await repo.transitionChat(trx, siteId, chat.id, [chat.status], { status: 'queued', agent_id: null, requested_agent_id: null });
          if (!queued) continue;
          released(emit, chat, queued, 'unavailable');
          out.push(queued);
        }
        // Chats waiting for this agent by name join their site's queue, in the place they had.
        const waiting = await repo.stopWaitingFor(trx, siteId, agentId);
        if (out.length === 0 && waiting === 0) return;
        // The others take what they have room for; the rest learn their place.
        const assigned = await core.drain(trx, emit, siteId, rule);
        for (const chat of out) {
          const now = assigned.find((c) => c.id === chat.id) ?? (await repo.findChat(trx, siteId, chat.id)) ?? chat;
          if (now.status === 'queued') await core.announceWaiting(trx, emit, now);
        }
        if (waiting > 0 && assigned.length === 0) await core.announceQueue(trx, emit, siteId);
      });
    },

    /** Names a chat (any agent of the site). */
    async rename(ctx: SiteContext, chatId: number, name: string): Promise<ChatView> {
      const { agentId } = core.agentOf(ctx, 'rename chats');
      const trimmed = name.trim();
      if (trimmed === '') throw new BadRequest('A chat name cannot be blank.');
      const chat = await visibleChat(ctx, chatId);
      const renamed = await core.events.transaction(async (trx, emit) => {
        const row = await repo.transitionChat(trx, ctx.siteId, chatId, [chat.status], { name: trimmed });
        if (!row) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it and try again.`);
        emit({ name: 'chat.renamed', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(row) });
        return row;
      });
      return core.view(renamed);
    },
  };
}
