// Customers' sites: records, state and settings.
import type { Kysely } from 'kysely';
import type { ParleyModule } from '../../platform/module.ts';
import { createTenancyService, type TenancyService } from './tenancy.service.ts';
import type { TenancyTables } from './tenancy.tables.ts';

export type { SiteFields, SiteSettingsChange, SiteSettingsRecord, SiteSettingsStore, SiteState, SiteView, TenancyService } from './tenancy.service.ts';
export type { SiteEvent } from './tenancy.events.ts';
export type { SiteAction, SiteChange, SiteLifecycle, SiteRecord } from './tenancy.sites.ts';
export type { RoutingRule, SiteStatus } from './tenancy.tables.ts';

export interface TenancyModuleDeps {
  db: Kysely<TenancyTables>;
}

/** The tenancy module: sites and their settings, for the other modules (it has no routes of its own). */
export function createTenancyModule({ db }: TenancyModuleDeps): ParleyModule<TenancyService> {
  return { service: createTenancyService(db) };
}
