// Visitors come online with their first real-time connection and go offline with their last one,
// on whichever node: the visitor channel's presence (shared through the broker) is the count.
import type { Principal } from '../../platform/http/access.ts';
import type { SessionListener } from '../../platform/realtime/gateway.ts';
import type { Broker, RealtimeLogger } from '../../platform/realtime/types.ts';
import { channels } from './realtime.channels.ts';

/** Tells `changed` when a visitor's first connection arrived or its last one left. */
export function trackVisitorPresence(
  broker: Broker,
  logger: RealtimeLogger,
  changed: (siteId: number, visitorId: number, online: boolean) => Promise<void>,
): SessionListener {
  async function check(principal: Principal, online: boolean): Promise<void> {
    if (principal.kind !== 'visitor') return;
    const present = (await broker.presence(channels.visitor(principal.visitorId))).length;
    // Online with exactly this one connection; offline with none left.
    if (online ? present === 1 : present === 0) await changed(principal.siteId, principal.visitorId, online);
  }
  const run = (principal: unknown, online: boolean) =>
    void check(principal as Principal, online).catch((err) => logger.error({ err }, 'visitor presence change failed'));
  return {
    connected: (identity) => run(identity.context, true),
    disconnected: (identity) => run(identity.context, false),
  };
}
