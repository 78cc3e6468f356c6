// Real time: who may connect and read which channel, domain events turned into the spec's live
// events, visitors' presence, and the disconnects events cause. The gateway itself (the
// Centrifugo protocol) and the brokers are platform; this module gives them Parley's rules.
import type { EventListener } from '../../platform/events/index.ts';
import type { IpGate, Principal } from '../../platform/http/access.ts';
import type { ParleyModule } from '../../platform/module.ts';
import { createRealtimeGateway, type RealtimeGateway, type RealtimeGatewayOptions } from '../../platform/realtime/gateway.ts';
import type { Broker, DisconnectOrder, RealtimeLogger } from '../../platform/realtime/types.ts';
import type { AgentsService } from '../agents/index.ts';
import type { ChatService, ChatTyping } from '../chat/index.ts';
import type { ParleyEvent } from '../events.ts';
import type { IdentityService } from '../identity/index.ts';
import type { VisitorsService } from '../visitors/index.ts';
import { createRealtimeAuthorizer } from './realtime.authorizer.ts';
import { channels } from './realtime.channels.ts';
import { createRealtimeListener } from './realtime.listener.ts';
import { trackVisitorPresence } from './realtime.presence.ts';
import { publishEvent } from './realtime.publisher.ts';

export { channels } from './realtime.channels.ts';
export { publicationsOf } from './realtime.publisher.ts';

/** Which visitors have a real-time connection open now, on any node (read from the broker's presence). */
export function visitorPresenceOf(broker: Broker) {
  return {
    async onlineIds(siteId: number): Promise<number[]> {
      const users = (await broker.presence(channels.siteVisitors(siteId))).map((p) => Number(p.user.slice('visitor:'.length)));
      return [...new Set(users)].filter(Number.isSafeInteger);
    },
    isOnline: async (visitorId: number): Promise<boolean> => (await broker.presence(channels.visitor(visitorId))).length > 0,
  };
}

/** Tells the other side of a chat something that is not kept (typing), at once. */
export function signalOf(broker: Broker): (event: ChatTyping) => Promise<void> {
  return (event) => publishEvent(broker, event);
}

export interface RealtimeModuleDeps {
  broker: Broker;
  identity: Pick<IdentityService, 'authenticate'>;
  chats: Pick<ChatService, 'get'>;
  visitors: Pick<VisitorsService, 'presenceChanged' | 'recentIds'>;
  agents: Pick<AgentsService, 'idsOfSite'>;
  log: RealtimeLogger;
  /** Sites' IP restrictions, applied at connect as the HTTP API applies them. */
  ipGate?: IpGate;
  gateway: Omit<RealtimeGatewayOptions, 'authorizer' | 'broker' | 'logger' | 'sessions'>;
}

/** The real-time module's door. */
export interface RealtimeDoor {
  gateway: RealtimeGateway;
  /** Ends the matching connections on every node. */
  disconnect(order: DisconnectOrder): Promise<void>;
  /** Ends the real-time connections opened with a session that ended (a logout), on every node. */
  endSession(principal: Principal): Promise<void>;
}

/** The real-time module: the gateway with Parley's rules, and the listener that publishes events. */
export function createRealtimeModule(deps: RealtimeModuleDeps): ParleyModule<RealtimeDoor, ParleyEvent> {
  const gateway = createRealtimeGateway({
    ...deps.gateway,
    authorizer: createRealtimeAuthorizer(deps.identity, deps.chats, deps.ipGate),
    broker: deps.broker,
    logger: deps.log,
    sessions: trackVisitorPresence(deps.broker, deps.log, deps.visitors.presenceChanged),
  });
  const disconnect = (order: DisconnectOrder) => gateway.disconnect(order);
  // Visitors seen within a day may still hold a connection; older ones cannot.
  const usersOfSite = async (siteId: number) => {
    const since = new Date(Date.now() - 24 * 3600_000).toISOString();
    const agents = (await deps.agents.idsOfSite(siteId)).map((id) => `agent:${id}`);
    return [...agents, ...(await deps.visitors.recentIds(siteId, since)).map((id) => `visitor:${id}`)];
  };
  const listener: EventListener<ParleyEvent> = createRealtimeListener({ broker: deps.broker, disconnect, usersOfSite });
  return {
    service: {
      gateway,
      disconnect,
      async endSession(principal) {
        // Only agents hold real-time sessions (platform users have no feed).
        if (principal.kind !== 'agent') return;
        await gateway.disconnect({ user: `agent:${principal.agentId}`, session: `session:${principal.sessionId}`, code: 3500, reason: 'token revoked' });
      },
    },
    routes: (http) => gateway.register(http),
    listeners: [listener],
  };
}
