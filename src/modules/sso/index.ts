export { createOriginPolicy } from './sso.origins.ts';
export { registerSsoSettingsRoutes } from './sso.portal.routes.ts';
export { registerSsoRoutes, SESSION_COOKIE } from './sso.routes.ts';
export { createSamlServiceProvider } from './sso.saml.ts';
export { createSsoService } from './sso.service.ts';
export { createSsoSettings } from './sso.settings.ts';
