// The operator panel's sessions: one live session per operator (a new login closes the others,
// as the spec's chatUserExists says), and a logout that takes the operator offline.
import type { SiteContext } from '../../platform/context.ts';
import type { EventLog } from '../../platform/events/index.ts';
import type { Principal } from '../../platform/http/access.ts';
import type { AgentEvent, AgentsService, AgentsTables } from '../agents/index.ts';
import type { AgentSession, IdentityService } from '../identity/index.ts';

export interface OperatorDeps {
  identity: Pick<IdentityService, 'loginAgent' | 'revokeEarlierAgentSessions' | 'logout'>;
  agents: Pick<AgentsService, 'get' | 'setOwnStatus' | 'setOperatorSession'>;
  /** The operator module keeps no tables: its transactions carry the agents' and identity's changes. */
  events: EventLog<AgentsTables, AgentEvent>;
}

/** The operator panel's session rules. */
export interface OperatorService {
  /** Logs an operator in; its earlier sessions are told (chatUserExists) and closed. */
  login(email: string, password: string, siteId?: number, ip?: string): Promise<AgentSession>;
  /** Ends the caller's session: the token is revoked, the operator goes offline and its other tabs are told. */
  logout(principal: Principal): Promise<void>;
}

/** Operator session rules over identity and agents. */
export function createOperatorService({ identity, agents, events }: OperatorDeps): OperatorService {
  // The operator panel's session is the operator's only one: ending it takes the operator offline.
  async function afterLogout(principal: Principal): Promise<void> {
    if (principal.kind !== 'agent') return;
    const ctx: SiteContext = { siteId: principal.siteId, actor: principal };
    const me = await agents.get(ctx, principal.agentId);
    if (me.status !== 'offline') await agents.setOwnStatus(ctx, 'offline');
    await events.emit({ name: 'agent.loggedOut', siteId: principal.siteId, agentId: principal.agentId, sessionId: principal.sessionId });
  }

  return {
    /** Logs an operator in; its earlier sessions are told (chatUserExists) and closed. */
    async login(email: string, password: string, siteId?: number, ip?: string) {
      const session = await identity.loginAgent(email, password, siteId, null, ip);
      const { agentId, sessionId } = session;
      await events.transaction(async (trx, emit) => {
        // This login becomes the operator's only session: earlier sessions' tokens stop working.
        await agents.setOperatorSession(agentId, sessionId, trx);
        const ended = await identity.revokeEarlierAgentSessions(agentId, sessionId, trx);
        if (ended.length > 0) emit({ name: 'agent.sessionReplaced', siteId: session.siteId, agentId, sessionId, endedSessionIds: ended });
      });
      return session;
    },

    /** Ends the caller's session: the token is revoked, the operator goes offline and its other tabs are told. */
    async logout(principal: Principal): Promise<void> {
      await identity.logout(principal);
      await afterLogout(principal);
    },
  };
}

