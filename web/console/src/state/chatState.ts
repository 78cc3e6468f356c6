// Pure changes of the chats part of the state: merging messages (each id once, in seq order),
// tabs and panes. Every function returns a new state, or the same one when nothing changed.
import type { Chat, Message } from '../api/types.ts';
import { type ChatEntry, type ChatRole, MAX_PANES, type State } from './model.ts';

export function mergeMessages(list: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return list;
  const byId = new Map(list.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const known = byId.get(m.id);
    // An edit or deletion replaces the message; an older copy (a late event) never wins.
    if (known && (known.editedAt ?? '') >= (m.editedAt ?? '') && (known.deletedAt ?? '') >= (m.deletedAt ?? '')) continue;
    byId.set(m.id, m);
    changed = true;
  }
  if (!changed) return list;
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function lastSeq(entry: ChatEntry): number {
  return Math.max(entry.messages.at(-1)?.seq ?? 0, 0);
}

/** Visitor messages the agent has not seen. */
export function unreadCount(entry: ChatEntry): number {
  const read = Math.max(entry.readSeq, entry.chat.agentReadSeq);
  let n = 0;
  for (let i = entry.messages.length - 1; i >= 0; i--) {
    const m = entry.messages[i]!;
    if (m.seq <= read) break;
    if (m.senderKind === 'visitor' && !m.deletedAt) n++;
  }
  return n;
}

function newEntry(chat: Chat, role: ChatRole): ChatEntry {
  return { chat, role, messages: [], pending: [], loaded: false, visitorTyping: false, readSeq: chat.agentReadSeq };
}

/** Adds or refreshes a chat; a newer copy of the chat replaces the older. */
export function upsertChat(s: State, chat: Chat, role: ChatRole): State {
  const entry = s.chats[chat.id];
  const next = entry ? { ...entry, chat: { ...entry.chat, ...chat }, role: entry.role === 'mine' ? 'mine' : role } : newEntry(chat, role);
  return { ...s, chats: { ...s.chats, [chat.id]: next } };
}

export function updateEntry(s: State, chatId: number, change: (e: ChatEntry) => ChatEntry): State {
  const entry = s.chats[chatId];
  if (!entry) return s;
  const next = change(entry);
  return next === entry ? s : { ...s, chats: { ...s.chats, [chatId]: next } };
}

export function addMessages(s: State, chatId: number, messages: Message[]): State {
  return updateEntry(s, chatId, (e) => {
    const merged = mergeMessages(e.messages, messages);
    const sent = new Set(messages.map((m) => m.clientMessageId).filter((id) => id !== null));
    const pending = sent.size ? e.pending.filter((p) => !sent.has(p.clientMessageId)) : e.pending;
    const top = merged.at(-1)?.seq ?? 0;
    if (merged === e.messages && pending === e.pending && top <= e.chat.lastSeq) return e;
    // A visitor who sends a message has stopped typing it.
    const typing = messages.some((m) => m.senderKind === 'visitor') ? false : e.visitorTyping;
    return { ...e, messages: merged, pending, visitorTyping: typing, chat: { ...e.chat, lastSeq: Math.max(e.chat.lastSeq, top) } };
  });
}

/** Shows a chat in a pane: a free one, else in place of the pane opened longest ago. */
export function showInPane(s: State, chatId: number): State {
  if (s.panes.includes(chatId)) return s;
  const panes = s.panes.length < MAX_PANES ? [...s.panes, chatId] : [...s.panes.slice(1), chatId];
  const tabs = s.tabs.includes(chatId) ? s.tabs : [...s.tabs, chatId];
  return { ...s, panes, tabs };
}

export function addTab(s: State, chatId: number, show: boolean): State {
  const withTab = s.tabs.includes(chatId) ? s : { ...s, tabs: [...s.tabs, chatId] };
  return show && withTab.panes.length < MAX_PANES ? showInPane(withTab, chatId) : withTab;
}

export function hidePane(s: State, chatId: number): State {
  return s.panes.includes(chatId) ? { ...s, panes: s.panes.filter((id) => id !== chatId) } : s;
}

/** Forgets a chat entirely; a hidden chat takes the freed pane. */
export function removeChat(s: State, chatId: number): State {
  if (!s.chats[chatId] && !s.tabs.includes(chatId) && !s.incoming.includes(chatId)) return s;
  const { [chatId]: _gone, ...chats } = s.chats;
  const tabs = s.tabs.filter((id) => id !== chatId);
  let panes = s.panes.filter((id) => id !== chatId);
  if (panes.length < s.panes.length) {
    const hidden = tabs.filter((id) => !panes.includes(id)).at(-1);
    if (hidden !== undefined) panes = [...panes, hidden];
  }
  return { ...s, chats, tabs, panes, incoming: s.incoming.filter((id) => id !== chatId) };
}

/** My chats that count against my capacity. */
export function activeCount(s: State): number {
  const me = s.session?.agentId;
  return Object.values(s.chats).filter((e) => e.role === 'mine' && e.chat.agentId === me && (e.chat.status === 'active' || e.chat.status === 'assigned'))
    .length;
}
