// The im module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/im/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Id, Timestamp } from '../../platform/db/columns.ts';

export interface ImApiKeysTable {
  id: Id;
  site_id: number;
  name: string;
  key_hash: string;
  key_prefix: string;
  created_at: CreatedAt;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ChatSurveysTable {
  chat_id: number;
  site_id: number;
  agent_id: number | null;
  option_id: number;
  option_text: string;
  remark: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface OfflineMessagesTable {
  id: Id;
  site_id: number;
  visitor_id: number;
  group_id: number | null;
  content: string;
  email: string | null;
  phone: string | null;
  status: ColumnType<'new' | 'handled', 'new' | 'handled' | undefined, 'new' | 'handled'>;
  handled_by: number | null;
  created_at: CreatedAt;
  handled_at: string | null;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type ImTables = {
  im_api_keys: ImApiKeysTable;
  chat_surveys: ChatSurveysTable;
  offline_messages: OfflineMessagesTable;
};

export type ImApiKey = Selectable<ImApiKeysTable>;
