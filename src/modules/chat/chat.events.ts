// Events the chat module publishes, after the transaction that caused them has committed.
import type { ChatView, MessageView } from './chat.presenter.ts';

interface ChatEventBase {
  siteId: number;
  chatId: number;
  visitorId: number;
}

export interface ChatRequested extends ChatEventBase {
  name: 'chat.requested';
}
export interface ChatQueued extends ChatEventBase {
  name: 'chat.queued';
  queuePosition: number;
}
export interface ChatQueuePositionChanged extends ChatEventBase {
  name: 'chat.queuePositionChanged';
  queuePosition: number;
}
export interface ChatAssigned extends ChatEventBase {
  name: 'chat.assigned';
  agentId: number;
  chat: ChatView;
}
export interface ChatAccepted extends ChatEventBase {
  name: 'chat.accepted';
  agentId: number;
  chat: ChatView;
}
export interface ChatEnded extends ChatEventBase {
  name: 'chat.ended';
  agentId: number | null;
  endedBy: 'visitor' | 'agent';
  chat: ChatView;
}
export interface MessageCreated extends ChatEventBase {
  name: 'message.created';
  agentId: number | null;
  message: MessageView;
}

export type ChatEvent =
  | ChatRequested
  | ChatQueued
  | ChatQueuePositionChanged
  | ChatAssigned
  | ChatAccepted
  | ChatEnded
  | MessageCreated;
