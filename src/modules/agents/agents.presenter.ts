// How agents and groups look through the API; never with the password hash.
import { flag } from '../../platform/db/columns.ts';
import type { Agent, AgentRole, AgentStatus } from './agents.tables.ts';

export interface GroupView {
  id: number;
  siteId: number;
  name: string;
  agentIds: number[];
  createdAt: string;
}

export interface AgentView {
  id: number;
  siteId: number;
  email: string;
  name: string;
  role: AgentRole;
  status: AgentStatus;
  maxConcurrentChats: number;
  /** Routing tier: tier 1 takes chats before tier 2. */
  priority: number;
  avatarUrl: string | null;
  isActive: boolean;
  createdAt: string;
}

/** Shapes an agent row for the API; never includes the password hash. */
export function presentAgent(a: Agent): AgentView {
  return {
    id: a.id,
    siteId: a.site_id,
    email: a.email,
    name: a.name,
    role: a.role,
    status: a.status,
    maxConcurrentChats: a.max_concurrent_chats,
    priority: a.priority,
    avatarUrl: a.avatar_url,
    isActive: flag(a.is_active),
    createdAt: a.created_at,
  };
}
