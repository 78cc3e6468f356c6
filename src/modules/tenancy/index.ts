// Customers' sites: records, state and settings.
import type { Kysely } from 'kysely';
import type { EventLog } from '../../platform/events/index.ts';
import type { ParleyModule } from '../../platform/module.ts';
import type { SiteEvent } from './tenancy.events.ts';
import { registerTenancyRoutes } from './tenancy.routes.ts';
import { createTenancyService, type TenancyService } from './tenancy.service.ts';
import type { TenancyTables } from './tenancy.tables.ts';

export type { SiteFields, SiteSettingsChange, SiteSettingsRecord, SiteSettingsStore, SiteState, SiteView, TenancyService } from './tenancy.service.ts';
export type { SiteEvent } from './tenancy.events.ts';
export type { SiteSearch } from './tenancy.repository.ts';
export type { SiteAction, SiteChange, SiteLifecycle, SiteRecord } from './tenancy.sites.ts';
export type { RoutingRule, SiteStatus } from './tenancy.tables.ts';
export type { IpPolicy, IpRestrictions, SiteProfileChange, SiteProfiles } from './tenancy.profile.ts';

export interface TenancyModuleDeps {
  db: Kysely<TenancyTables>;
  /** Where a site's own profile changes commit with their events. */
  events: EventLog<TenancyTables, SiteEvent>;
}

/** The tenancy module: sites and their settings for the other modules; the site's profile and IP restrictions for its admins. */
export function createTenancyModule({ db, events }: TenancyModuleDeps): ParleyModule<TenancyService> {
  const service = createTenancyService(db, events);
  return { service, routes: (http) => registerTenancyRoutes(http, service.profiles) };
}
