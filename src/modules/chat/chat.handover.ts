// Moving a chat between hands: to another agent, to a group, to the robot and back, and naming
// it. Every move runs under the site's routing lock, so it cannot race an assignment.
import type { SiteContext } from '../../platform/context.ts';
import type { Chat, ChatStatus, Message } from '../../platform/db/schema.ts';
import { BadRequest, Forbidden, InvalidState, NotFound } from '../../platform/errors.ts';
import type { ChatCore, Destination } from './chat.core.ts';
import { type ChatView, presentChat, presentMessage } from './chat.presenter.ts';
import * as repo from './chat.repository.ts';
import { assignTo } from './chat.routing.ts';

// Messages of the robot conversation the agent receives with a handover.
const TRANSCRIPT_LIMIT = 50;

/** The handover operations of the chat service. */
export function createChatHandover(core: ChatCore) {
  const { db, emit, visibleChat } = core;

  // Only the chat's agent or a site admin moves a chat that is with people.
  function mayMove(ctx: SiteContext, chat: Chat): number {
    const { agentId, admin } = core.agentOf(ctx, 'move chats');
    if (!admin && chat.agent_id !== agentId) throw new Forbidden("Only the chat's agent or a site admin may move it.");
    return agentId;
  }

  async function released(chat: Chat, now: Chat, reason: 'transfer' | 'bot' | 'unavailable'): Promise<void> {
    if (chat.agent_id === null || chat.agent_id === now.agent_id) return;
    const base = { siteId: chat.site_id, chatId: chat.id, visitorId: chat.visitor_id };
    await emit({ name: 'chat.released', ...base, agentId: chat.agent_id, reason, chat: presentChat(now) });
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
      if (!(await repo.findActiveAgent(db, ctx.siteId, toAgentId))) throw new NotFound('agent', toAgentId);
      const moved = await core.routing(ctx.siteId, async (trx) => {
        // Checked under the routing lock, so a block or a logout cannot slip in between.
        const target = await repo.findActiveAgent(trx, ctx.siteId, toAgentId);
        if (target?.status !== 'online') return 'unavailable' as const;
        const now = await repo.findChat(trx, ctx.siteId, chatId);
        if (!now || now.agent_id !== chat.agent_id || !repo.WITH_AGENTS.includes(now.status)) return undefined;
        return assignTo(trx, now, toAgentId, core.onAssigned);
      });
      if (moved === 'unavailable') throw new InvalidState(`Agent ${toAgentId} is not online; sessions go only to operators who take them.`);
      if (!moved) throw new InvalidState(`Chat ${chatId} changed hands meanwhile; reload it and try again.`);
      const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
      await emit({ name: 'chat.transferred', ...base, fromAgentId: chat.agent_id, toAgentId, toGroupId: null, chat: presentChat(moved) });
      await released(chat, moved, 'transfer');
      await core.announceAssigned([moved], chat.agent_id);
      if (chat.status === 'queued') await core.announceQueue(ctx.siteId);
      else await core.route(ctx.siteId);
      return core.view(moved);
    },

    /** Transfers a chat to a group: it waits for the group's next free member. */
    async transferToGroup(ctx: SiteContext, chatId: number, groupId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      mayMove(ctx, chat);
      requireWithAgents(chat);
      if (!(await repo.groupExists(db, ctx.siteId, groupId))) throw new NotFound('group', groupId);
      const queued = await core.routing(ctx.siteId, async (trx) => {
        return repo.transitionChat(trx, ctx.siteId, chatId, repo.WITH_AGENTS, { status: 'queued', agent_id: null, group_id: groupId, requested_agent_id: null, queued_at: new Date().toISOString() }, chat.agent_id);
      });
      if (!queued) throw new InvalidState(`Chat ${chatId} changed hands meanwhile; reload it and try again.`);
      const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
      await emit({ name: 'chat.transferred', ...base, fromAgentId: chat.agent_id, toAgentId: null, toGroupId: groupId, chat: presentChat(queued) });
      await released(chat, queued, 'transfer');
      return core.view(await core.routeWaiting(queued));
    },

    /** Hands a chat to the robot: it leaves its agent (and the queue). */
    async switchToBot(ctx: SiteContext, chatId: number): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      const agentId = mayMove(ctx, chat);
      requireWithAgents(chat);
      const moved = await core.routing(ctx.siteId, (trx) =>
        repo.transitionChat(trx, ctx.siteId, chatId, repo.WITH_AGENTS, { status: 'bot', agent_id: null }, chat.agent_id),
      );
      if (!moved) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it and try again.`);
      await emit({ name: 'chat.switchedToBot', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(moved) });
      await released(chat, moved, 'bot');
      if (chat.status === 'queued') await core.announceQueue(ctx.siteId);
      else await core.route(ctx.siteId);
      return presentChat(moved);
    },

    /**
     * The visitor (or the robot on its behalf) asks for people: the chat joins the queue — of a
     * named agent, a group or the site — and is routed. A `robot_transfer` message carries the
     * robot session's id and transcript to the agent. A full queue leaves the chat with the robot.
     */
    async switchToAgents(ctx: SiteContext, chatId: number, to: Destination = {}, by: 'customer' | 'robot' = 'customer'): Promise<ChatView> {
      const chat = await visibleChat(ctx, chatId);
      if (chat.status !== 'bot') throw new InvalidState(`Chat ${chatId} is ${chat.status}; only a chat with the robot can switch to agents.`);
      const dest = await core.checkDestination(ctx.siteId, to);
      const transcript = (await repo.listMessages(db, ctx.siteId, chatId, Math.max(0, chat.last_seq - 4 * TRANSCRIPT_LIMIT), 4 * TRANSCRIPT_LIMIT))
        .filter((m) => m.deleted_at === null && (m.sender_kind === 'visitor' || m.sender_kind === 'bot'))
        .slice(-TRANSCRIPT_LIMIT)
        .map((m) => ({ from: m.sender_kind === 'visitor' ? 'customer' : 'robot', type: m.type, data: JSON.parse(m.body) as unknown, at: m.created_at }));
      let transfer: Message | undefined;
      const queued = await core.queueAndRoute(ctx.siteId, async (trx) => {
        const now = await repo.transitionChat(trx, ctx.siteId, chatId, ['bot'], {
          status: 'queued',
          queued_at: new Date().toISOString(),
          group_id: dest.groupId ?? null,
          requested_agent_id: dest.agentId ?? null,
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
      });
      if (!queued.chat || !transfer) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it and try again.`);
      const base = { siteId: ctx.siteId, chatId, visitorId: chat.visitor_id };
      await emit({ name: 'chat.switchedToAgents', ...base, chat: presentChat(queued.chat) });
      await core.announceMessage(queued.chat, presentMessage(transfer));
      await queued.announce();
      return core.view((await repo.findChat(db, ctx.siteId, chatId)) ?? queued.chat);
    },

    /**
     * Gives an unavailable agent's chats in the given statuses back to the queue, where routing
     * offers them to others: all of them when the agent is blocked, the unaccepted ones when it
     * goes offline.
     */
    async releaseAgent(siteId: number, agentId: number, statuses: ChatStatus[]): Promise<void> {
      const moved = await core.routing(siteId, async (trx) => {
        const out: [Chat, Chat][] = [];
        for (const chat of await repo.listChats(trx, siteId, { agentId, statuses, limit: 10_000 })) {
          // It keeps its place in the queue, but no longer waits for one named agent who is gone.
          const queued = await repo.transitionChat(trx, siteId, chat.id, [chat.status], { status: 'queued', agent_id: null, requested_agent_id: null });
          if (queued) out.push([chat, queued]);
        }
        // Chats waiting for this agent by name join their site's queue, in the place they had.
        const waiting = await repo.stopWaitingFor(trx, siteId, agentId);
        return { out, waiting };
      });
      for (const [before, after] of moved.out) await released(before, after, 'unavailable');
      for (const [, after] of moved.out) await core.routeWaiting(after);
      if (moved.waiting > 0) {
        await core.route(siteId);
        await core.announceQueue(siteId);
      }
    },

    /** Names a chat (any agent of the site). */
    async rename(ctx: SiteContext, chatId: number, name: string): Promise<ChatView> {
      const { agentId } = core.agentOf(ctx, 'rename chats');
      const trimmed = name.trim();
      if (trimmed === '') throw new BadRequest('A chat name cannot be blank.');
      const chat = await visibleChat(ctx, chatId);
      const renamed = await repo.transitionChat(db, ctx.siteId, chatId, [chat.status], { name: trimmed });
      if (!renamed) throw new InvalidState(`Chat ${chatId} changed meanwhile; reload it and try again.`);
      await emit({ name: 'chat.renamed', siteId: ctx.siteId, chatId, visitorId: chat.visitor_id, agentId, chat: presentChat(renamed) });
      return core.view(renamed);
    },
  };
}
