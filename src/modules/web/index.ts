export { createWebAssets, WEB_DIST, type WebAssets } from './web.assets.ts';
export { registerWebRoutes } from './web.routes.ts';
