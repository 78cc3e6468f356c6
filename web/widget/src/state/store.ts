// The widget's whole state in one object, changed only through patch(); the UI re-renders on
// every change (a chat panel is small enough for that).
import type { Chat, Message, Operator, Visitor, WidgetConfig } from '../api/types.ts';
import { type Dict, en } from '../i18n.ts';

/** A message the visitor wrote that the server has not confirmed yet. */
export interface Pending {
  /** The clientMessageId: the server stores a retried message only once. */
  cid: string;
  text?: string;
  file?: File;
  state: 'sending' | 'failed';
  /** Why the server refused it (not retried by itself); empty after a network failure. */
  error: string;
}

export interface State {
  /** Session and configuration are loaded: the launcher may show. */
  ready: boolean;
  /** The site does not exist or is closed: the widget stays hidden. */
  disabled: boolean;
  open: boolean;
  /** The loader made the open panel cover the screen (narrow screens). */
  full: boolean;
  config: WidgetConfig;
  t: Dict;
  /** The language tag in use, for dates and the document's `lang`. */
  lang: string;
  visitor: Visitor | null;
  chat: Chat | null;
  /** The current chat's messages by ascending seq, each once. */
  messages: Message[];
  outbox: Pending[];
  /** The visitor began a conversation (pre-chat form sent, or a first message) before the chat exists. */
  started: boolean;
  agent: Operator | null;
  agentTyping: boolean;
  /** How far the visitor has read (told to the server). */
  readSeq: number;
  invitation: { operator: Operator; message: string } | null;
  /** Why the offline form shows, when the server said nobody can take a chat (queue full). */
  offlineReason: string | null;
  offlineSent: boolean;
  /** The survey of the current (ended) chat was answered or skipped (false: not yet). */
  surveyDone: false | 'sent' | 'skipped';
  /** Robot answers rated in this page: message id → useful. */
  rated: Record<number, boolean>;
  /** Text for the offline form's message box (what the visitor tried to send). */
  draft: string;
  /** A problem to show, already in words (the server's `detail`). */
  error: string;
  /**
   * The page runs in the mobile app's WebView (docs/mobile-webview.md): which page, whether the
   * app called start() yet, and why the chat cannot start (a refused sign-in token).
   */
  webview: { page: 'agent' | 'robot'; phase: 'waiting' | 'started' | 'refused'; refusal: string } | null;
}

export const defaultConfig: WidgetConfig = {
  language: 'auto',
  brand: {},
  prechat: { enabled: false, fields: [] },
  startWith: 'agent',
  robot: {},
  agentsAvailable: true,
  offlineForm: true,
  survey: { enabled: false, options: [] },
  // A server without the setting: files on, at the platform's default limit.
  files: { enabled: true, maxBytes: 10 * 1024 * 1024 },
};

let state: State = {
  ready: false,
  disabled: false,
  open: false,
  full: false,
  config: defaultConfig,
  t: en,
  lang: 'en',
  visitor: null,
  chat: null,
  messages: [],
  outbox: [],
  started: false,
  agent: null,
  agentTyping: false,
  readSeq: 0,
  invitation: null,
  offlineReason: null,
  offlineSent: false,
  surveyDone: false,
  rated: {},
  draft: '',
  error: '',
  webview: null,
};

const listeners = new Set<() => void>();

export const getState = (): State => state;

export function patch(change: Partial<State>): void {
  state = { ...state, ...change };
  for (const listener of listeners) listener();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The seq of the last message of the current chat loaded so far (0: none). */
export const lastSeq = (): number => state.messages[state.messages.length - 1]?.seq ?? 0;

/** Changes fields of the current chat (nothing when there is none). */
export function patchChat(change: Partial<Chat>): void {
  if (state.chat) patch({ chat: { ...state.chat, ...change } });
}

/** Forgets the chat, for a new one (or another visitor). */
export function clearChat(): void {
  patch({ chat: null, messages: [], started: false, agent: null, agentTyping: false, readSeq: 0, invitation: null, offlineReason: null, offlineSent: false, surveyDone: false, draft: '', error: '' });
}

/**
 * Adds messages of the current chat, keyed by seq so a message seen over REST and over the
 * real-time connection shows once (an edit or deletion replaces its message), and drops the
 * pending copies the server has now confirmed.
 */
export function mergeMessages(incoming: Message[]): void {
  const chat = state.chat;
  if (!chat) return;
  const bySeq = new Map(state.messages.map((m) => [m.seq, m]));
  for (const m of incoming) if (m.chatId === chat.id) bySeq.set(m.seq, m);
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const confirmed = new Set(messages.map((m) => m.clientMessageId));
  const lastSeq = Math.max(chat.lastSeq, messages[messages.length - 1]?.seq ?? 0);
  patch({ messages, outbox: state.outbox.filter((p) => !confirmed.has(p.cid)), chat: { ...chat, lastSeq } });
}
