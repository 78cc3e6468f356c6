// The partners module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/partners/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Flag, Id, Timestamp } from '../../platform/db/columns.ts';

export interface PartnersTable {
  id: Id;
  name: string;
  slug: string;
  contact_name: string;
  contact_email: string;
  phone: string | null;
  is_active: Flag;
  theme: string | null;
  api_key_hash: string | null;
  api_key_prefix: string | null;
  ip_restrictions: ColumnType<string, string | undefined, string>;
  /** A JSON array of origins that may frame the partner's embeddable pages. */
  embed_origins: ColumnType<string, string | undefined, string>;
  client_id: string | null;
  client_secret_hash: string | null;
  pending_name: string | null;
  api_key_rotated_at: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PartnerApplicationsTable {
  id: Id;
  company_name: string;
  contact_name: string;
  email: string;
  phone: string | null;
  website: string | null;
  note: string | null;
  status: ColumnType<'pending' | 'approved' | 'rejected', 'pending' | undefined, 'approved' | 'rejected'>;
  reason: string | null;
  partner_id: number | null;
  decided_by: number | null;
  decided_at: string | null;
  created_at: CreatedAt;
}

export interface PartnerUsersTable {
  id: Id;
  partner_id: number;
  email: string;
  name: string;
  password_hash: string | null;
  is_active: Flag;
  created_at: CreatedAt;
}

export interface OneTimeLinksTable {
  id: Id;
  token_hash: string;
  purpose: string;
  subject_id: number;
  expires_at: string;
  used_at: string | null;
  created_at: CreatedAt;
}

export interface PartnerOauthClientsTable {
  id: Id;
  partner_id: number;
  client_id: string;
  secret_hash: string;
  name: string;
  scopes: string;
  created_at: CreatedAt;
  rotated_at: string | null;
  revoked_at: string | null;
}

export interface PartnerTokensTable {
  id: Id;
  token_hash: string;
  partner_id: number;
  kind: 'portal' | 'oauth';
  user_id: number | null;
  oauth_client_id: number | null;
  scopes: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  expires_at: string;
  revoked_at: string | null;
}

export interface PartnerDomainsTable {
  id: Id;
  partner_id: number;
  host: string;
  verification_token: string;
  verified_at: string | null;
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  id: Id;
  partner_id: number;
  key: string;
  request_hash: string;
  status_code: number;
  response: string;
  created_at: CreatedAt;
}

export interface AuditLogTable {
  id: Id;
  actor_kind: string;
  actor_id: number | null;
  action: string;
  partner_id: number | null;
  target: string;
  before: string | null;
  after: string | null;
  request_id: string | null;
  created_at: CreatedAt;
}

export interface EmailOutboxTable {
  id: Id;
  to_address: string;
  subject: string;
  body: string;
  status: ColumnType<'pending' | 'sent' | 'logged' | 'failed', 'pending' | undefined, 'sent' | 'logged' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  sent_at: string | null;
}

export interface PartnerConfigsTable {
  id: Id;
  partner_id: number;
  branding: string | null;
  logo: string | null;
  updated_at: Timestamp;
}

export interface PartnerThemesTable {
  id: Id;
  partner_id: number;
  css_key: string;
  css_value: string;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type PartnersTables = {
  partners: PartnersTable;
  partner_configs: PartnerConfigsTable;
  partner_themes: PartnerThemesTable;
  partner_applications: PartnerApplicationsTable;
  partner_users: PartnerUsersTable;
  one_time_links: OneTimeLinksTable;
  partner_oauth_clients: PartnerOauthClientsTable;
  partner_tokens: PartnerTokensTable;
  partner_domains: PartnerDomainsTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  email_outbox: EmailOutboxTable;
};

export type Partner = Selectable<PartnersTable>;
export type PartnerApplication = Selectable<PartnerApplicationsTable>;
export type PartnerOauthClient = Selectable<PartnerOauthClientsTable>;
