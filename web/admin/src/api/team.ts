// The site's agents and groups together: the agents and groups pages show and change both.
import { fetchAgents, fetchGroups } from './panel.ts';
import type { Agent, Group } from './types.ts';

export interface Team {
  agents: Agent[];
  groups: Group[];
}

export async function fetchTeam(): Promise<Team> {
  const [agents, groups] = await Promise.all([fetchAgents(), fetchGroups()]);
  return { agents: [...agents].sort((a, b) => a.name.localeCompare(b.name)), groups: [...groups].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Puts an agent into or out of the groups so that it is in exactly `wanted` (one call per group that changes). */
export async function placeInGroups(agentId: number, groups: Group[], wanted: ReadonlySet<number>, setMembers: (groupId: number, agentIds: number[]) => Promise<unknown>): Promise<void> {
  for (const g of groups) {
    const isIn = g.agentIds.includes(agentId);
    if (isIn === wanted.has(g.id)) continue;
    await setMembers(g.id, isIn ? g.agentIds.filter((id) => id !== agentId) : [...g.agentIds, agentId]);
  }
}
