// Events of sites' lives, written in the transaction of the change (their partner provisions them).
import type { SiteView } from './tenancy.service.ts';

interface SiteEventBase {
  siteId: number;
  /** The site's partner (named here: a purged site is gone when its event is appended). */
  partnerId: number;
}

/** A site was opened, changed, disabled, enabled, deleted (restorable until it is purged) or restored. */
export interface SiteChanged extends SiteEventBase {
  name: 'site.created' | 'site.updated' | 'site.disabled' | 'site.enabled' | 'site.deleted' | 'site.restored';
  site: SiteView;
  /** Whether it served agents and visitors before the change, and after it. */
  wasServing: boolean;
  serving: boolean;
}

/** A deleted site and all its data were removed for good. */
export interface SitePurged extends SiteEventBase {
  name: 'site.purged';
}

export type SiteEvent = SiteChanged | SitePurged;
