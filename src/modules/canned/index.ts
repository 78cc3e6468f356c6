export { registerCannedRoutes } from './canned.routes.ts';
export { createCannedService, type CannedService } from './canned.service.ts';
