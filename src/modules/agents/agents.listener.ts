// What follows from an agent's own events, as a listener of the event log: a blocked agent's
// sessions end for good (unblocking does not bring them back). Ending them twice is harmless.
import type { DomainEvent, StoredEvent } from '../../platform/events/index.ts';
import type { AgentEvent } from './agents.events.ts';

interface Deps {
  /** Revokes every session of the agent. */
  endAgentSessions(agentId: number): Promise<unknown>;
}

/** The `agents.sessions` listener of the event log. */
export function createAgentsListener({ endAgentSessions }: Deps) {
  return {
    name: 'agents.sessions',
    async handle({ event }: StoredEvent<DomainEvent>): Promise<void> {
      const e = event as AgentEvent; // the name below is an agents' event
      if (e.name === 'agent.blocked') await endAgentSessions(e.agentId);
    },
  };
}
