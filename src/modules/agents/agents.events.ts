// Events the agents module publishes.
import type { AgentStatus } from './agents.tables.ts';

interface AgentEventBase {
  siteId: number;
  agentId: number;
}

export interface AgentStatusChanged extends AgentEventBase {
  name: 'agent.statusChanged';
  status: AgentStatus;
}
/** A site admin blocked (or unblocked) the agent: a blocked agent cannot log in or act. */
export interface AgentBlocked extends AgentEventBase {
  name: 'agent.blocked' | 'agent.unblocked';
}
/** The agent logged in again through the operator API: its earlier sessions are closed. */
export interface AgentSessionReplaced extends AgentEventBase {
  name: 'agent.sessionReplaced';
  /** The new session, which stays. */
  sessionId: number;
  /** The earlier sessions, now ended. */
  endedSessionIds: number[];
}
/** The agent logged out of one session (and went offline). */
export interface AgentLoggedOut extends AgentEventBase {
  name: 'agent.loggedOut';
  sessionId: number;
}

/** A site admin changed how many chats the agent takes, or its routing tier. */
export interface AgentRoutingChanged extends AgentEventBase {
  name: 'agent.routingChanged';
  maxConcurrentChats: number;
  priority: number;
}

/** Someone with the manageAgents permission deleted the agent (a blocked event comes first). */
export interface AgentDeleted extends AgentEventBase {
  name: 'agent.deleted';
}

/** The agent's password was reset by someone else: its sessions end. */
export interface AgentPasswordReset extends AgentEventBase {
  name: 'agent.passwordReset';
}

export type AgentEvent = AgentStatusChanged | AgentBlocked | AgentSessionReplaced | AgentLoggedOut | AgentRoutingChanged | AgentDeleted | AgentPasswordReset;
