// The built browser code: the agent console, the control panel and the visitor widget, served
// with their policies.
import type { ParleyModule } from '../../platform/module.ts';
import { createWebAssets, type WebAssets } from './web.assets.ts';
import { registerWebRoutes } from './web.routes.ts';

export { type AppPageValues, type PageBrand, WEB_DIST, type WebApp, type WebAssets } from './web.assets.ts';

/** The web module: the console's, the control panel's and the widget's pages and assets. */
export function createWebModule(opts: { publicUrl: string }): ParleyModule<WebAssets> {
  const service = createWebAssets();
  return { service, routes: (http) => registerWebRoutes(http, service, opts) };
}
