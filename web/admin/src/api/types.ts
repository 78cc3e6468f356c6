// Shapes of the control panel's API as the panel reads them (docs/control-panel.md, /openapi.json).
import type { Permission } from '../../../console/src/api/types.ts';
import type { ImKey } from '../../../shared/api-types.ts';

export type { Agent, Brand, Group, MyPermissions, Permission, Session } from '../../../console/src/api/types.ts';
export type { Campaign, CampaignField, CampaignSettings, ImKey, InvitationRule, IpRestrictions } from '../../../shared/api-types.ts';

/** GET /api/v1/site. */
export interface SiteProfile {
  id: number;
  partnerId: number;
  company: string;
  companySize: string | null;
  website: string | null;
  phoneNumber: string | null;
  mobilePhone: string | null;
  country: string | null;
  city: string | null;
  timeZone: string | null;
  language: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The fields PATCH /api/v1/site takes; null clears one. */
export type SiteProfileChange = Partial<Omit<SiteProfile, 'id' | 'partnerId' | 'createdAt' | 'updatedAt'>>;

export type Role = 'admin' | 'agent';

/** POST /api/v1/agents. */
export interface NewAgent {
  email: string;
  name: string;
  password: string;
  role?: Role;
  maxConcurrentChats?: number;
  avatarUrl?: string;
}

/** PATCH /api/v1/agents/{id}: the fields given change. */
export interface AgentChange {
  name?: string;
  email?: string;
  avatarUrl?: string | null;
  role?: Role;
  isActive?: boolean;
  maxConcurrentChats?: number;
  priority?: number;
}

/** GET /api/v1/permissions. */
export interface PermissionMatrix {
  permissions: Permission[];
  agents: { agentId: number; name: string; role: Role; granted: Permission[]; effective: Permission[] }[];
  groups: { groupId: number; name: string; granted: Permission[] }[];
}

/** GET /api/v1/im/settings: the parts the panel shows (the survey is the IM API's own). */
export interface ImSettings {
  routing: RoutingSettings;
  robot: RobotSettings;
}

export type RoutingRule = 'least-busy' | 'round-robin';

export interface RoutingSettings {
  rule: RoutingRule;
  /** Chats that may wait; null: no limit. */
  maxQueueLength: number | null;
  /** Seconds a chat may wait; null: no limit. */
  maxQueueWaitSeconds: number | null;
  /** What a customer is told when nobody can take the chat. */
  offlineMessage: string;
}

/** PATCH /api/v1/im/settings: the fields given change. */
export interface ImSettingsChange {
  rule?: RoutingRule;
  maxQueueLength?: number | null;
  maxQueueWaitSeconds?: number | null;
  offlineMessage?: string | null;
  /** Replaced whole. */
  robot?: RobotSettings;
}

/** GET /api/v1/file-settings: who may send files in the site's chats, and how large. */
export interface FileSettings {
  visitorFiles: boolean;
  agentFiles: boolean;
  /** The largest file the site accepts, in bytes (1024 … platformMaxBytes). */
  maxBytes: number;
  /** The platform's own limit: a site may only lower it. */
  platformMaxBytes: number;
}

/** PATCH /api/v1/file-settings (manageSettings): the fields given change. */
export type FileSettingsChange = Partial<Pick<FileSettings, 'visitorFiles' | 'agentFiles' | 'maxBytes'>>;

/** The robot's persona and when it hands over (robot in /api/v1/im/settings). */
export interface RobotSettings {
  name: string;
  avatar: string | null;
  welcomeMessage: string;
  unknownMessage: string;
  handoverMessage: string;
  /** Unanswered questions in a row before the robot hands over; 0 never. */
  handoverAfterMisses: number;
  guideQuestionIds: number[];
}

export type QuestionKind = 'qa' | 'greeting';

/** GET /api/v1/robot/questions. */
export interface RobotQuestion {
  id: number;
  kind: QuestionKind;
  title: string;
  alternatives: string[];
  answer: string;
  related: number[];
  thirdUrl: string | null;
  isActive: boolean;
}

/** PUT /api/v1/robot/questions/{id} and POST: the whole question. */
export type QuestionInput = Omit<RobotQuestion, 'id'>;

/** POST /api/v1/im/keys: the key itself, in this answer only. */
export type NewImKey = ImKey & { key: string };

/** GET/PUT /api/v1/im/webhook. */
export interface WebhookSettings {
  callbackUrl: string | null;
  signingSecret: string;
  signingSecretVersion: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One webhook delivery (GET /api/v1/im/deliveries). */
export interface Delivery {
  deliveryId: string;
  status: DeliveryStatus;
  event: string;
  customerToken: string | null;
  chatId: number | null;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
}

export interface DeliveryPage {
  deliveries: Delivery[];
  nextCursor: number | null;
}

/** A canned message (GET /api/v1/canned-messages); shared ones belong to the site. */
export interface CannedMessage {
  id: number;
  shortcut: string;
  title: string;
  content: string;
  shared: boolean;
  agentId: number | null;
  updatedAt: string;
}

/** A skill of the mobile app's WebView chat (GET /api/v1/webview/skills). */
export interface WebviewSkill {
  id: number;
  name: string;
  /** The group that answers its chats; null: the site's routing rule. */
  groupId: number | null;
  deepLink: DeepLink | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeepLink {
  action: string | null;
  uri: string | null;
  destination: string | null;
}

/** POST /api/v1/webview/skills (name required) and PATCH (the fields given change). */
export interface WebviewSkillInput {
  name?: string;
  groupId?: number | null;
  deepLink?: DeepLink | null;
}

export type TokenMode = 'none' | 'jwt' | 'url';

/** GET /api/v1/webview/settings: how the app's Ssotoken is verified (never the secret). */
export interface WebviewTokenSettings {
  mode: TokenMode;
  hasSecret: boolean;
  verifyUrl: string | null;
  verifyTimeoutMs: number;
  updatedAt: string | null;
}

/** PUT /api/v1/webview/settings: fields left out keep their value. */
export interface WebviewTokenChange {
  mode: TokenMode;
  verifyUrl?: string | null;
  verifyTimeoutMs?: number;
}
