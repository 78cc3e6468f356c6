// Visitors of sites: sessions and tokens, the agents' visitor list, bans, and IM API customers.
import type { ParleyModule } from '../../platform/module.ts';
import { registerVisitorRoutes } from './visitors.routes.ts';
import { createVisitorsService, type VisitorsDeps, type VisitorsService } from './visitors.service.ts';

export { VisitorSchema } from './visitors.routes.ts';
export type { CustomerFields, CustomerRecord, VisitorContact, VisitorsDeps, VisitorsService, VisitorView } from './visitors.service.ts';
export type { OpenChat, OpenChatsOf } from './visitors.presence.ts';
export type { VisitorPresenceView } from './visitors.views.ts';
export type { VisitorEvent } from './visitors.events.ts';

export interface VisitorsModuleDeps extends VisitorsDeps {
  /** The request header a trusted proxy puts the visitor's country in, if any. */
  geoCountryHeader: string | null;
  trustedProxies: string[];
}

/** The visitors module: its service and routes. */
export function createVisitorsModule(deps: VisitorsModuleDeps): ParleyModule<VisitorsService> {
  const service = createVisitorsService(deps);
  return { service, routes: (http) => registerVisitorRoutes(http, service, { geoCountryHeader: deps.geoCountryHeader, trustedProxies: deps.trustedProxies }) };
}
