// Turns domain events into publications, in the operator-panel spec's vocabulary: each payload is
// `{event, …}` with the spec's event names (chatSessionAdded, chatMessageCreated, …) where the spec
// has one, and Parley's own names (documented in docs/events.md) where it has none. Operators read
// their personal channel and their site's channel; visitors their personal one; supervisors a chat's.
import type { Broker } from '../../platform/realtime/types.ts';
import type { ChatView, MessageEdited } from '../chat/index.ts';
import type { ParleyEvent } from '../events.ts';
import { channels } from './realtime.channels.ts';

type Payload = { event: string } & Record<string, unknown>;
type Out = [channel: string, payload: Payload][];
type Handlers = { [N in ParleyEvent['name']]: (e: ParleyEvent & { name: N }) => Out };

const session = (chat: ChatView) => ({ sessionId: chat.id, clientId: chat.visitorId, session: chat });
const agentOf = (agentId: number | null) => (agentId === null ? [] : [channels.agent(agentId)]);

/** Sends one payload to several channels. */
function to(targets: string[], payload: Payload): Out {
  return targets.map((channel) => [channel, payload]);
}

function messageChanged(e: MessageEdited): Out {
  return to([...agentOf(e.agentId), channels.visitor(e.visitorId), channels.chat(e.chatId)], {
    event: e.name === 'message.edited' ? 'chatMessageEdited' : 'chatMessageDeleted',
    sessionId: e.chatId,
    clientId: e.visitorId,
    message: e.message,
  });
}

