export { registerImAdminRoutes } from './im.admin.routes.ts';
export { createImKeys, type ImKeys } from './im.keys.ts';
export { createImOutbox } from './im.outbox.ts';
export { ImCode, registerImRoutes } from './im.routes.ts';
export { createImService, type ImService } from './im.service.ts';
export { getSettings, type ImSettings } from './im.settings.ts';
export { createImListener } from './im.listener.ts';
