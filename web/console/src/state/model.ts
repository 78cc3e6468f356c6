// The console's state: one object, changed only through setState in the action modules.
import type { Agent, Brand, CannedMessage, Chat, Group, Message, Session, VisitorPresence } from '../api/types.ts';
import { startView } from './part.ts';

export type Screen = 'loading' | 'signin' | 'console' | 'ended';
/** Why the console stopped: a clear screen explains it instead of a broken panel. */
export type EndReason = 'blocked' | 'elsewhere' | 'loggedOut' | 'expired';
export type Connection = 'idle' | 'connecting' | 'connected' | 'disconnected';
/** The main views; `settings` is only a page of its own (/LiveChat/AgentConsole/Settings.html), the header opens a dialog. */
export type View = 'chats' | 'visitors' | 'history' | 'canned' | 'settings';
/** mine: assigned to me; joined: someone else's, I take part; monitor: someone else's, read only. */
export type ChatRole = 'mine' | 'joined' | 'monitor';

export interface PendingMessage {
  clientMessageId: string;
  kind: 'message' | 'rich' | 'file';
  /** Text or HTML, or the file name for uploads. */
  content: string;
  file: File | null;
  status: 'sending' | 'failed';
  error: string | null;
  /** Failed on the network or a server error: tried again by itself after a reconnect. */
  transient: boolean;
  createdAt: string;
}

export interface ChatEntry {
  chat: Chat;
  role: ChatRole;
  /** In seq order, each id once. */
  messages: Message[];
  pending: PendingMessage[];
  /** The messages were fetched at least once. */
  loaded: boolean;
  visitorTyping: boolean;
  /** The highest seq this console told the server it read. */
  readSeq: number;
}

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface State {
  screen: Screen;
  endReason: EndReason | null;
  session: Session | null;
  me: Agent | null;
  brand: Brand | null;
  connection: Connection;
  /** Connected at least once: a later drop shows "Reconnecting…" rather than "Connecting…". */
  everConnected: boolean;
  view: View;
  chats: Record<number, ChatEntry>;
  /** Chats in the open-chats list, in the order they came. */
  tabs: number[];
  /** Chats shown side by side (at most MAX_PANES), a subset of tabs. */
  panes: number[];
  /** Chats offered to me, waiting for Accept or Refuse, oldest first. */
  incoming: number[];
  visitors: Record<number, VisitorPresence>;
  /** Visitors of my chats who are not on the live list (they left the site): name, e-mail, the bank's customer id. */
  visitorCards: Record<number, { name: string | null; email: string | null; customerId: string | null }>;
  agents: Agent[];
  groups: Group[];
  /** The agent may use a page of the control panel: the header links to it. */
  controlPanel: boolean;
  canned: CannedMessage[];
  /** The site's file limits for agents (read at start): whether they may send files, and how large (bytes). */
  files: { agentFiles: boolean; maxBytes: number };
  notices: Notice[];
}

export const MAX_PANES = 3;

export function initialState(): State {
  return {
    screen: 'loading',
    endReason: null,
    session: null,
    me: null,
    brand: null,
    connection: 'idle',
    everConnected: false,
    view: startView,
    chats: {},
    tabs: [],
    panes: [],
    incoming: [],
    visitors: {},
    visitorCards: {},
    agents: [],
    groups: [],
    controlPanel: false,
    canned: [],
    // Until the site says otherwise (or with a server without the setting): the platform's default.
    files: { agentFiles: true, maxBytes: 10 * 1024 * 1024 },
    notices: [],
  };
}
