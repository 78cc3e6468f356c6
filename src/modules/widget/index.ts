export { registerWidgetRoutes } from './widget.routes.ts';
export { createWidgetService, type WidgetService } from './widget.service.ts';
