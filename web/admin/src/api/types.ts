// Shapes of the control panel's API as the panel reads them (docs/control-panel.md, /openapi.json).
import type { Permission } from '../../../console/src/api/types.ts';

export type { Agent, Brand, Group, MyPermissions, Permission, Session } from '../../../console/src/api/types.ts';
export type { IpRestrictions } from '../../../shared/api-types.ts';

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
