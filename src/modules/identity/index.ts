export { createIdentityService, type IdentityService, type IssuedToken, TokenRejected } from './identity.service.ts';
export { registerIdentityRoutes } from './identity.routes.ts';
export { hashPassword } from './password.ts';
