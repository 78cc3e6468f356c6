// The canned module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/canned/index.ts.
import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Timestamp } from '../../platform/db/columns.ts';

export interface CannedMessagesTable {
  id: Id;
  site_id: number;
  /** null: shared with the whole site. */
  agent_id: number | null;
  shortcut: string;
  title: string;
  content: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type CannedTables = {
  canned_messages: CannedMessagesTable;
};

export type CannedMessage = Selectable<CannedMessagesTable>;
