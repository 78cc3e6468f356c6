export { registerOperatorRoutes } from './operator.routes.ts';
export { createOperatorService, type OperatorService } from './operator.service.ts';
export { registerOperatorSessionRoutes } from './operator.sessions.routes.ts';
