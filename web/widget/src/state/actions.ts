// What the visitor does besides sending messages: the pre-chat and offline forms, the survey,
// rating robot answers, asking for a person, ending the chat, typing and reading.
import { ApiError, api } from '../api/client.ts';
import type { Chat } from '../api/types.ts';
import { loadConfig } from './boot.ts';
import { sendText, startChat } from './outbox.ts';
import { openSession, type VisitorDetails } from './session.ts';
import { clearChat, getState, lastSeq, patch, subscribe } from './store.ts';
import { refreshChat, showChat } from './sync.ts';

let typingSince = 0;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let reading = false;

/** Shows what went wrong in the server's words (its problem `detail`), or a generic sentence. */
export function showError(err: unknown): void {
  const e = err instanceof ApiError ? err : null;
  if (e?.type.endsWith('queue-full')) {
    patch({ offlineReason: typeof e.extras.offlineMessage === 'string' ? e.extras.offlineMessage : e.message });
    return;
  }
  patch({ error: e?.message || getState().t.error });
}

/** Runs a request; on failure shows why and resolves false. */
async function attempt(work: () => Promise<unknown>): Promise<boolean> {
  patch({ error: '' });
  try {
    await work();
    return true;
  } catch (err) {
    showError(err);
    return false;
  }
}

export type FormValues = Record<string, string>;

/** The pre-chat form: who the visitor is (same visitor, now named), then the question as first message. */
export function submitPrechat(v: FormValues): Promise<boolean> {
  return attempt(async () => {
    const details: VisitorDetails = {};
    if (v.name) details.name = v.name;
    if (v.email) details.email = v.email;
    // The campaign's own fields are kept with the phone number in the visitor's info.
    const own = new Set(['name', 'email', 'phone', 'question']);
    const info: Record<string, string> = {};
    for (const [k, value] of Object.entries(v)) if (!own.has(k) && value) info[k] = value.slice(0, 2000);
    if (v.phone) info.phone = v.phone;
    if (Object.keys(info).length > 0) details.info = info;
    if (details.name || details.email || details.info) await openSession(details);
    patch({ started: true });
    if (v.question) sendText(v.question);
    else await startChat();
  });
}

export function submitOffline(v: FormValues): Promise<boolean> {
  return attempt(async () => {
    const body: Record<string, string> = { content: v.content ?? '' };
    for (const k of ['name', 'email', 'phone']) if (v[k]) body[k] = v[k] as string;
    await api('POST', '/api/v1/offline-messages', body);
    patch({ offlineSent: true, draft: '' });
  });
}

export function submitSurvey(optionId: number, remark: string): Promise<boolean> {
  const id = getState().chat?.id;
  return attempt(async () => {
    await api('POST', `/api/v1/chats/${id}/survey`, remark ? { optionId, remark } : { optionId });
    patch({ surveyDone: 'sent' });
  });
}

export function rate(messageId: number, useful: boolean): Promise<boolean> {
  const id = getState().chat?.id;
  return attempt(async () => {
    await api('POST', `/api/v1/chats/${id}/messages/${messageId}/rating`, { useful });
    patch({ rated: { ...getState().rated, [messageId]: useful } });
  });
}

/** What the mobile WebView page does instead of ending or handing over itself (it asks the app). */
let overrides: { end?: () => Promise<boolean>; handover?: () => Promise<boolean> } = {};

export function overrideActions(o: typeof overrides): void {
  overrides = o;
}

/** Leaves the robot for a person. */
export function handover(): Promise<boolean> {
  if (overrides.handover) return overrides.handover();
  const id = getState().chat?.id;
  return attempt(async () => {
    showChat(await api<Chat>('POST', `/api/v1/chats/${id}/handover`));
    await refreshChat();
  });
}

/** The visitor's "End chat" (in the WebView, the app asks the customer first). */
export function endChat(): Promise<boolean> {
  return overrides.end ? overrides.end() : endChatNow();
}

/** Ends the chat now. */
export function endChatNow(): Promise<boolean> {
  const id = getState().chat?.id;
  return attempt(async () => {
    try {
      showChat(await api<Chat>('POST', `/api/v1/chats/${id}/end`));
    } catch (err) {
      // Ended meanwhile by the agent: show that rather than an error.
      if (!(err instanceof ApiError) || err.status !== 409) throw err;
    }
    await refreshChat();
  });
}

/** Back to the start after an ended chat (the site may have agents available again). */
export function newChat(): void {
  clearChat();
  void loadConfig();
}

function postTyping(typing: boolean): void {
  const chat = getState().chat;
  if (chat) void api('POST', `/api/v1/chats/${chat.id}/typing`, { typing }).catch(() => {});
}

/** Tells the agent the visitor types: at most every 3 s, and that it stopped after 4 s without a key. */
export function typed(): void {
  const status = getState().chat?.status;
  if (status !== 'assigned' && status !== 'active') return;
  if (Date.now() - typingSince > 3000) {
    typingSince = Date.now();
    postTyping(true);
  }
  clearTimeout(typingTimer);
  typingTimer = setTimeout(stoppedTyping, 4000);
}

export function stoppedTyping(): void {
  clearTimeout(typingTimer);
  if (!typingSince) return;
  typingSince = 0;
  postTyping(false);
}

/** Marks the chat read up to its last message while the panel is open and the page visible. */
export async function markRead(): Promise<void> {
  const { open, chat, readSeq } = getState();
  const last = lastSeq();
  if (reading || !open || !chat || document.visibilityState !== 'visible' || last <= readSeq) return;
  reading = true;
  try {
    await api('POST', `/api/v1/chats/${chat.id}/read`, { seq: last });
    if (getState().chat?.id === chat.id) patch({ readSeq: Math.max(getState().readSeq, last) });
  } catch {
    // Tried again with the next message or the next opening.
  } finally {
    reading = false;
  }
}

// Whatever changed (the panel opened, a message came, the tab became visible), read what shows.
document.addEventListener('visibilitychange', () => void markRead());
subscribe(() => void markRead());
