// Parley Agent Console SDK: the types of `/sdk/agent-console.js` (the global `ParleyAgentConsole`,
// also `Comm100AgentConsole`) and `/sdk/agent-console.mjs`. Served beside the scripts at
// `/sdk/agent-console.d.ts`; documented in docs/agent-console-sdk.md.

/** The modules a partner may show: the live visitor list and the agent's chats. */
export type ModuleName = 'visitors' | 'chats';

/** The console's languages; other BCP 47 tags are matched to the nearest one (zh-HK reads zh-TW). */
export type Language = 'en' | 'zh-CN' | 'zh-TW' | 'ru' | (string & {});

export type AgentStatus = 'online' | 'away' | 'offline';

/** The signed-in agent (`app.get('agentConsole.agent')`). */
export interface Agent {
  id: number;
  siteId: number;
  name: string;
  email: string;
  role: 'admin' | 'agent';
  status: AgentStatus;
  avatarUrl: string | null;
}

/** A visitor on the site (`app.get('agentConsole.visitors')`, and the visitor events). */
export interface Visitor {
  /** Also `visitorId`, the argument of the visitor actions. */
  id: number;
  visitorId: number;
  name: string | null;
  email: string | null;
  online: boolean;
  currentUrl: string | null;
  currentTitle: string | null;
  referrer: string | null;
  pageViews: number;
  location: { country: string | null; city: string | null; timezone: string | null; language: string | null };
  /** The agent who captured the visitor (kept on the list after leaving), or null. */
  capturedBy: number | null;
  /** The visitor's chat now, if any. */
  chat: { chatId: number; status: 'bot' | 'queued' | 'assigned' | 'active' | 'ended'; agentId: number | null } | null;
}

