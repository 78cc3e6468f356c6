// The tenancy module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/tenancy/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Flag, Id, Timestamp } from '../../platform/db/columns.ts';

export type SiteStatus = 'active' | 'disabled' | 'deleted';

export interface SitesTable {
  id: Id;
  partner_id: number;
  company: string;
  company_size: string | null;
  website: string | null;
  phone_number: string | null;
  mobile_phone: string | null;
  country: string | null;
  city: string | null;
  /** IANA time zone name, e.g. Europe/Berlin. */
  time_zone: ColumnType<string | null, string | null | undefined, string | null>;
  /** The site's language: en, zh-CN, zh-TW or ru. */
  language: ColumnType<string | null, string | null | undefined, string | null>;
  if_close: Flag;
  if_active: Flag;
  status: ColumnType<SiteStatus, SiteStatus | undefined, SiteStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: string | null;
  purge_after: string | null;
}

export type RoutingRule = 'least-busy' | 'round-robin';

/** Per-site IM settings; `robot` and `survey` are JSON documents validated by the API. */
export interface SiteSettingsTable {
  site_id: number;
  routing_rule: ColumnType<RoutingRule, RoutingRule | undefined, RoutingRule>;
  max_queue_length: number | null;
  max_queue_wait_seconds: number | null;
  offline_message: string | null;
  callback_url: string | null;
  signing_secret_version: ColumnType<number, number | undefined, number>;
  robot: ColumnType<string, string | undefined, string>;
  survey: ColumnType<string, string | undefined, string>;
  /** JSON: the widget's settings (language, pre-chat form, who a chat starts with, offline form). */
  widget: ColumnType<string, string | undefined, string>;
  /** JSON: canonical addresses and CIDR ranges whose visitors are refused. */
  refused_visitor_ips: ColumnType<string, string | undefined, string>;
  /** JSON: the only addresses agents may sign in and work from; empty for any. */
  agent_ips: ColumnType<string, string | undefined, string>;
  /** JSON: who may send files in chats and how large (the chat module's section). */
  files: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type TenancyTables = {
  sites: SitesTable;
  site_settings: SiteSettingsTable;
};

export type Site = Selectable<SitesTable>;
export type SiteSettings = Selectable<SiteSettingsTable>;
