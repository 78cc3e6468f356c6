// The mobile app's WebView chat (docs/mobile-webview.md): the pages a bank's native app opens, the
// JS bridge's server side, the site's skills and Ssotoken check, and the agent's requests to the
// app. Other modules and the composition root use this door only.
import type { Kysely } from 'kysely';
import type { ParleyModule } from '../../platform/module.ts';
import type { ChatService } from '../chat/index.ts';
import { registerWebviewAdminRoutes } from './webview.admin.routes.ts';
import { registerWebviewRoutes, type WebviewRoutesDeps } from './webview.routes.ts';
import { createWebviewSettings, type WebviewSettingsStore } from './webview.settings.ts';
import type { WebviewTables } from './webview.tables.ts';
import { createTickets } from './webview.tickets.ts';

export type { SkillView, WebviewSettingsStore } from './webview.settings.ts';

export interface WebviewModuleDeps {
  db: Kysely<WebviewTables>;
  chats: ChatService;
  visitors: WebviewRoutesDeps['visitors'];
  /** Seals the sites' HS256 secrets at rest. */
  sealKey: string;
  /** Signs the pages' tickets and the robot hand-offs. */
  ticketSecret: string;
  groupExists(siteId: number, groupId: number): Promise<boolean>;
  openSite: WebviewRoutesDeps['openSite'];
  themeOf: WebviewRoutesDeps['themeOf'];
  page: WebviewRoutesDeps['page'];
}

/** The webview module: its settings store (door), pages and routes. */
export function createWebviewModule(deps: WebviewModuleDeps): ParleyModule<WebviewSettingsStore> {
  const settings = createWebviewSettings({ db: deps.db, sealKey: deps.sealKey, groupExists: deps.groupExists });
  const tickets = createTickets(deps.ticketSecret);
  return {
    service: settings,
    routes(http) {
      registerWebviewAdminRoutes(http, settings);
      registerWebviewRoutes(http, { ...deps, settings, tickets });
    },
  };
}
