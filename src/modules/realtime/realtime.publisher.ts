// Turns domain events into publications on the channels of the people they concern.
import type { Broker } from '../../platform/realtime/types.ts';
import type { AgentEvent } from '../agents/index.ts';
import type { ChatEvent } from '../chat/index.ts';
import { channels } from './realtime.channels.ts';

type Event = ChatEvent | AgentEvent;

function targets(e: Event): string[] {
  const site = channels.site(e.siteId);
  switch (e.name) {
    case 'agent.statusChanged':
      return [site, channels.agent(e.agentId)];
    case 'chat.requested':
      return [site];
    case 'chat.queued':
    case 'chat.queuePositionChanged':
      return [channels.visitor(e.visitorId), site];
    case 'chat.assigned':
      return [channels.agent(e.agentId), channels.visitor(e.visitorId), site];
    case 'chat.accepted':
    case 'chat.ended':
    case 'message.created': {
      const agent = e.agentId === null ? [] : [channels.agent(e.agentId)];
      return [...agent, channels.visitor(e.visitorId), channels.chat(e.chatId), ...(e.name === 'message.created' ? [] : [site])];
    }
  }
}

/** Publishes one domain event as `{event, …fields}` to every channel it concerns. */
export async function publishEvent(broker: Broker, e: Event): Promise<void> {
  const { name, ...fields } = e;
  const data = { event: name, ...fields };
  for (const channel of targets(e)) await broker.publish(channel, data);
}
