// The IM API (spec/im-api.md): customers' applications open sessions, send messages and get every
// reply by webhook; plus the site's keys, settings, offline messages and surveys.
import type { Kysely } from 'kysely';
import type { EventLog } from '../../platform/events/index.ts';
import type { ParleyModule } from '../../platform/module.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService } from '../chat/index.ts';
import type { ParleyEvent } from '../events.ts';
import type { RobotService } from '../robot/index.ts';
import type { TenancyService } from '../tenancy/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import type { Webhooks } from '../webhooks/index.ts';
import { createImAdmin } from './im.admin.ts';
import { registerImAdminRoutes } from './im.admin.routes.ts';
import type { ImEvent } from './im.events.ts';
import { createImKeys, type ImKeys } from './im.keys.ts';
import { createImListener } from './im.listener.ts';
import { registerImRoutes } from './im.routes.ts';
import { createImService, type ImService } from './im.service.ts';
import { createImSettings, type ImSettingsStore } from './im.settings.ts';
import type { ImTables } from './im.tables.ts';

export type { ImEvent } from './im.events.ts';
export type { ImKeys } from './im.keys.ts';
export { ImCode } from './im.routes.ts';
export type { ImService } from './im.service.ts';
export type { ImSettings, ImSettingsStore } from './im.settings.ts';

export interface ImModuleDeps {
  db: Kysely<ImTables>;
  events: EventLog<ImTables, ImEvent>;
  tenancy: Pick<TenancyService, 'settings' | 'siteState'>;
  visitors: VisitorsService;
  agents: Pick<AgentsService, 'card'>;
  chats: ChatService;
  robot: RobotService;
  webhooks: Pick<Webhooks, 'enqueue' | 'kick'>;
  /** Keys the ids of webhook deliveries (a secret of this installation). */
  deliveryIdKey: string;
  rateLimitPerMinute: number;
}

/** The IM module's door. */
export interface ImDoor {
  service: ImService;
  /** The issuer of IM API keys (`pim_` tokens). */
  keys: ImKeys;
  settings: ImSettingsStore;
}

/** The IM module: the API, the site's IM routes, and the listener that tells customers' applications by webhook. */
export function createImModule(deps: ImModuleDeps): ParleyModule<ImDoor, ParleyEvent> {
  const settings = createImSettings(deps.tenancy.settings);
  const keys = createImKeys(deps.db, deps.tenancy);
  const service = createImService({ ...deps, settings, kick: deps.webhooks.kick });
  const admin = createImAdmin({ db: deps.db, settings, visitors: deps.visitors });
  return {
    service: { service, keys, settings },
    async routes(http) {
      registerImAdminRoutes(http, { admin, keys });
      await registerImRoutes(http, service, { rateLimitPerMinute: deps.rateLimitPerMinute });
    },
    listeners: [
      createImListener({
        db: deps.db,
        enqueue: deps.webhooks.enqueue,
        kick: deps.webhooks.kick,
        settings,
        visitors: deps.visitors,
        agents: deps.agents,
        chats: deps.chats,
        deliveryIdKey: deps.deliveryIdKey,
      }),
    ],
  };
}
