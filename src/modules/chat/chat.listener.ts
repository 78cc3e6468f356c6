// How chats follow their agents, as a listener of the event log: an agent coming online takes
// waiting chats at once; one pausing or going offline gives back the chats it was offered and had
// not accepted; a blocked one gives back all of its chats; a change of capacity or tier routes the
// site again. Each reaction is safe to repeat (the relay delivers at least once).
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';
import type { AgentEvent } from '../agents/index.ts';
import type { ChatService } from './chat.service.ts';

/** The `chat.routing` listener of the event log. */
export function createChatListener(chats: Pick<ChatService, 'route' | 'releaseAgent'>) {
  return {
    name: 'chat.routing',
    types: new Set(['agent.statusChanged', 'agent.routingChanged', 'agent.blocked']),
    async handle({ event }: StoredEvent<DomainEvent>): Promise<void> {
      const e = event as AgentEvent; // the names below are agents' events
      switch (e.name) {
        case 'agent.statusChanged':
          if (e.status === 'online') await chats.route(e.siteId);
          else await chats.releaseAgent(e.siteId, e.agentId, ['assigned']);
          return;
        case 'agent.routingChanged':
          await chats.route(e.siteId);
          return;
        case 'agent.blocked':
          await chats.releaseAgent(e.siteId, e.agentId, ['assigned', 'active']);
          return;
      }
    },
  };
}
