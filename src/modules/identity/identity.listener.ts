// What identity does about other modules' events, as a listener of the event log: a blocked
// agent's sessions (and those of one whose password was reset) end for good (unblocking does not bring them back), and so do the agent sessions
// of a site that stops serving (enabling it again does not bring them back). Ending twice is harmless.
import type { EventListener, StoredEvent } from '../../platform/events/index.ts';
import type { ParleyEvent } from '../events.ts';
import type { IdentityService } from './identity.service.ts';

/** The `identity.sessions` listener of the event log. */
export function createIdentityListener(identity: Pick<IdentityService, 'endAgentSessions' | 'endSiteSessions'>): EventListener<ParleyEvent> {
  return {
    name: 'identity.sessions',
    types: new Set(['agent.blocked', 'agent.passwordReset', 'site.updated', 'site.disabled', 'site.deleted']),
    async handle({ event }: StoredEvent<ParleyEvent>): Promise<void> {
      if (event.name === 'agent.blocked' || event.name === 'agent.passwordReset') await identity.endAgentSessions(event.agentId);
      if (event.name.startsWith('site.') && 'wasServing' in event && event.wasServing && !event.serving) await identity.endSiteSessions(event.siteId);
    },
  };
}
