// The chat module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/chat/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Id, Timestamp } from '../../platform/db/columns.ts';

/** `bot`: with the robot; `queued`: waiting for an agent; `assigned`: offered to one; `active`: accepted. */
export type ChatStatus = 'bot' | 'queued' | 'assigned' | 'active' | 'ended';

export interface ChatsTable {
  id: Id;
  site_id: number;
  visitor_id: number;
  status: ChatStatus;
  group_id: number | null;
  agent_id: number | null;
  channel: string | null;
  name: string | null;
  last_seq: ColumnType<number, number | undefined, number>;
  visitor_read_seq: ColumnType<number, number | undefined, number>;
  agent_read_seq: ColumnType<number, number | undefined, number>;
  requested_at: Timestamp;
  assigned_at: string | null;
  accepted_at: string | null;
  ended_at: string | null;
  ended_by: string | null;
  /** When the chat (last) joined the queue; the queue is in this order. */
  queued_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent a chat asked for by name; it waits for that agent only. */
  requested_agent_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Consecutive questions the robot could not answer. */
  robot_misses: ColumnType<number, number | undefined, number>;
  /** JSON: {category, note, agentId, at}, the agent's notes after the chat. */
  wrap_up: ColumnType<string | null, string | null | undefined, string | null>;
  /** The skill a chat from the mobile app's WebView came with (docs/mobile-webview.md). */
  skill: ColumnType<string | null, string | null | undefined, string | null>;
  /** Ahead of the others in the queue (the app's `Urgent`). */
  urgent: ColumnType<boolean | number, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ChatAgentsTable {
  site_id: number;
  chat_id: number;
  agent_id: number;
  role: ColumnType<string, string | undefined, string>;
  joined_at: Timestamp;
  left_at: string | null;
}

export type SenderKind = 'visitor' | 'agent' | 'bot' | 'system';

export interface MessagesTable {
  id: Id;
  site_id: number;
  chat_id: number;
  seq: number;
  sender_kind: SenderKind;
  sender_id: number | null;
  type: string;
  body: string;
  client_msg_id: string | null;
  created_at: CreatedAt;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface MessageRevisionsTable {
  id: Id;
  site_id: number;
  message_id: number;
  action: 'edit' | 'delete';
  previous_body: string;
  agent_id: number | null;
  created_at: CreatedAt;
}

export interface ChatRefusalsTable {
  site_id: number;
  chat_id: number;
  agent_id: number;
  created_at: CreatedAt;
}

export interface AttachmentsTable {
  id: Id;
  site_id: number;
  chat_id: number;
  message_id: ColumnType<number | null, number | null | undefined, number | null>;
  key: string;
  name: string;
  mime_type: string;
  size: number;
  sha256: string;
  data: Uint8Array;
  uploaded_by_kind: 'visitor' | 'agent';
  uploaded_by_id: number;
  created_at: CreatedAt;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type ChatTables = {
  chats: ChatsTable;
  chat_agents: ChatAgentsTable;
  messages: MessagesTable;
  message_revisions: MessageRevisionsTable;
  chat_refusals: ChatRefusalsTable;
  attachments: AttachmentsTable;
};

export type Chat = Selectable<ChatsTable>;
export type Message = Selectable<MessagesTable>;
export type MessageRevision = Selectable<MessageRevisionsTable>;
