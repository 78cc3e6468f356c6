// Routing: hands queued chats to online agents with spare capacity, least busy first and, among
// equals, the one who waited longest for a chat. Runs inside the caller's transaction, with the
// site locked for routing, so two decisions for one site never race.
import type { Transaction } from 'kysely';
import type { Chat, DB } from '../../platform/db/schema.ts';
import { addChatAgent, availableAgents, queuedChats, transitionChat } from './chat.repository.ts';

/** Assigns one chat to the best available agent, if any; returns the updated chat. */
async function assignIfPossible(trx: Transaction<DB>, chat: Chat): Promise<Chat | undefined> {
  const [agent] = await availableAgents(trx, chat.site_id);
  if (!agent) return undefined;
  return assignTo(trx, chat, agent.id);
}

async function assignTo(trx: Transaction<DB>, chat: Chat, agentId: number): Promise<Chat | undefined> {
  const assigned = await transitionChat(trx, chat.site_id, chat.id, ['queued'], {
    status: 'assigned',
    agent_id: agentId,
    assigned_at: new Date().toISOString(),
  });
  if (assigned) await addChatAgent(trx, chat.site_id, chat.id, agentId);
  return assigned;
}

/** Assigns waiting chats in arrival order while agents have room; returns the chats assigned. */
export async function drainQueue(trx: Transaction<DB>, siteId: number): Promise<Chat[]> {
  // Only as many chats as there are free seats can move, so read no more of the queue than that.
  const freeSeats = (await availableAgents(trx, siteId)).reduce((n, a) => n + (a.max - a.load), 0);
  if (freeSeats === 0) return [];
  const out: Chat[] = [];
  for (const chat of await queuedChats(trx, siteId, freeSeats)) {
    const assigned = await assignIfPossible(trx, chat);
    if (!assigned) break;
    out.push(assigned);
  }
  return out;
}
