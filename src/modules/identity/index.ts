// Who is calling: sign-in, sessions and tokens of agents and platform users, visitor tokens, and
// the server's secrets.
import type { ParleyModule } from '../../platform/module.ts';
import type { Principal } from '../../platform/http/access.ts';
import { createIdentityListener } from './identity.listener.ts';
import { registerIdentityRoutes } from './identity.routes.ts';
import { createIdentityService, type IdentityDeps, type IdentityService } from './identity.service.ts';

export type {
  AgentAccount,
  AgentAccounts,
  AgentSession,
  IdentityDeps,
  IdentityService,
  IssuedToken,
  SessionOrigin,
  VisitorSubjects,
} from './identity.service.ts';
export { TokenRejected } from './identity.service.ts';
export { loginRateLimit } from './identity.routes.ts';
export { hashPassword, verifyDecoy, verifyPassword } from './password.ts';

export interface IdentityModuleDeps extends IdentityDeps {
  loginRateLimitPerMinute: number;
  /** After a logout: ends the real-time connections of the session. */
  onLogout(principal: Principal): Promise<void>;
  /** The partner whose white-label host a request came to (null: the platform's own host). */
  partnerOfHost(host: string): Promise<number | null>;
}

/** The identity module: its service, the login routes and the listener that ends blocked agents' sessions. */
export async function createIdentityModule(deps: IdentityModuleDeps): Promise<ParleyModule<IdentityService>> {
  const service = await createIdentityService(deps);
  await service.ensureBootstrapAdmin();
  return {
    service,
    routes: (http) => registerIdentityRoutes(http, service, deps.loginRateLimitPerMinute, deps.onLogout, deps.partnerOfHost),
    listeners: [createIdentityListener(service)],
  };
}
