// The control panel's calls, through the console's HTTP client (cookie session, CSRF header,
// problem+json errors).
import { del, get, patch, post, put } from '../../../console/src/api/http.ts';
import type { Agent, AgentChange, Group, IpRestrictions, NewAgent, Permission, PermissionMatrix, SiteProfile, SiteProfileChange } from './types.ts';

export { fetchMyPermissions } from '../../../console/src/api/team.ts';

export const fetchSite = () => get<SiteProfile>('/api/v1/site');
export const updateSite = (change: SiteProfileChange) => patch<SiteProfile>('/api/v1/site', change);

export const fetchAgents = () => get<Agent[]>('/api/v1/agents');
export const createAgent = (input: NewAgent) => post<Agent>('/api/v1/agents', input);
export const updateAgent = (id: number, change: AgentChange) => patch<Agent>(`/api/v1/agents/${id}`, change);
export const deleteAgent = (id: number) => del<unknown>(`/api/v1/agents/${id}`);
/** A generated password, returned only by this answer. */
export const resetPassword = (id: number) => post<{ password: string | null }>(`/api/v1/agents/${id}/password`, {});

export const fetchGroups = () => get<Group[]>('/api/v1/groups');
export const createGroup = (name: string, agentIds: number[]) => post<Group>('/api/v1/groups', { name, agentIds });
export const renameGroup = (id: number, name: string) => patch<Group>(`/api/v1/groups/${id}`, { name });
export const setGroupMembers = (id: number, agentIds: number[]) => put<Group>(`/api/v1/groups/${id}/members`, { agentIds });
export const deleteGroup = (id: number) => del<unknown>(`/api/v1/groups/${id}`);

export const fetchPermissions = () => get<PermissionMatrix>('/api/v1/permissions');
export const setAgentPermissions = (id: number, permissions: Permission[]) => put<PermissionMatrix>(`/api/v1/agents/${id}/permissions`, { permissions });
export const setGroupPermissions = (id: number, permissions: Permission[]) => put<PermissionMatrix>(`/api/v1/groups/${id}/permissions`, { permissions });

export const fetchIpRestrictions = () => get<IpRestrictions>('/api/v1/site/ip-restrictions');
export const saveIpRestrictions = (r: IpRestrictions) => put<IpRestrictions>('/api/v1/site/ip-restrictions', r);