const handlers: Handlers = {
  'chat.requested': (e) => to([channels.site(e.siteId)], { event: 'chatSessionStarted', ...session(e.chat) }),
  'chat.queued': (e) => [
    [channels.site(e.siteId), { event: 'operatorNotFound', ...session(e.chat), queuePosition: e.queuePosition }],
    [channels.visitor(e.visitorId), { event: 'chatQueued', sessionId: e.chatId, queuePosition: e.queuePosition }],
  ],
  'chat.queuePositionChanged': (e) =>
    to([channels.visitor(e.visitorId)], { event: 'queuePositionChanged', sessionId: e.chatId, queuePosition: e.queuePosition }),
  'chat.assigned': (e) => [
    [channels.agent(e.agentId), { event: 'chatSessionAdded', ...session(e.chat), fromOperatorId: e.fromAgentId }],
    [channels.site(e.siteId), { event: 'chatSessionAssigned', sessionId: e.chatId, clientId: e.visitorId, operatorId: e.agentId }],
    [channels.visitor(e.visitorId), { event: 'chatAssigned', sessionId: e.chatId, operatorId: e.agentId }],
    [channels.chat(e.chatId), { event: 'chatSessionAssigned', sessionId: e.chatId, clientId: e.visitorId, operatorId: e.agentId }],
  ],
  'chat.accepted': (e) =>
    // The agent's other tabs learn it too (the chat is no longer an offer there).
    to([channels.visitor(e.visitorId), channels.chat(e.chatId), channels.agent(e.agentId)], { event: 'chatAccepted', sessionId: e.chatId, operatorId: e.agentId }),
  'chat.released': (e) =>
    to([channels.agent(e.agentId)], { event: 'chatSessionDeleted', sessionId: e.chatId, clientId: e.visitorId, reason: e.reason }),
  'chat.transferred': (e) =>
    to([channels.visitor(e.visitorId), channels.chat(e.chatId)], {
      event: 'chatTransferred',
      sessionId: e.chatId,
      fromOperatorId: e.fromAgentId,
      operatorId: e.toAgentId,
      groupId: e.toGroupId,
    }),
  'chat.switchedToAgents': (e) => [
    [channels.site(e.siteId), { event: 'chatSessionSwitchedFromBotToOperator', ...session(e.chat) }],
    [channels.visitor(e.visitorId), { event: 'chatSwitchedToOperator', sessionId: e.chatId }],
  ],
  'chat.switchedToBot': (e) => to([channels.visitor(e.visitorId), channels.chat(e.chatId)], { event: 'chatSwitchedToBot', sessionId: e.chatId }),
  'chat.renamed': (e) =>
    to([...agentOf(e.chat.agentId), channels.chat(e.chatId)], { event: 'chatSessionRenamed', sessionId: e.chatId, name: e.chat.name }),
  'chat.ended': (e) => {
    const operatorSide = e.agentId === null ? [channels.site(e.siteId)] : [channels.agent(e.agentId)];
    const closed = e.endedBy === 'visitor' ? 'sessionClosedByClient' : 'sessionClosedByOperator';
    return [
      ...to([...operatorSide, channels.chat(e.chatId)], { event: closed, ...session(e.chat) }),
      [channels.visitor(e.visitorId), { event: 'chatClosed', sessionId: e.chatId, endedBy: e.endedBy }],
    ];
  },
  'message.created': (e) =>
    to([...agentOf(e.agentId), channels.visitor(e.visitorId), channels.chat(e.chatId)], {
      event: 'chatMessageCreated',
      sessionId: e.chatId,
      clientId: e.visitorId,
      message: e.message,
    }),
  'message.edited': (e) => messageChanged(e),
  'message.deleted': (e) => messageChanged(e),
  'chat.read': (e) =>
    e.by === 'visitor'
      ? to([...agentOf(e.agentId), channels.chat(e.chatId)], { event: 'chatMessageRead', sessionId: e.chatId, clientId: e.visitorId, seq: e.seq })
      : to([channels.visitor(e.visitorId)], { event: 'chatMessageRead', sessionId: e.chatId, operatorId: e.agentId, seq: e.seq }),
  'chat.typing': (e) =>
    e.by === 'visitor'
      ? to(agentOf(e.agentId), { event: 'typing', sessionId: e.chatId, clientId: e.visitorId, typing: e.typing })
      : to([channels.visitor(e.visitorId)], { event: 'typing', sessionId: e.chatId, operatorId: e.agentId, typing: e.typing }),
  'agent.statusChanged': (e) =>
    to([channels.site(e.siteId), channels.agent(e.agentId)], { event: 'operatorStatusChanged', operatorId: e.agentId, status: e.status }),
  'agent.blocked': (e) => to([channels.agent(e.agentId)], { event: 'operatorBlocked', operatorId: e.agentId }),
  'agent.unblocked': () => [],
  'agent.sessionReplaced': (e) => to([channels.agent(e.agentId)], { event: 'chatUserExists', operatorId: e.agentId }),
  'agent.routingChanged': () => [],
  'agent.deleted': () => [],
  'agent.passwordReset': (e) => to([channels.agent(e.agentId)], { event: 'operatorLoggedOut', operatorId: e.agentId }),
  'agent.loggedOut': (e) => to([channels.agent(e.agentId)], { event: 'operatorLoggedOut', operatorId: e.agentId }),
  'visitor.online': (e) => to([channels.site(e.siteId)], { event: 'clientOnline', clientId: e.visitorId, visitor: e.visitor ?? null }),
  'visitor.pageViewed': (e) => to([channels.site(e.siteId)], { event: 'clientPageViewed', clientId: e.visitorId, visitor: e.visitor }),
  'visitor.updated': (e) => to([channels.site(e.siteId)], { event: 'clientUpdated', clientId: e.visitorId, visitor: e.visitor }),
  'visitor.captured': (e) => to([channels.site(e.siteId)], { event: 'clientCaptured', clientId: e.visitorId, operatorId: e.agentId, visitor: e.visitor }),
  'visitor.released': (e) => to([channels.site(e.siteId)], { event: 'clientReleased', clientId: e.visitorId, operatorId: e.agentId, visitor: e.visitor }),
  'visitor.invited': (e) => to([channels.visitor(e.visitorId)], { event: 'chatInvited', operator: e.agent, message: e.message }),
  'visitor.offline': (e) => to([channels.site(e.siteId)], { event: 'clientOffline', clientId: e.visitorId }),
  'visitor.banned': (e) => to([channels.site(e.siteId)], { event: 'clientBanned', clientId: e.visitorId, operatorId: e.agentId }),
  // Kept for reports, billing and the IM application; no live event (a site that stops serving is
  // let go by the realtime listener's disconnects).
  'survey.answered': () => [],
  'offlineMessage.left': () => [],
  'robot.answered': () => [],
  'robot.rated': () => [],
  'site.created': () => [],
  'site.updated': () => [],
  'site.disabled': () => [],
  'site.enabled': () => [],
  'site.deleted': () => [],
  'site.restored': () => [],
  'site.purged': () => [],
  'partner.applied': () => [],
  'partner.approved': () => [],
  'partner.rejected': () => [],
  'partner.created': () => [],
  'partner.suspended': () => [],
  'partner.reinstated': () => [],
  'visitor.unbanned': (e) => to([channels.site(e.siteId)], { event: 'clientUnbanned', clientId: e.visitorId, operatorId: e.agentId }),
};

/** The publications one domain event makes: [channel, payload] pairs, in publishing order. */
export function publicationsOf(e: ParleyEvent): Out {
  return (handlers[e.name] as (e: ParleyEvent) => Out)(e);
}

/** Publishes one domain event to every channel it concerns, in order. */
export async function publishEvent(broker: Broker, e: ParleyEvent): Promise<void> {
  for (const [channel, payload] of publicationsOf(e)) await broker.publish(channel, payload);
}
