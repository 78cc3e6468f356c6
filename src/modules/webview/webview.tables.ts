// The webview module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/webview/index.ts.
import type { Selectable } from 'kysely';
import type { CreatedAt, Id, Timestamp } from '../../platform/db/columns.ts';

export interface WebviewSkillsTable {
  id: Id;
  site_id: number;
  name: string;
  /** `name` in lower case: unique per site. */
  name_key: string;
  /** The group that answers the skill's chats; null: the site's routing rule. */
  group_id: number | null;
  /** The app's deep link for the skill: its action, URI and what it opens. */
  link_action: string | null;
  link_uri: string | null;
  link_destination: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type TokenMode = 'none' | 'jwt' | 'url';

export interface WebviewSettingsTable {
  site_id: number;
  token_mode: TokenMode;
  /** The HS256 secret, sealed. */
  token_secret: string | null;
  verify_url: string | null;
  verify_timeout_ms: number;
  updated_at: Timestamp;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type WebviewTables = {
  webview_skills: WebviewSkillsTable;
  webview_settings: WebviewSettingsTable;
};

export type WebviewSkill = Selectable<WebviewSkillsTable>;
export type WebviewSettings = Selectable<WebviewSettingsTable>;
