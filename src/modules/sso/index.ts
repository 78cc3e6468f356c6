export { createOriginPolicy } from './sso.origins.ts';
export { registerSsoSettingsRoutes } from './sso.portal.routes.ts';
export { SESSION_COOKIE } from './sso.cookie.ts';
export { registerSsoRoutes } from './sso.routes.ts';
export { registerSessionRoutes } from './sso.session.routes.ts';
export { createSamlServiceProvider } from './sso.saml.ts';
export { createSsoService } from './sso.service.ts';
export { createSsoSettings } from './sso.settings.ts';
