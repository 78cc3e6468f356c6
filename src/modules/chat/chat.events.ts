// Events the chat module publishes, written in the transaction that made the change.
import type { ChatView, MessageView } from './chat.presenter.ts';

interface ChatEventBase {
  siteId: number;
  chatId: number;
  visitorId: number;
}

/** A visitor opened a chat (with the robot or for a human). */
export interface ChatRequested extends ChatEventBase {
  name: 'chat.requested';
  chat: ChatView;
}
/** No agent could take the chat: it waits in the queue. */
export interface ChatQueued extends ChatEventBase {
  name: 'chat.queued';
  queuePosition: number;
  chat: ChatView;
}
export interface ChatQueuePositionChanged extends ChatEventBase {
  name: 'chat.queuePositionChanged';
  queuePosition: number;
}
/** The chat was given to an agent: by routing, or by a transfer from another agent. */
export interface ChatAssigned extends ChatEventBase {
  name: 'chat.assigned';
  agentId: number;
  /** The agent it was transferred from, if it was. */
  fromAgentId: number | null;
  chat: ChatView;
}
export interface ChatAccepted extends ChatEventBase {
  name: 'chat.accepted';
  agentId: number;
  chat: ChatView;
}
/**
 * The chat left an agent: transferred to someone else or to a group, handed to the robot, or given
 * back to the queue because the agent became unavailable (blocked, or offline before accepting it).
 */
export interface ChatReleased extends ChatEventBase {
  name: 'chat.released';
  agentId: number;
  reason: 'transfer' | 'bot' | 'unavailable' | 'refused';
  chat: ChatView;
}
/** The chat moved to another agent or group (the new assignment follows as chat.assigned or chat.queued). */
export interface ChatTransferred extends ChatEventBase {
  name: 'chat.transferred';
  fromAgentId: number | null;
  toAgentId: number | null;
  toGroupId: number | null;
  chat: ChatView;
}
/** The robot handed the chat to humans; routing follows. */
export interface ChatSwitchedToAgents extends ChatEventBase {
  name: 'chat.switchedToAgents';
  chat: ChatView;
}
/** An agent handed the chat to the robot. */
export interface ChatSwitchedToBot extends ChatEventBase {
  name: 'chat.switchedToBot';
  agentId: number | null;
  chat: ChatView;
}
export interface ChatRenamed extends ChatEventBase {
  name: 'chat.renamed';
  agentId: number | null;
  chat: ChatView;
}
export interface ChatEnded extends ChatEventBase {
  name: 'chat.ended';
  agentId: number | null;
  /** `system`: the chat waited in the queue longer than the site allows. */
  endedBy: 'visitor' | 'agent' | 'system';
  chat: ChatView;
}
export interface MessageCreated extends ChatEventBase {
  name: 'message.created';
  agentId: number | null;
  message: MessageView;
}
export interface MessageEdited extends ChatEventBase {
  name: 'message.edited' | 'message.deleted';
  agentId: number | null;
  message: MessageView;
}
/** One side read the messages up to `seq`. */
export interface ChatRead extends ChatEventBase {
  name: 'chat.read';
  agentId: number | null;
  by: 'visitor' | 'agent';
  seq: number;
}
/** The robot answered a customer's message in a chat with it (recorded by the chat that stores the answer). */
export interface RobotAnswered extends ChatEventBase {
  name: 'robot.answered';
  /** The customer's message it answered, and its answer. */
  messageId: number;
  answerId: number;
  /** The knowledge-base entry it answered with; null when it did not know or handed over. */
  questionId: number | null;
  /** It answered the question (a miss otherwise). */
  answered: boolean;
  /** It hands the chat to people. */
  handover: boolean;
}
/** One side started or stopped typing (not stored). */
export interface ChatTyping extends ChatEventBase {
  name: 'chat.typing';
  agentId: number | null;
  by: 'visitor' | 'agent';
  typing: boolean;
}

export type ChatEvent =
  | ChatRequested
  | ChatQueued
  | ChatQueuePositionChanged
  | ChatAssigned
  | ChatAccepted
  | ChatReleased
  | ChatTransferred
  | ChatSwitchedToAgents
  | ChatSwitchedToBot
  | ChatRenamed
  | ChatEnded
  | MessageCreated
  | MessageEdited
  | ChatRead
  | RobotAnswered
  | ChatTyping;
