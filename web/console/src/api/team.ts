// The agent itself, its colleagues and groups, visitors, canned messages, and the site's file limits.
import { del, get, patch, post, put } from './http.ts';
import type { Agent, AgentStatus, CannedInput, CannedMessage, FileSettings, Group, MyPermissions, Permission, VisitorPresence } from './types.ts';

export const fetchMe = () => get<Agent>('/api/v1/agents/me');
/** The caller's role and permissions (what the control panel shows or hides). */
export const fetchMyPermissions = () => get<MyPermissions>('/api/v1/agents/me/permissions');

/** The permissions that open a page of the control panel (web/admin): its link shows for them. */
const PANEL_PERMISSIONS: ReadonlySet<Permission> = new Set(['editSiteProfile', 'manageAgents', 'managePermissions', 'manageIpRestrictions', 'viewReports']);
export const usesControlPanel = (mine: MyPermissions) => mine.permissions.some((p) => PANEL_PERMISSIONS.has(p));
export const setMyStatus = (status: AgentStatus) => put<Agent>('/api/v1/agents/me/status', { status });
export const fetchAgents = () => get<Agent[]>('/operator/users');
export const fetchGroups = () => get<Group[]>('/operator/groups');

export async function fetchVisitors(): Promise<VisitorPresence[]> {
  return (await get<{ visitors: VisitorPresence[] }>('/api/v1/visitors')).visitors;
}
export const fetchVisitor = (id: number) => get<VisitorPresence>(`/api/v1/visitors/${id}`);
export const inviteVisitor = (id: number, message?: string) => post<unknown>(`/api/v1/visitors/${id}/invite`, message ? { message } : {});
export const captureVisitor = (id: number) => post<unknown>(`/api/v1/visitors/${id}/capture`);
export const releaseVisitor = (id: number) => post<unknown>(`/api/v1/visitors/${id}/release`);
export const banVisitor = (id: number) => post<unknown>(`/operator/clients/${id}/ban`);
export const unbanVisitor = (id: number) => post<unknown>(`/operator/clients/${id}/unban`);

/** The list; the contract does not pin the envelope yet, so a bare array and `{items}` both work. */
export async function fetchCanned(): Promise<CannedMessage[]> {
  const res = await get<CannedMessage[] | { items?: CannedMessage[]; cannedMessages?: CannedMessage[] }>('/api/v1/canned-messages');
  if (Array.isArray(res)) return res;
  return res.items ?? res.cannedMessages ?? [];
}
export const createCanned = (input: CannedInput) => post<CannedMessage>('/api/v1/canned-messages', input);
export const updateCanned = (id: number, input: CannedInput) => patch<CannedMessage>(`/api/v1/canned-messages/${id}`, input);
export const deleteCanned = (id: number) => del<unknown>(`/api/v1/canned-messages/${id}`);
/** Whether agents may send files, and the largest file the site accepts. */
export const fetchFileSettings = () => get<FileSettings>('/api/v1/file-settings');
