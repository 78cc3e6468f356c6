export { registerVisitorRoutes } from './visitors.routes.ts';
export { createVisitorsService, type VisitorsService, type VisitorView } from './visitors.service.ts';
