// Routing: hands queued chats to online agents with spare capacity. Tier 1 agents first; within a
// tier the site's rule picks: least-busy (fewest open chats, then the one who waited longest for a
// chat) or round-robin (the one who waited longest, whatever the load). A chat for a group goes
// only to its members, a chat for a named agent only to that agent. Runs inside the caller's
// transaction, with the site locked for routing, so two decisions for one site never race.
import type { Transaction } from 'kysely';
import type { AgentsService } from '../agents/index.ts';
import type { RoutingRule } from '../tenancy/index.ts';
import { refusalsOf } from './chat.console.repository.ts';
import { addChatAgent, agentLoads, queuedChats, transitionChat } from './chat.repository.ts';
import type { Chat, ChatTables } from './chat.tables.ts';

// How much of the queue one routing pass looks at: chats for a group nobody online serves can
// sit ahead of chats others could take.
const routingWindow = 500;

/** An agent routing may pick: its tier, its open chats and capacity, when it last got one. */
interface Candidate {
  id: number;
  priority: number;
  load: number;
  max: number;
  last: string;
}

/** Who may take chats (the agents module answers). */
export type RoutingAgents = Pick<AgentsService, 'available' | 'groupMembers'>;

/** Online agents of a site with room for another chat, least busy and least recently assigned first. */
async function candidates(trx: Transaction<ChatTables>, agents: RoutingAgents, siteId: number): Promise<Candidate[]> {
  const online = await agents.available(siteId, trx);
  const loads = await agentLoads(trx, siteId, online.map((a) => a.id));
  return online
    .map((a) => ({ id: a.id, priority: a.priority, load: loads.get(a.id)?.load ?? 0, max: a.maxConcurrentChats, last: loads.get(a.id)?.lastAssigned ?? '' }))
    .filter((r) => r.load < r.max)
    .sort((x, y) => x.load - y.load || x.last.localeCompare(y.last) || x.id - y.id);
}

/** The agent the site's rule picks among those free to take a chat. */
export function pickAgent(candidates: Candidate[], rule: RoutingRule): Candidate | undefined {
  const byRule =
    rule === 'round-robin'
      ? (x: Candidate, y: Candidate) => x.last.localeCompare(y.last) || x.id - y.id
      : (x: Candidate, y: Candidate) => x.load - y.load || x.last.localeCompare(y.last) || x.id - y.id;
  return [...candidates].sort((x, y) => x.priority - y.priority || byRule(x, y))[0];
}

/** Gives a chat to an agent (keeping it active if it already was); records the agent's part in it. */
export async function assignTo(trx: Transaction<ChatTables>, chat: Chat, agentId: number): Promise<Chat | undefined> {
  const assigned = await transitionChat(trx, chat.site_id, chat.id, [chat.status], {
    status: chat.status === 'active' ? 'active' : 'assigned',
    agent_id: agentId,
    assigned_at: new Date().toISOString(),
  });
  if (!assigned) return undefined;
  await addChatAgent(trx, chat.site_id, chat.id, agentId);
  return assigned;
}

/** The queue a queued chat waits in: its named agent's, its group's, or the site's. */
export function queueOf(chat: Pick<Chat, 'requested_agent_id' | 'group_id'>): string {
  if (chat.requested_agent_id !== null) return `agent:${chat.requested_agent_id}`;
  return chat.group_id !== null ? `group:${chat.group_id}` : 'site';
}

/** Assigns waiting chats in queue order while agents have room; returns the chats assigned. */
export async function drainQueue(trx: Transaction<ChatTables>, people: RoutingAgents, siteId: number, rule: RoutingRule): Promise<Chat[]> {
  const agents = await candidates(trx, people, siteId);
  if (agents.length === 0) return [];
  const members = await people.groupMembers(siteId, trx);
  const out: Chat[] = [];
  const waiting = await queuedChats(trx, siteId, routingWindow);
  // An agent who refused a chat is never offered it again.
  const refused = await refusalsOf(trx, siteId, waiting.map((c) => c.id));
  for (const chat of waiting) {
    const free = agents.filter((a) => a.load < a.max && !refused.get(chat.id)?.has(a.id));
    if (agents.every((a) => a.load >= a.max)) break;
    const eligible =
      chat.requested_agent_id !== null
        ? free.filter((a) => a.id === chat.requested_agent_id)
        : chat.group_id === null
          ? free
          : free.filter((a) => members.get(chat.group_id!)?.has(a.id));
    const agent = pickAgent(eligible, rule);
    if (agent === undefined) continue;
    const assigned = await assignTo(trx, chat, agent.id);
    if (!assigned) continue;
    agent.load += 1;
    agent.last = assigned.assigned_at ?? agent.last;
    out.push(assigned);
  }
  return out;
}
