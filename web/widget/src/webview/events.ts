// What the WebView page tells the app about its chat (docs/mobile-webview.md), from the chat's
// state: an agent joined (`event.chat.agent_join` with the agent's and the chat's ids) or left,
// nobody is free (`event.chat.agent_busy`), the chat ended (`event.chat.end`), and each request the
// agent made to the app (messages of type `app`, handed on as they are). Each is told once; the
// requests handed on are remembered for the tab, so a reload does not repeat them.
import { getState, subscribe } from '../state/store.ts';
import { type Params, post } from './bridge.ts';

/** Watches the current chat from now on (what it held at start is not told). */
export function watchChat(page: 'agent' | 'robot'): void {
  const chatId = getState().chat?.id;
  if (chatId === undefined) return;
  const key = `parley:webview:forwarded:${chatId}`;
  let forwarded = Number(read(key) ?? getState().chat?.lastSeq ?? 0);
  let joined: number | null = null;
  let busy = false;
  let ended = false;

  const check = () => {
    const s = getState();
    const chat = s.chat;
    if (!chat || chat.id !== chatId) return;
    if (page === 'agent') {
      if (chat.status === 'active' && chat.agentId !== null && joined !== chat.agentId) {
        if (joined !== null) post('event.chat.agent_leave');
        joined = chat.agentId;
        busy = false;
        post('event.chat.agent_join', { agentid: String(chat.agentId), chatid: String(chat.id) });
      } else if (joined !== null && chat.status !== 'active' && chat.status !== 'ended') {
        // Given back to the queue or transferred: the next agent joins anew.
        post('event.chat.agent_leave');
        joined = null;
      }
      if (chat.status === 'queued' && !busy) {
        busy = true;
        post('event.chat.agent_busy');
      }
    }
    for (const m of s.messages) {
      // Only the agents' requests: nothing the customer could write reaches the app as a command.
      if (m.seq <= forwarded || m.type !== 'app' || m.senderKind !== 'agent' || m.deletedAt) continue;
      forwarded = m.seq;
      write(key, String(forwarded));
      const command = m.data.command;
      if (typeof command === 'string') post(command, (m.data.params as Params | undefined) ?? {});
    }
    if (page === 'agent' && chat.status === 'ended' && !ended) {
      ended = true;
      post('event.chat.end');
    }
  };
  subscribe(check);
  check();
}

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Without storage a reload may hand a request on again; the app treats them as idempotent.
  }
}
