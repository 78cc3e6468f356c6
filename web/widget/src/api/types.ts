// The shapes of Parley's visitor API as the widget reads them (docs/web-api.md, "Visitor widget").

import type { Message } from '../../../shared/api-types.ts';

export type { Chat, ChatStatus, Message, SenderKind } from '../../../shared/api-types.ts';

/** An agent as the visitor sees it. */
export interface Operator {
  id: number;
  name: string;
  avatarUrl?: string | null;
}

export interface Visitor {
  id: number;
  name: string | null;
  email: string | null;
}

export interface VisitorSession {
  visitor: Visitor;
  token: string;
  expiresAt: string;
}

export type PrechatFieldName = 'name' | 'email' | 'phone' | 'question';

/** A pre-chat field: the visitor's own (name, email, phone, question) or a campaign's own, kept in the visitor's info. */
export interface PrechatField {
  name: PrechatFieldName | (string & {});
  /** The campaign's label; the widget's own words when absent. */
  label?: string | null;
  type?: 'text' | 'email' | 'tel' | 'textarea';
  required?: boolean;
}

export interface InvitationRule {
  afterSeconds: number;
  urlContains: string | null;
  onVisit: number | null;
  message: string;
}

export interface CampaignConfig {
  id: number;
  name?: string;
  look: { color: string | null; position: 'right' | 'left'; buttonText: string | null; title: string | null; avatarUrl: string | null };
  invitations: InvitationRule[];
}

export interface SurveyConfig {
  enabled: boolean;
  title?: string;
  desc?: string;
  options: { id: number; text: string }[];
  remarkEnabled?: boolean;
  remark?: string;
}

export interface WidgetConfig {
  siteId?: number;
  company?: string;
  /** `auto` (the browser's languages) or a language tag. */
  language: string;
  brand: { name?: string | null; logoUrl?: string | null; themeCssUrl?: string | null };
  prechat: { enabled: boolean; message?: string | null; fields: PrechatField[] };
  /** The campaign shown (its look and invitation rules); null or absent when the site has none. */
  campaign?: CampaignConfig | null;
  startWith: 'robot' | 'agent';
  robot: { name?: string | null; avatar?: string | null };
  agentsAvailable: boolean;
  /** Whether visitors may leave a message when nobody is available (a flag, or an object with `enabled`). */
  offlineForm: boolean | { enabled?: boolean; message?: string | null };
  survey: SurveyConfig;
  /** Whether the visitor may send files, and the largest file the site accepts (bytes). */
  files: { enabled: boolean; maxBytes: number };
}

/** A question the robot lists: the server's `{question_id, question_title}`, or `{id, title}`. */
export interface ListedQuestion {
  id?: number;
  title?: string;
  question_id?: number;
  question_title?: string;
}

/** `data` of a robot message (`senderKind: "bot"`). */
export interface BotData {
  answer_type?: string;
  answer?: string;
  question_id?: number;
  question_title?: string;
  gus_list?: ListedQuestion[];
  relate_list?: ListedQuestion[];
  third_url?: string | null;
}

/** `data` of an `image` or `file` message. */
export interface FileData {
  url?: string;
  name?: string;
  size?: number;
  mimeType?: string;
}

/** Real-time events on the visitor's channel (docs/events.md, "To visitors"). */
export interface VisitorEvent {
  event: string;
  sessionId?: number;
  queuePosition?: number;
  operatorId?: number | null;
  operator?: Operator | null;
  message?: Message | string;
  seq?: number;
  typing?: boolean;
  endedBy?: string;
}
