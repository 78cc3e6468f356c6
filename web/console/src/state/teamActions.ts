// The agent's status, the team (for transfers) and canned messages.
import * as api from '../api/team.ts';
import type { AgentStatus, CannedInput, CannedMessage } from '../api/types.ts';
import { setState } from './store.ts';

export async function setStatus(status: AgentStatus): Promise<void> {
  const me = await api.setMyStatus(status);
  setState((s) => ({ ...s, me }));
}

/** Fresh agents and groups, when the transfer dialog opens. */
export async function refreshTeam(): Promise<void> {
  const [agents, groups] = await Promise.all([api.fetchAgents(), api.fetchGroups()]);
  setState((s) => ({ ...s, agents, groups }));
}

export async function reloadCanned(): Promise<void> {
  const canned = await api.fetchCanned();
  setState((s) => ({ ...s, canned }));
}

export async function saveCanned(id: number | null, input: CannedInput): Promise<void> {
  const saved = id === null ? await api.createCanned(input) : await api.updateCanned(id, input);
  setState((s) => ({ ...s, canned: id === null ? [...s.canned, saved] : s.canned.map((c) => (c.id === id ? saved : c)) }));
}

export async function removeCanned(id: number): Promise<void> {
  await api.deleteCanned(id);
  setState((s) => ({ ...s, canned: s.canned.filter((c) => c.id !== id) }));
}

/** Canned messages whose shortcut starts with what follows the "/" (then those whose title has it). */
export function matchCanned(list: CannedMessage[], typed: string): CannedMessage[] {
  const q = typed.toLowerCase();
  const byShortcut = list.filter((c) => c.shortcut.toLowerCase().startsWith(q));
  const byTitle = list.filter((c) => !byShortcut.includes(c) && c.title.toLowerCase().includes(q));
  return [...byShortcut, ...byTitle].slice(0, 8);
}
