// The visitor widget's server side: its public configuration and the site admin's settings for it.
import type { ParleyModule } from '../../platform/module.ts';
import { registerWidgetRoutes } from './widget.routes.ts';
import { createWidgetService, type WidgetDeps, type WidgetService } from './widget.service.ts';

export type { WidgetBrand, WidgetDeps, WidgetService } from './widget.service.ts';

/** The widget module: its service and routes. */
export function createWidgetModule(deps: WidgetDeps): ParleyModule<WidgetService> {
  const service = createWidgetService(deps);
  return { service, routes: (http) => registerWidgetRoutes(http, service) };
}
