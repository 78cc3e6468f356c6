export { createIdentityService, type IdentityService, type IssuedToken, TokenRejected } from './identity.service.ts';
export { loginRateLimit, registerIdentityRoutes } from './identity.routes.ts';
export { hashPassword, verifyDecoy, verifyPassword } from './password.ts';
