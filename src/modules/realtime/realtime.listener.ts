// The real-time side of the event log: each committed event becomes its publications (in the
// spec's vocabulary, see realtime.publisher.ts), then the disconnects it causes, so that clients
// read why they are being let go. A publication carries the event id and its index as idempotency
// key, so the relay retrying an event after a crash does not give a channel the same offset twice.
import type { EventListener, StoredEvent } from '../../platform/events/index.ts';
import { Disconnects } from '../../platform/realtime/protocol.ts';
import type { Broker, DisconnectOrder } from '../../platform/realtime/types.ts';
import type { ParleyEvent } from '../events.ts';
import { publicationsOf } from './realtime.publisher.ts';

interface Deps {
  broker: Broker;
  /** Ends matching connections on every node. */
  disconnect(order: DisconnectOrder): Promise<void>;
  /** The users of a site that stopped serving whose connections end: its agents and recent visitors. */
  usersOfSite(siteId: number): Promise<string[]>;
}

/** The connections an event ends. */
function disconnectsOf(e: ParleyEvent): DisconnectOrder[] {
  switch (e.name) {
    case 'agent.sessionReplaced':
      // Only the ended sessions: a login racing this one keeps its own session and connection.
      return e.endedSessionIds.map((sessionId) => ({
        user: `agent:${e.agentId}`,
        session: `session:${sessionId}`,
        ...Disconnects.forceNoReconnect,
        reason: 'logged in elsewhere',
      }));
    case 'agent.blocked':
      return [{ user: `agent:${e.agentId}`, ...Disconnects.permissionDenied, reason: 'blocked' }];
    case 'agent.passwordReset':
      return [{ user: `agent:${e.agentId}`, ...Disconnects.forceNoReconnect, reason: 'password reset' }];
    case 'visitor.banned':
      return [{ user: `visitor:${e.visitorId}`, ...Disconnects.permissionDenied, reason: 'banned' }];
    default:
      return [];
  }
}

/** The `realtime` listener of the event log. */
export function createRealtimeListener({ broker, disconnect, usersOfSite }: Deps): EventListener<ParleyEvent> {
  return {
    name: 'realtime',
    async handle({ id, event }: StoredEvent<ParleyEvent>): Promise<void> {
      const publications = publicationsOf(event);
      for (const [i, [channel, payload]] of publications.entries()) await broker.publish(channel, payload, { idempotencyKey: `${id}.${i}` });
      for (const order of disconnectsOf(event)) await disconnect(order);
      // A site that stops serving lets its agents and visitors go.
      if ('wasServing' in event && event.wasServing && !event.serving) {
        for (const user of await usersOfSite(event.siteId)) await disconnect({ user, ...Disconnects.permissionDenied, reason: 'site closed' });
      }
    },
  };
}
