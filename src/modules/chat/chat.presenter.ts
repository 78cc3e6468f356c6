// Shapes chat and message rows for the API, real-time events and (later) webhooks.
import { flag } from '../../platform/db/columns.ts';
import type { Chat, ChatStatus, Message, MessageRevision, SenderKind } from './chat.tables.ts';

export interface ChatView {
  id: number;
  siteId: number;
  visitorId: number;
  status: ChatStatus;
  agentId: number | null;
  groupId: number | null;
  /** A name agents gave the chat (operator API rename); null until then. */
  name: string | null;
  /** 1-based place in the site's queue while the chat is queued; null otherwise. */
  queuePosition: number | null;
  lastSeq: number;
  /** The highest message seq the visitor, and the agents, have read. */
  visitorReadSeq: number;
  agentReadSeq: number;
  requestedAt: string;
  assignedAt: string | null;
  acceptedAt: string | null;
  endedAt: string | null;
  endedBy: string | null;
  /** The agent's notes after the chat ended. */
  wrapUp: { category: string | null; note: string | null; agentId: number; at: string } | null;
  /** Where the chat came from: widget, im, webview, … (null: not recorded). */
  channel: string | null;
  /** The skill a chat from the mobile app's WebView came with; null for others. */
  skill: string | null;
  /** Ahead of the others in the queue (the app's `Urgent`). */
  urgent: boolean;
  /** Who has the chat, as the visitor sees them (only where the caller asked for it). */
  agent?: { id: number; name: string; avatarUrl: string | null } | null;
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
    name: c.name,
    queuePosition: c.status === 'queued' ? queuePosition : null,
    lastSeq: c.last_seq,
    visitorReadSeq: c.visitor_read_seq,
    agentReadSeq: c.agent_read_seq,
    requestedAt: c.requested_at,
    assignedAt: c.assigned_at,
    acceptedAt: c.accepted_at,
    endedAt: c.ended_at,
    endedBy: c.ended_by,
    wrapUp: c.wrap_up ? (JSON.parse(c.wrap_up) as ChatView['wrapUp']) : null,
    channel: c.channel,
    skill: c.skill,
    urgent: flag(c.urgent),
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
  editedAt: string | null;
  /** A deleted message keeps its place (seq) but not its content: `data` is empty. */
  deletedAt: string | null;
}

/** A message with what it said before each edit or deletion (site admins only). */
export interface AuditedMessageView extends MessageView {
  revisions: { action: 'edit' | 'delete'; previousData: Record<string, unknown>; agentId: number | null; at: string }[];
}

/** Shapes a message row; a deleted message's content is withheld. */
export function presentMessage(m: Message): MessageView {
  return {
    id: m.id,
    chatId: m.chat_id,
    seq: m.seq,
    senderKind: m.sender_kind,
    senderId: m.sender_id,
    type: m.type,
    data: m.deleted_at === null ? (JSON.parse(m.body) as Record<string, unknown>) : {},
    clientMessageId: m.client_msg_id,
    createdAt: m.created_at,
    editedAt: m.edited_at,
    deletedAt: m.deleted_at,
  };
}

/** Shapes a message with its revisions, oldest first. */
export function presentAuditedMessage(m: Message, revisions: MessageRevision[]): AuditedMessageView {
  return {
    ...presentMessage(m),
    revisions: revisions.map((r) => ({
      action: r.action,
      previousData: JSON.parse(r.previous_body) as Record<string, unknown>,
      agentId: r.agent_id,
      at: r.created_at,
    })),
  };
}