/** A message of a chat. `text` is what it says as plain text (a file's name, a rich message without its markup). */
export interface Message {
  id: number;
  chatId: number;
  /** The message's place in its chat: 1, 2, 3… */
  seq: number;
  sender: 'visitor' | 'agent' | 'bot' | 'system';
  /** The agent who sent it (sender `agent`), else null. */
  agentId: number | null;
  type: string;
  text: string;
  /** Sanitized HTML for `rich` messages, else null. */
  html: string | null;
  /** For `file` messages. */
  file: { name: string; url: string; size: number | null } | null;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

/** One of the agent's chats (`app.get('agentConsole.chats')`). */
export interface Chat {
  chatId: number;
  status: 'bot' | 'queued' | 'assigned' | 'active' | 'ended';
  /** mine: assigned to the agent; joined: a colleague's, taking part; monitor: a colleague's, read only. */
  role: 'mine' | 'joined' | 'monitor';
  visitor: { id: number; name: string | null; email: string | null };
  agentId: number | null;
  requestedAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
  /** Every message in order (a chat just opened may still be loading them). */
  messages: Message[];
}

export interface VisitorEvents {
  enterSite?: (visitor: Visitor) => void;
  leaveSite?: (visitor: Visitor) => void;
}

export interface ChatEvents {
  startChat?: (chat: Chat) => void;
  endChat?: (chat: Chat) => void;
  receivedMessage?: (event: ChatMessageEvent) => void;
  sentMessage?: (event: ChatMessageEvent) => void;
}

export interface ChatMessageEvent {
  chatId: number;
  message: Message;
  chat: Chat;
}

export interface Config {
  /** Parley's address for the partner: its own Parley host (`https://acme.parley.example`), or Parley's with `partnerId`. */
  server: string;
  /** Needed only when `server` is Parley's own host rather than the partner's. */
  partnerId?: number;
  /** The modules shown; default both. */
  modules?: ModuleName[];
  /** The module shown first; default `visitors` (or the only module). */
  display?: ModuleName;
  language?: Language;
  visitors?: VisitorEvents;
  chats?: ChatEvents;
  /** How long to wait for the frame before `ready` fails with `frame_blocked` (ms); default 15000. */
  timeoutMs?: number;
}

/** Why an action was refused. */
export type ErrorCode =
  | 'origin_not_allowed'
  | 'frame_blocked'
  | 'destroyed'
  | 'not_signed_in'
  | 'invalid_credentials'
  | 'invalid_token'
  | 'site_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_argument'
  | 'unknown_action'
  | 'module_not_enabled'
  | 'rate_limited'
  | 'network'
  | 'server_error';

export interface AgentConsoleError extends Error {
  name: 'AgentConsoleError';
  code: ErrorCode;
  /** The HTTP status behind it, when the server refused. */
  status: number | null;
  /** `site_required`: the sites the e-mail and password work on. */
  siteIds?: number[];
}

export type LoginRequest = { type: 'jwt'; data: string } | { type: 'password'; data: { email: string; password: string; siteId?: number } };

/** A visitor action's target: the visitor id (as the spec has it) or the chat itself. */
export type Target = number | { visitorId: number } | { chatId: number };

/** Every action, its arguments and what its promise gives. */
export interface Actions {
  'agentConsole.login': [request: LoginRequest, result: Agent];
  'agentConsole.logout': [result: undefined];
  'agentConsole.modules.display': [module: ModuleName, result: undefined];
  'agentConsole.status.set': [status: AgentStatus, result: Agent];
  'agentConsole.chat.acceptChat': [target: Target, result: Chat];
  'agentConsole.chat.refuse': [target: Target, result: undefined];
  'agentConsole.chat.invite': [visitorId: number, message: string | undefined, result: undefined];
  'agentConsole.chat.capture': [visitorId: number, result: Visitor];
  'agentConsole.chat.release': [visitorId: number, result: Visitor];
  'agentConsole.chat.ban': [visitorId: number, result: undefined];
  'agentConsole.chat.join': [target: Target, result: Chat];
  'agentConsole.chat.monitor': [target: Target, result: Chat];
  'agentConsole.chat.leave': [chatId: number, result: undefined];
  'agentConsole.chat.sendMessage': [chatId: number, message: string | { text: string } | { html: string }, result: Message];
}

type Last<T extends unknown[]> = T extends [...unknown[], infer R] ? R : never;
type Init<T extends unknown[]> = T extends [...infer A, unknown] ? A : never;

export interface Properties {
  'agentConsole.visitors': Visitor[];
  'agentConsole.chats': Chat[];
  'agentConsole.agent': Agent | null;
}

export interface EventMap {
  'agentconsole.visitor.enterSite': Visitor;
  'agentconsole.visitor.leaveSite': Visitor;
  startChat: Chat;
  endChat: Chat;
  receivedMessage: ChatMessageEvent;
  sentMessage: ChatMessageEvent;
  /** The frame could not start (`origin_not_allowed`, `frame_blocked`), or the agent's session ended. */
  error: AgentConsoleError;
}

export interface App {
  /** Settles when the frame is up (rejects with `origin_not_allowed` or `frame_blocked`). */
  readonly ready: Promise<void>;
  do<A extends keyof Actions>(action: A, ...args: Init<Actions[A]>): Promise<Last<Actions[A]>>;
  get<P extends keyof Properties>(property: P): Properties[P];
  on<E extends keyof EventMap>(event: E, handler: (data: EventMap[E]) => void): App;
  off<E extends keyof EventMap>(event: E, handler?: (data: EventMap[E]) => void): App;
  /** Removes the frame and every handler; later actions reject with `destroyed`. */
  destroy(): void;
}

export interface AgentConsoleSdk {
  readonly version: string;
  init(container: HTMLElement | string, config: Config): App;
}

export declare const ParleyAgentConsole: AgentConsoleSdk;
export declare const Comm100AgentConsole: AgentConsoleSdk;
export default ParleyAgentConsole;

declare global {
  interface Window {
    ParleyAgentConsole: AgentConsoleSdk;
    Comm100AgentConsole: AgentConsoleSdk;
  }
}
