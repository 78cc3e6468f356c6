// Pure changes of the live visitor list, and a debounced reload for events that name a visitor
// without describing it.
import { fetchVisitors } from '../api/team.ts';
import type { Chat, VisitorPresence } from '../api/types.ts';
import type { State } from './model.ts';
import { setState } from './store.ts';

export function replaceVisitors(s: State, list: VisitorPresence[]): State {
  return { ...s, visitors: Object.fromEntries(list.map((v) => [v.id, v])) };
}

export function upsertVisitor(s: State, v: VisitorPresence): State {
  return { ...s, visitors: { ...s.visitors, [v.id]: { ...s.visitors[v.id], ...v } } };
}

export function patchVisitor(s: State, id: number, change: Partial<VisitorPresence>): State {
  const v = s.visitors[id];
  return v ? { ...s, visitors: { ...s.visitors, [id]: { ...v, ...change } } } : s;
}

/** A visitor left the site: gone from the list unless someone captured them. */
export function visitorLeft(s: State, id: number): State {
  const v = s.visitors[id];
  if (!v) return s;
  if (v.capturedBy !== null) return patchVisitor(s, id, { online: false });
  const { [id]: _gone, ...rest } = s.visitors;
  return { ...s, visitors: rest };
}

/** Keeps the visitor's chat column in step with the chat events of the site. */
export function visitorChat(s: State, chat: Chat): State {
  const v = s.visitors[chat.visitorId];
  if (!v) return s;
  if (v.chat && v.chat.id !== chat.id && chat.status === 'ended') return s;
  return patchVisitor(s, chat.visitorId, { chat: chat.status === 'ended' ? null : { id: chat.id, status: chat.status, agentId: chat.agentId } });
}

let reloadTimer: ReturnType<typeof setTimeout> | undefined;

export async function reloadVisitors(): Promise<void> {
  const list = await fetchVisitors();
  setState((s) => replaceVisitors(s, list));
}

/** Several events in a burst make one request. */
export function scheduleVisitorReload(): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => {
    reloadVisitors().catch(() => {
      // The next event or reconnect tries again; the list keeps what it had.
    });
  }, 400);
}
