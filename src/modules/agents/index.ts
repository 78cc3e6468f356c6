// Agents of a site and their groups (departments).
import type { ParleyModule } from '../../platform/module.ts';
import { registerAgentRoutes } from './agents.routes.ts';
import { type AgentsDeps, type AgentsService, createAgentsService } from './agents.service.ts';

export type { AgentEvent, AgentStatusChanged } from './agents.events.ts';
export type { AgentCard, AgentsDeps, AgentsService, AgentView, AvailableAgent, GroupView, SignInAgent } from './agents.service.ts';
export { presentAgent } from './agents.service.ts';
export type { AgentStatus, AgentsTables } from './agents.tables.ts';

/** The agents module: its service and routes. */
export function createAgentsModule(deps: AgentsDeps): ParleyModule<AgentsService> {
  const service = createAgentsService(deps);
  return { service, routes: (http) => registerAgentRoutes(http, service) };
}
