// Row types of every table, as Kysely sees them. Booleans read back as 0/1 on SQLite and
// true/false on PostgreSQL: read them through `flag()`.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;
type Flag = ColumnType<boolean | number, boolean | undefined, boolean>;
type CreatedAt = ColumnType<string, string | undefined, never>;
type Timestamp = ColumnType<string, string | undefined, string>;

export interface PlatformUsersTable {
  id: Id;
  email: string;
  name: string;
  password_hash: string;
  role: ColumnType<string, string | undefined, string>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

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

export interface PartnerSsoTable {
  id: Id;
  partner_id: number;
  sso_type: 'SAML' | 'JWT';
  is_primary_sso: Flag;
  login_url: string | null;
  logout_url: string | null;
  cert: string | null;
  /** SAML: the IdP's entity id, which a Response's Issuer must equal. */
  idp_entity_id: string | null;
  /** Whether a first sign-in of an unknown agent creates it. */
  jit_provisioning: Flag;
  /** JWT: the HS256 secret, sealed (see platform/crypto/seal.ts). */
  secret_sealed: string | null;
  secret_rotated_at: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** A partner's SAML IdP signing certificates (several during a rotation). */
export interface PartnerSsoCertsTable {
  id: Id;
  partner_id: number;
  pem: string;
  /** SHA-256 of the DER, hex with colons. */
  fingerprint: string;
  subject: string;
  not_after: string;
  created_at: CreatedAt;
}

/** An AuthnRequest Parley sent; a Response must answer one, once. */
export interface SsoRequestsTable {
  id: string;
  partner_id: number;
  site_id: number;
  acs_url: string;
  return_to: string;
  created_at: CreatedAt;
  expires_at: string;
  consumed_at: string | null;
}

/** A SAML assertion id or JWT id already used. */
export interface SsoUsedIdsTable {
  partner_id: number;
  kind: 'saml' | 'jwt';
  value: string;
  expires_at: string;
}

export interface PartnerThemesTable {
  id: Id;
  partner_id: number;
  css_key: string;
  css_value: string;
}

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
  if_close: Flag;
  if_active: Flag;
  status: ColumnType<SiteStatus, SiteStatus | undefined, SiteStatus>;
  created_at: CreatedAt;
  updated_at: Timestamp;
  deleted_at: string | null;
  purge_after: string | null;
}

export type AgentRole = 'admin' | 'agent';
export type AgentStatus = 'online' | 'away' | 'offline';

export interface AgentsTable {
  id: Id;
  site_id: number;
  email: string;
  name: string;
  password_hash: string | null;
  role: ColumnType<AgentRole, AgentRole | undefined, AgentRole>;
  status: ColumnType<AgentStatus, AgentStatus | undefined, AgentStatus>;
  max_concurrent_chats: ColumnType<number, number | undefined, number>;
  avatar_url: string | null;
  is_active: Flag;
  /** The agent's latest operator-panel session; earlier sessions' tokens no longer work. */
  operator_session_id: ColumnType<number, number | undefined, number>;
  /** Routing tier: tier 1 agents take chats before tier 2 ones. */
  priority: ColumnType<number, number | undefined, number>;
  /** The id the partner's identity system knows the agent by (JWT external_id, SAML NameID). */
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GroupsTable {
  id: Id;
  site_id: number;
  name: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface GroupMembersTable {
  site_id: number;
  group_id: number;
  agent_id: number;
}

export interface VisitorsTable {
  id: Id;
  site_id: number;
  name: string | null;
  email: string | null;
  customer_token: string | null;
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  info: ColumnType<string, string | undefined, string>;
  is_banned: Flag;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  current_url: ColumnType<string | null, string | null | undefined, string | null>;
  current_title: ColumnType<string | null, string | null | undefined, string | null>;
  referrer: ColumnType<string | null, string | null | undefined, string | null>;
  /** JSON: {country, city, timezone, language}. */
  location: ColumnType<string | null, string | null | undefined, string | null>;
  page_views: ColumnType<number, number | undefined, number>;
  /** When the current visit began (a page view after 30 idle minutes starts a new one). */
  visit_started_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The agent who pinned the visitor to the visitor list. */
  captured_by: ColumnType<number | null, number | null | undefined, number | null>;
}

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

export interface AuthTokensTable {
  id: Id;
  token_hash: string;
  subject_kind: 'agent' | 'platform';
  subject_id: number;
  site_id: number | null;
  /** The login session this token belongs to; null when it started its own (its id is the session's). */
  session_id: number | null;
  created_at: CreatedAt;
  expires_at: string;
  revoked_at: string | null;
  /** How the session began (null: before single sign-on existed, i.e. a password). */
  login_method: ColumnType<LoginMethod | null, LoginMethod | null | undefined, LoginMethod | null>;
  sso_partner_id: ColumnType<number | null, number | null | undefined, number | null>;
  sso_name_id: ColumnType<string | null, string | null | undefined, string | null>;
  sso_session_index: ColumnType<string | null, string | null | undefined, string | null>;
}

export type LoginMethod = 'password' | 'saml' | 'jwt';

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
  updated_at: Timestamp;
}

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

export interface RobotQuestionsTable {
  id: Id;
  site_id: number;
  kind: ColumnType<'qa' | 'greeting', 'qa' | 'greeting' | undefined, 'qa' | 'greeting'>;
  title: string;
  /** JSON array of alternative phrasings. */
  alternatives: ColumnType<string, string | undefined, string>;
  answer: string;
  /** JSON array of related question ids. */
  related: ColumnType<string, string | undefined, string>;
  third_url: string | null;
  is_active: Flag;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RobotRatingsTable {
  id: Id;
  site_id: number;
  chat_id: number;
  message_id: number;
  question_id: number;
  useful: Flag;
  created_at: CreatedAt;
  updated_at: Timestamp;
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

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface WebhookDeliveriesTable {
  id: Id;
  delivery_id: string;
  site_id: number;
  visitor_id: number;
  chat_id: number | null;
  message_id: number | null;
  event: string;
  body: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  give_up_at: string;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: string | null;
  dead_at: string | null;
}

export interface ServerSettingsTable {
  key: string;
  value: string;
}

export interface ChatRefusalsTable {
  site_id: number;
  chat_id: number;
  agent_id: number;
  created_at: CreatedAt;
}

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

export interface DB {
  platform_users: PlatformUsersTable;
  partners: PartnersTable;
  partner_configs: PartnerConfigsTable;
  partner_sso: PartnerSsoTable;
  partner_sso_certs: PartnerSsoCertsTable;
  sso_requests: SsoRequestsTable;
  sso_used_ids: SsoUsedIdsTable;
  partner_themes: PartnerThemesTable;
  sites: SitesTable;
  agents: AgentsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  visitors: VisitorsTable;
  chats: ChatsTable;
  chat_agents: ChatAgentsTable;
  messages: MessagesTable;
  message_revisions: MessageRevisionsTable;
  auth_tokens: AuthTokensTable;
  server_settings: ServerSettingsTable;
  site_settings: SiteSettingsTable;
  im_api_keys: ImApiKeysTable;
  robot_questions: RobotQuestionsTable;
  robot_ratings: RobotRatingsTable;
  chat_surveys: ChatSurveysTable;
  offline_messages: OfflineMessagesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  partner_applications: PartnerApplicationsTable;
  partner_users: PartnerUsersTable;
  one_time_links: OneTimeLinksTable;
  partner_oauth_clients: PartnerOauthClientsTable;
  partner_tokens: PartnerTokensTable;
  partner_domains: PartnerDomainsTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_log: AuditLogTable;
  email_outbox: EmailOutboxTable;
  chat_refusals: ChatRefusalsTable;
  canned_messages: CannedMessagesTable;
  attachments: AttachmentsTable;
}

export type Agent = Selectable<AgentsTable>;
export type NewAgent = Insertable<AgentsTable>;
export type AgentUpdate = Updateable<AgentsTable>;
export type Site = Selectable<SitesTable>;
export type Partner = Selectable<PartnersTable>;
export type PartnerApplication = Selectable<PartnerApplicationsTable>;
export type PartnerOauthClient = Selectable<PartnerOauthClientsTable>;
export type Visitor = Selectable<VisitorsTable>;
export type Chat = Selectable<ChatsTable>;
export type Message = Selectable<MessagesTable>;
export type MessageRevision = Selectable<MessageRevisionsTable>;
export type Group = Selectable<GroupsTable>;
export type SiteSettings = Selectable<SiteSettingsTable>;
export type RobotQuestion = Selectable<RobotQuestionsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;

/** Reads a boolean column the same way on SQLite (0/1) and PostgreSQL (true/false). */
export function flag(v: boolean | number): boolean {
  return v === true || v === 1;
}
