// The operator-panel API (spec/operator-panel.md): its login with one live session per operator,
// and its REST surface over agents, chats and visitors.
import type { ParleyModule } from '../../platform/module.ts';
import { type OperatorRouteDeps, registerOperatorRoutes } from './operator.routes.ts';
import { createOperatorService, type OperatorDeps, type OperatorService } from './operator.service.ts';
import { registerOperatorSessionRoutes } from './operator.sessions.routes.ts';

export type { OperatorService } from './operator.service.ts';

export type OperatorModuleDeps = OperatorDeps & Omit<OperatorRouteDeps, 'operator'>;

/** The operator module: its session rules and the /operator routes. */
export function createOperatorModule(deps: OperatorModuleDeps): ParleyModule<OperatorService> {
  const service = createOperatorService(deps);
  return {
    service,
    routes(http) {
      registerOperatorRoutes(http, { ...deps, operator: service });
      registerOperatorSessionRoutes(http, deps.chats);
    },
  };
}
