export type { AgentEvent } from './agents.events.ts';
export { registerAgentRoutes } from './agents.routes.ts';
export { type AgentsService, type AgentView, createAgentsService } from './agents.service.ts';
