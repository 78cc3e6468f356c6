// Shapes chat and message rows for the API, real-time events and (later) webhooks.
import type { Chat, ChatStatus, Message, SenderKind } from '../../platform/db/schema.ts';

export interface ChatView {
  id: number;
  siteId: number;
  visitorId: number;
  status: ChatStatus;
  agentId: number | null;
  groupId: number | null;
  /** 1-based place in the site's queue while the chat is queued; null otherwise. */
  queuePosition: number | null;
  lastSeq: number;
  requestedAt: string;
  assignedAt: string | null;
  acceptedAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
}

/** Shapes a chat row; the queue position is computed by the caller. */
export function presentChat(c: Chat, queuePosition: number | null = null): ChatView {
  return {
    id: c.id,
    siteId: c.site_id,
    visitorId: c.visitor_id,
    status: c.status,
    agentId: c.agent_id,
    groupId: c.group_id,
    queuePosition: c.status === 'queued' ? queuePosition : null,
    lastSeq: c.last_seq,
    requestedAt: c.requested_at,
    assignedAt: c.assigned_at,
    acceptedAt: c.accepted_at,
    endedAt: c.ended_at,
    endedBy: c.ended_by,
  };
}

export interface MessageView {
  id: number;
  chatId: number;
  seq: number;
  senderKind: SenderKind;
  senderId: number | null;
  type: string;
  data: Record<string, unknown>;
  clientMessageId: string | null;
  createdAt: string;
}

/** Shapes a message row. */
export function presentMessage(m: Message): MessageView {
  return {
    id: m.id,
    chatId: m.chat_id,
    seq: m.seq,
    senderKind: m.sender_kind,
    senderId: m.sender_id,
    type: m.type,
    data: JSON.parse(m.body) as Record<string, unknown>,
    clientMessageId: m.client_msg_id,
    createdAt: m.created_at,
  };
}
