export type { AgentEvent } from './agents.events.ts';
export { registerAgentRoutes } from './agents.routes.ts';
export { type AgentsService, type AgentView, createAgentsService, type GroupView, presentAgent } from './agents.service.ts';
export { agentCard } from './agents.repository.ts';
export { createAgentsListener } from './agents.listener.ts';
