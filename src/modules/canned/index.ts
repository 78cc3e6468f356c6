// Canned messages: agents' ready replies, their own and the site's shared ones.
import type { Kysely } from 'kysely';
import type { ParleyModule } from '../../platform/module.ts';
import { registerCannedRoutes } from './canned.routes.ts';
import { type CannedService, createCannedService } from './canned.service.ts';
import type { CannedTables } from './canned.tables.ts';

export type { CannedService } from './canned.service.ts';

export interface CannedModuleDeps {
  db: Kysely<CannedTables>;
}

/** The canned messages module: its service and routes. */
export function createCannedModule({ db }: CannedModuleDeps): ParleyModule<CannedService> {
  const service = createCannedService(db);
  return { service, routes: (http) => registerCannedRoutes(http, service) };
}
