// Shapes of the REST API as the console reads them (see /openapi.json and docs/web-api.md); chats,
// messages and visitors come from the server's own definitions.

import type { AgentStatus, Chat, Permission } from '../../../shared/api-types.ts';

export type { AgentStatus, Chat, ChatStatus, Message, Permission, SenderKind, Visitor, VisitorLocation, VisitorPresence } from '../../../shared/api-types.ts';

export interface Agent {
  id: number;
  siteId: number;
  email: string;
  name: string;
  role: 'admin' | 'agent';
  status: AgentStatus;
  maxConcurrentChats: number;
  priority: number;
  avatarUrl: string | null;
  isActive: boolean;
  createdAt: string;
}

/** GET /api/v1/agents/me/permissions: every permission for a site admin. */
export interface MyPermissions {
  role: 'admin' | 'agent';
  permissions: Permission[];
}

/** GET /api/v1/file-settings: who may send files in the site's chats, and how large (bytes). */
export interface FileSettings {
  visitorFiles: boolean;
  agentFiles: boolean;
  maxBytes: number;
  platformMaxBytes: number;
}

export interface Group {
  id: number;
  siteId: number;
  name: string;
  agentIds: number[];
  createdAt: string;
}

export interface Session {
  agentId: number;
  siteId: number;
  email: string;
  name: string;
  method: 'password' | 'saml' | 'jwt';
  expiresAt: string;
  csrfToken: string | null;
}

export interface Brand {
  name: string;
  logoUrl: string | null;
  themeCssUrl: string | null;
}

export interface CannedMessage {
  id: number;
  shortcut: string;
  title: string;
  content: string;
  shared: boolean;
  /** The author; null or absent for site-wide ones. */
  agentId?: number | null;
}

export interface CannedInput {
  shortcut: string;
  title: string;
  content: string;
  shared?: boolean;
}

export interface SearchResult {
  chat: Chat;
  visitor: { id: number; name: string | null; email: string | null };
  /** The newest matching message, cut around the match. */
  snippet: string | null;
}

export interface WrapUp {
  category?: string;
  note?: string;
}
