// The agents module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/agents/index.ts.
import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';
import type { CreatedAt, Flag, Id, Timestamp } from '../../platform/db/columns.ts';

export type AgentRole = 'admin' | 'agent';

export type AgentStatus = 'online' | 'away' | 'offline';

export interface AgentsTable {
  id: Id;
  site_id: number;
  email: string;
  name: string;
  password_hash: string | null;
  role: ColumnType<AgentRole, AgentRole | undefined, AgentRole>;
  status: ColumnType<AgentStatus, AgentStatus | undefined, AgentStatus>;
  max_concurrent_chats: ColumnType<number, number | undefined, number>;
  avatar_url: string | null;
  is_active: Flag;
  /** The agent's latest operator-panel session; earlier sessions' tokens no longer work. */
  operator_session_id: ColumnType<number, number | undefined, number>;
  /** Routing tier: tier 1 agents take chats before tier 2 ones. */
  priority: ColumnType<number, number | undefined, number>;
  /** The id the partner's identity system knows the agent by (JWT external_id, SAML NameID). */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON array of the permissions granted to the agent itself (its groups may grant more). */
  permissions: ColumnType<string, string | undefined, string>;
  /** Set when a site admin deleted the agent: it is gone from lists and cannot sign in; its chats keep its name. */
  deleted_at: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GroupsTable {
  id: Id;
  site_id: number;
  name: string;
  /** JSON array of the permissions every member of the group holds. */
  permissions: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  site_id: number;
  group_id: number;
  agent_id: number;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type AgentsTables = {
  agents: AgentsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
};

export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type AgentUpdate = Updateable<AgentsTable>;
export type Group = Selectable<GroupsTable>;
