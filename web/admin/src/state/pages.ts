// The control panel's pages: Parley's own paths (/admin/…), the spec's paths kept as aliases
// (/adminManage/adminPanel/*.html, /livechat/campaigns.aspx), and the permission each needs. The server answers every one
// of these paths with this app (src/modules/sso/sso.apps.routes.ts); the app shows the page.
import { pageSiteId } from '../../../console/src/api/page.ts';
import type { MyPermissions, Permission } from '../api/types.ts';

export type PageId = 'site' | 'agents' | 'groups' | 'permissions' | 'ipRestrictions' | 'campaigns' | 'canned' | 'routing' | 'robot' | 'imKeys' | 'webhook' | 'mobileApp' | 'reports';

export interface PageDef {
  id: PageId;
  path: string;
  /** The spec's address of the page, where it names one. */
  alias?: string;
  permission: Permission;
}

export const PAGES: PageDef[] = [
  { id: 'site', path: '/admin/site', alias: '/adminManage/adminPanel/siteProfile.html', permission: 'editSiteProfile' },
  { id: 'agents', path: '/admin/agents', alias: '/adminManage/adminPanel/agentProfile.html', permission: 'manageAgents' },
  { id: 'groups', path: '/admin/groups', alias: '/adminManage/adminPanel/agentGroup.html', permission: 'manageAgents' },
  { id: 'permissions', path: '/admin/permissions', alias: '/adminManage/adminPanel/permission.html', permission: 'managePermissions' },
  { id: 'ipRestrictions', path: '/admin/ip-restrictions', alias: '/adminManage/adminPanel/ipRestrictions.html', permission: 'manageIpRestrictions' },
  { id: 'campaigns', path: '/admin/campaigns', alias: '/livechat/campaigns.aspx', permission: 'manageCampaigns' },
  { id: 'canned', path: '/admin/canned-messages', permission: 'manageCanned' },
  { id: 'routing', path: '/admin/routing', permission: 'manageSettings' },
  { id: 'robot', path: '/admin/robot', permission: 'manageSettings' },
  { id: 'imKeys', path: '/admin/im-keys', permission: 'manageSettings' },
  { id: 'webhook', path: '/admin/webhook', permission: 'manageSettings' },
  { id: 'mobileApp', path: '/admin/mobile-app', permission: 'manageSettings' },
  { id: 'reports', path: '/admin/reports', permission: 'viewReports' },
];

/** The page at a path; null for /admin itself (the first page the agent may use). */
export function pageAt(pathname: string): PageId | null {
  return PAGES.find((p) => p.path === pathname || p.alias === pathname)?.id ?? null;
}

export function pageDef(id: PageId): PageDef {
  return PAGES.find((p) => p.id === id)!;
}

/** Whether the agent may use a page (the server checks again on every call). */
export function mayUse(access: MyPermissions | null, id: PageId): boolean {
  return access?.permissions.includes(pageDef(id).permission) ?? false;
}

/** A page's own address, on the same site as this one. */
export function hrefOf(id: PageId): string {
  return `${pageDef(id).path}${pageSiteId ? `?siteId=${encodeURIComponent(pageSiteId)}` : ''}`;
}

/** The console's address, on the same site. */
export const consoleHref = `/console${pageSiteId ? `?siteId=${encodeURIComponent(pageSiteId)}` : ''}`;
