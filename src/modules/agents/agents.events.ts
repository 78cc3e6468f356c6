// Events the agents module publishes.
import type { AgentStatus } from '../../platform/db/schema.ts';

export interface AgentStatusChanged {
  name: 'agent.statusChanged';
  siteId: number;
  agentId: number;
  status: AgentStatus;
}

export type AgentEvent = AgentStatusChanged;
