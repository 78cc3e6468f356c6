// Routing: hands queued chats to online agents with spare capacity, least busy first and, among
// equals, the one who waited longest for a chat. A chat transferred to a group goes only to that
// group's members. Runs inside the caller's transaction, with the site locked for routing, so two
// decisions for one site never race.
import type { Transaction } from 'kysely';
import type { Chat, DB } from '../../platform/db/schema.ts';
import { addChatAgent, availableAgents, groupMembers, queuedChats, transitionChat } from './chat.repository.ts';

// How much of the queue one routing pass looks at: chats for a group nobody online serves can
// sit ahead of chats others could take.
const routingWindow = 500;

type Candidate = Awaited<ReturnType<typeof availableAgents>>[number];

function best(candidates: Candidate[]): Candidate | undefined {
  return [...candidates].sort((x, y) => x.load - y.load || x.last.localeCompare(y.last) || x.id - y.id)[0];
}

/** Gives a chat to an agent (keeping it active if it already was); records the agent's part in it. */
export async function assignTo(trx: Transaction<DB>, chat: Chat, agentId: number): Promise<Chat | undefined> {
  const assigned = await transitionChat(trx, chat.site_id, chat.id, [chat.status], {
    status: chat.status === 'active' ? 'active' : 'assigned',
    agent_id: agentId,
    assigned_at: new Date().toISOString(),
  });
  if (assigned) await addChatAgent(trx, chat.site_id, chat.id, agentId);
  return assigned;
}

/** Assigns waiting chats in arrival order while agents have room; returns the chats assigned. */
export async function drainQueue(trx: Transaction<DB>, siteId: number): Promise<Chat[]> {
  const agents = await availableAgents(trx, siteId);
  if (agents.length === 0) return [];
  const members = await groupMembers(trx, siteId);
  const out: Chat[] = [];
  for (const chat of await queuedChats(trx, siteId, routingWindow)) {
    const free = agents.filter((a) => a.load < a.max);
    if (free.length === 0) break;
    const eligible = chat.group_id === null ? free : free.filter((a) => members.get(chat.group_id!)?.has(a.id));
    const agent = best(eligible);
    if (agent === undefined) continue;
    const assigned = await assignTo(trx, chat, agent.id);
    if (!assigned) continue;
    agent.load += 1;
    agent.last = assigned.assigned_at ?? agent.last;
    out.push(assigned);
  }
  return out;
}
