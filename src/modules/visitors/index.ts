export { registerVisitorRoutes, VisitorSchema } from './visitors.routes.ts';
export { createVisitorsService, type VisitorsService, type VisitorView } from './visitors.service.ts';
export type { VisitorPresenceView } from './visitors.views.ts';
export type { VisitorEvent } from './visitors.events.ts';
