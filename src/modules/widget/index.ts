// The visitor widget's server side: its public configuration and the site admin's settings for it.
import type { Kysely } from 'kysely';
import type { ParleyModule } from '../../platform/module.ts';
import { createCampaigns } from './widget.campaigns.ts';
import { registerWidgetRoutes } from './widget.routes.ts';
import type { WidgetTables } from './widget.tables.ts';
import { createWidgetService, type WidgetDeps, type WidgetService } from './widget.service.ts';

export type { WidgetBrand, WidgetDeps, WidgetService } from './widget.service.ts';
export type { CampaignSettings, CampaignView, Campaigns } from './widget.campaigns.ts';
export type { WidgetTables } from './widget.tables.ts';

export interface WidgetModuleDeps extends Omit<WidgetDeps, 'campaigns'> {
  db: Kysely<WidgetTables>;
}

/** The widget module: its service (with campaigns) and routes. */
export function createWidgetModule({ db, ...deps }: WidgetModuleDeps): ParleyModule<WidgetService> {
  const service = createWidgetService({ ...deps, campaigns: createCampaigns(db) });
  return { service, routes: (http) => registerWidgetRoutes(http, service) };
}
