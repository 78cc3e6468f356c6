// Keeps the visitor's chat current: loads it over REST (at start, after every real-time
// (re)connection, and whenever an event names a chat the widget does not know) and applies the
// visitor channel's events. Messages are keyed by seq, so whatever arrives both ways shows once.
import { api } from '../api/client.ts';
import type { Chat, Message, Operator, VisitorEvent } from '../api/types.ts';
import { clearChat, getState, lastSeq, mergeMessages, patch, patchChat } from './store.ts';

const PAGE = 500;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let syncing: Promise<void> | null = null;
let again = false;

/** What the widget knows of an agent: the current one, the one who invited, or only the id. */
function knownOperator(id: number): Operator {
  const { agent, invitation } = getState();
  if (agent?.id === id) return agent;
  return invitation?.operator.id === id ? invitation.operator : { id, name: '' };
}

/** Makes `chat` the current chat (a different one starts with no messages). */
export function showChat(chat: Chat): void {
  const s = getState();
  if (s.chat?.id === chat.id) {
    // A chat read from the list may lack `agent`, and events may be newer than the read.
    patch({
      chat: { ...s.chat, ...chat, lastSeq: Math.max(chat.lastSeq, s.chat.lastSeq), agentReadSeq: Math.max(chat.agentReadSeq, s.chat.agentReadSeq) },
      readSeq: Math.max(s.readSeq, chat.visitorReadSeq),
    });
  } else {
    patch({ chat, messages: [], readSeq: chat.visitorReadSeq, agent: null, agentTyping: false, surveyDone: false, offlineReason: null, offlineSent: false });
  }
  // Servers that name the agent say null when nobody has the chat; with older ones, the id is all
  // there is (the name then comes with the events, or shows as "Agent").
  if (chat.agent !== undefined) patch({ agent: chat.agent });
  else if (chat.agentId === null) patch({ agent: null });
  else patch({ agent: knownOperator(chat.agentId) });
}

async function loadMessages(chatId: number): Promise<void> {
  for (;;) {
    const after = lastSeq();
    const page = await api<Message[]>('GET', `/api/v1/chats/${chatId}/messages?afterSeq=${after}&limit=${PAGE}`);
    if (getState().chat?.id !== chatId) return;
    mergeMessages(page);
    if (page.length < PAGE) return;
  }
}

/** Reads one chat again (status, queue position, agent) and the messages after the last seq. */
export async function refreshChat(): Promise<void> {
  const id = getState().chat?.id;
  if (id === undefined) return;
  const chat = await api<Chat>('GET', `/api/v1/chats/${id}`);
  if (getState().chat?.id === id) showChat(chat);
  await loadMessages(id);
}

async function syncOnce(): Promise<void> {
  const [newest] = await api<Chat[]>('GET', '/api/v1/chats?limit=1');
  const current = getState().chat;
  // The newest chat is ours if it is open, or if it is the one on screen (it may have just ended).
  if (newest && (newest.status !== 'ended' || newest.id === current?.id)) {
    showChat(newest);
    await refreshChat();
  } else if (current) {
    await refreshChat();
  }
}

/** Brings the chat up to date over REST; concurrent calls run it once more afterwards. */
export function resync(): Promise<void> {
  if (syncing) {
    again = true;
    return syncing;
  }
  syncing = (async () => {
    try {
      do {
        again = false;
        await syncOnce();
      } while (again);
    } finally {
      syncing = null;
    }
  })();
  return syncing;
}

/** The agent's name and avatar: from the event if it carries them, else from the chat. */
function agentChanged(operator: Operator | null | undefined, operatorId: number | null | undefined): void {
  if (operator) patch({ agent: operator });
  else if (operatorId === null) patch({ agent: null });
  else if (operatorId !== undefined) patch({ agent: knownOperator(operatorId) });
}

function setTyping(typing: boolean): void {
  clearTimeout(typingTimer);
  patch({ agentTyping: typing });
  // A lost "stopped typing" must not leave the indicator on for ever.
  if (typing) typingTimer = setTimeout(() => patch({ agentTyping: false }), 8000);
}

/** Applies one publication of the visitor's channel. */
export function applyEvent(e: VisitorEvent, openPanel: () => void): void {
  const s = getState();
  if (e.event === 'chatInvited') {
    if (e.operator && (!s.chat || s.chat.status === 'ended')) {
      if (s.chat) clearChat();
      patch({ invitation: { operator: e.operator, message: typeof e.message === 'string' ? e.message : '' } });
      openPanel();
    }
    return;
  }
  if (e.sessionId === undefined) return;
  if (e.sessionId !== s.chat?.id) {
    // A chat started elsewhere (another tab), or one this page has not loaded yet.
    void resync().catch(() => {});
    return;
  }
  switch (e.event) {
    case 'chatQueued':
    case 'queuePositionChanged':
      patchChat({ status: 'queued', queuePosition: e.queuePosition ?? null });
      break;
    case 'chatAssigned':
    case 'chatAccepted':
    case 'chatTransferred':
    case 'chatSwitchedToBot':
    case 'chatSwitchedToOperator':
      // The new status is not always implied by the event (a transfer keeps an active chat active): read it.
      agentChanged(e.operator, e.event === 'chatSwitchedToBot' ? null : e.operatorId);
      void refreshChat().catch(() => {});
      break;
    case 'chatMessageCreated':
    case 'chatMessageEdited':
    case 'chatMessageDeleted':
      if (typeof e.message === 'object' && e.message) {
        if (e.message.senderKind === 'agent') setTyping(false);
        mergeMessages([e.message]);
        if (e.message.type === 'close') patchChat({ status: 'ended' });
      }
      break;
    case 'chatMessageRead':
      patchChat({ agentReadSeq: Math.max(s.chat.agentReadSeq, e.seq ?? 0) });
      break;
    case 'typing':
      setTyping(e.typing === true);
      break;
    case 'chatClosed':
      setTyping(false);
      patchChat({ status: 'ended', endedBy: e.endedBy ?? null, queuePosition: null });
      break;
  }
}
