// Reloads the console's state over REST: after every (re)connect, and whenever a channel says it
// could not recover what it missed. What the events said and what REST says are merged by id, so
// a message seen both ways shows once. Requests made while one runs fold into one more run.
import { fetchChat, fetchMessagesAfter, fetchOpenChats } from '../api/chats.ts';
import { ApiError } from '../api/http.ts';
import { fetchMe, fetchVisitors } from '../api/team.ts';
import type { Chat } from '../api/types.ts';
import { addMessages, addTab, lastSeq, removeChat, upsertChat } from './chatState.ts';
import { getState, setState } from './store.ts';
import { replaceVisitors, visitorChat } from './visitorState.ts';

let running: Promise<void> | null = null;
let again = false;
/** When a reload last succeeded (0: never). */
let lastGood = 0;

/** When a reload last succeeded, in `Date.now()` time (0: never). */
export const lastGoodSync = () => lastGood;

export function requestSync(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      const started = Date.now();
      await syncOnce().then(
        () => {
          lastGood = started;
        },
        () => {
          // A failed reload (server still restarting) is retried by the next connect.
        },
      );
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

/** Fetches the messages a chat misses (all of them the first time). */
export async function syncMessages(chatId: number): Promise<void> {
  const entry = getState().chats[chatId];
  if (!entry) return;
  const messages = await fetchMessagesAfter(chatId, lastSeq(entry));
  setState((s) => {
    const next = addMessages(s, chatId, messages);
    const e = next.chats[chatId];
    return e && !e.loaded ? { ...next, chats: { ...next.chats, [chatId]: { ...e, loaded: true } } } : next;
  });
}

/** Reloads one chat and its new messages; a chat that is no longer mine to see is dropped. */
export async function syncChat(chatId: number): Promise<void> {
  const entry = getState().chats[chatId];
  if (!entry) return;
  let chat: Chat;
  try {
    chat = await fetchChat(chatId);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) setState((s) => removeChat(s, chatId));
    return;
  }
  applyMyChat(chat);
  if (getState().chats[chatId]) await syncMessages(chatId);
}

/** Puts a fresh copy of a chat where it belongs: offered, open, ended in its pane, or gone. */
function applyMyChat(chat: Chat): void {
  const me = getState().session?.agentId;
  setState((s) => {
    const entry = s.chats[chat.id];
    if (entry && entry.role !== 'mine') return visitorChat(upsertChat(s, chat, entry.role), chat);
    if (chat.agentId !== me && chat.status !== 'ended') return removeChat(s, chat.id);
    if (chat.status === 'ended' && !s.tabs.includes(chat.id)) return removeChat(s, chat.id);
    let next = upsertChat(s, chat, 'mine');
    if (chat.status === 'assigned') {
      if (!next.incoming.includes(chat.id)) next = { ...next, incoming: [...next.incoming, chat.id] };
    } else if (chat.status === 'active') {
      // A chat new to the list gets a pane if one is free; one the agent hid stays hidden.
      next = addTab({ ...next, incoming: next.incoming.filter((id) => id !== chat.id) }, chat.id, !s.tabs.includes(chat.id));
    }
    return visitorChat(next, chat);
  });
}

async function syncOnce(): Promise<void> {
  const me = getState().session?.agentId;
  if (me === undefined) return;
  const [open, visitors, agent] = await Promise.allSettled([fetchOpenChats(), fetchVisitors(), fetchMe()]);
  if (visitors.status === 'fulfilled') setState((s) => replaceVisitors(s, visitors.value));
  if (agent.status === 'fulfilled') setState((s) => ({ ...s, me: agent.value }));
  if (open.status === 'rejected') throw open.reason;

  const mine = open.value.filter((c) => c.agentId === me && (c.status === 'assigned' || c.status === 'active'));
  for (const chat of mine) applyMyChat(chat);
  for (const chat of open.value) setState((s) => visitorChat(s, chat));

  // Chats I had that the open list no longer shows as mine ended or moved meanwhile: ask each.
  const listed = new Set(mine.map((c) => c.id));
  const others = Object.values(getState().chats).filter((e) => !listed.has(e.chat.id) && e.chat.status !== 'ended');
  await Promise.allSettled(others.map((e) => syncChat(e.chat.id)));
  await Promise.allSettled(mine.map((c) => syncMessages(c.id)));
}
