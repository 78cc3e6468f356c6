// Who may connect to the real-time gateway and which channels they may read.
import type { IpGate, Principal } from '../../platform/http/access.ts';
import { type Authorizer, type RealtimeIdentity, TokenExpiredError } from '../../platform/realtime/types.ts';
import type { ChatService } from '../chat/index.ts';
import { type IdentityService, TokenRejected } from '../identity/index.ts';
import { channels, parseChannel } from './realtime.channels.ts';

/**
 * Builds the gateway's Authorizer from Parley's identities and chat visibility rules; `ipGate`
 * refuses agents and visitors whose site does not let them in from their address, as the HTTP API does.
 */
export function createRealtimeAuthorizer(identity: Pick<IdentityService, 'authenticate'>, chats: Pick<ChatService, 'get'>, ipGate?: IpGate): Authorizer {
  return {
    async authenticate(token, address) {
      let principal: Principal & { expiresAt: number };
      try {
        principal = await identity.authenticate(token);
      } catch (err) {
        if (err instanceof TokenRejected && err.reason === 'expired') throw new TokenExpiredError('token expired');
        if (err instanceof TokenRejected) return null;
        throw err;
      }
      const { expiresAt } = principal;
      if (ipGate && address !== undefined && (principal.kind === 'agent' || principal.kind === 'visitor')) {
        if (await ipGate(principal.kind, principal.siteId, address)) return null;
      }
      if (principal.kind === 'agent') {
        // An operator hears its own channel and its site's (new sessions, the queue, who is online).
        return {
          user: `agent:${principal.agentId}`,
          channels: [channels.agent(principal.agentId), channels.site(principal.siteId)],
          expiresAt,
          session: `session:${principal.sessionId}`,
          info: { kind: 'agent', id: principal.agentId },
          context: principal,
        };
      }
      if (principal.kind === 'visitor') {
        return {
          user: `visitor:${principal.visitorId}`,
          channels: [channels.visitor(principal.visitorId), channels.siteVisitors(principal.siteId)],
          expiresAt,
          info: { kind: 'visitor', id: principal.visitorId },
          context: principal,
        };
      }
      return null; // platform users have no real-time feed yet
    },

    // Who is on a site channel is for its agents; on a chat channel for whoever may read the chat.
    // The site's visitor roster is read by the server only (the agents' visitor list).
    canReadPresence(id: RealtimeIdentity, channel: string) {
      const p = id.context as Principal;
      const kind = parseChannel(channel)?.kind;
      return kind !== undefined && (kind !== 'site' || p.kind === 'agent');
    },

    async canSubscribe(id: RealtimeIdentity, channel: string) {
      const p = id.context as Principal;
      const target = parseChannel(channel);
      if (!target || (p.kind !== 'agent' && p.kind !== 'visitor')) return false;
      const ctx = { siteId: p.siteId, actor: p };
      switch (target.kind) {
        case 'site':
          return p.kind === 'agent' && p.siteId === target.id;
        case 'agent':
          return p.kind === 'agent' && p.agentId === target.id;
        case 'visitor':
          return p.kind === 'visitor' && p.visitorId === target.id;
        case 'chat':
          // Visible chats only: the visitor's own, or any chat of an agent's site.
          return chats.get(ctx, target.id).then(
            () => true,
            () => false,
          );
      }
    },
  };
}
