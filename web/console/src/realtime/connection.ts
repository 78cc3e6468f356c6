// The real-time connection (centrifuge over /connection/websocket). The server subscribes the
// console to its agent and site channels; chat channels are subscribed here for chats the agent
// joined or monitors. Every (re)connect and every subscription that could not recover what it
// missed is reported, so the state can be reloaded over REST: nothing is trusted across a gap.
import { Centrifuge, type Subscription, UnauthorizedError } from 'centrifuge';
import { ApiError } from '../api/http.ts';
import { fetchRealtimeToken } from '../api/auth.ts';

export interface RealtimeHandlers {
  publication(channel: string, data: unknown): void;
  /** Connected (first time or again): reload everything. */
  connected(): void;
  /** A channel resumed without its missed publications: reload what it carries. */
  unrecovered(channel: string): void;
  state(state: 'connecting' | 'connected' | 'disconnected'): void;
  /** The server closed the connection for good (codes in docs/realtime.md). */
  stopped(code: number, reason: string): void;
}

let client: Centrifuge | null = null;
let current: RealtimeHandlers | null = null;
const chatSubs = new Map<number, Subscription>();

function websocketUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/connection/websocket`;
}

async function getToken(): Promise<string> {
  try {
    return await fetchRealtimeToken();
  } catch (err) {
    // The session is over: retrying cannot help, and centrifuge stops on UnauthorizedError.
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) throw new UnauthorizedError(err.detail);
    throw err;
  }
}

export function connectRealtime(handlers: RealtimeHandlers): void {
  disconnectRealtime();
  current = handlers;
  const c = new Centrifuge(websocketUrl(), { getToken, minReconnectDelay: 500, maxReconnectDelay: 8000 });
  client = c;
  c.on('connecting', () => handlers.state('connecting'));
  c.on('connected', () => {
    handlers.state('connected');
    handlers.connected();
  });
  c.on('disconnected', (ctx) => {
    handlers.state('disconnected');
    handlers.stopped(ctx.code, ctx.reason);
  });
  c.on('subscribed', (ctx) => {
    if (ctx.wasRecovering && !ctx.recovered) handlers.unrecovered(ctx.channel);
  });
  c.on('publication', (ctx) => handlers.publication(ctx.channel, ctx.data));
  c.connect();
}

function subscribe(c: Centrifuge, chatId: number, handlers: RealtimeHandlers): void {
  const channel = `chat:${chatId}`;
  const sub = c.getSubscription(channel) ?? c.newSubscription(channel);
  sub.removeAllListeners();
  sub.on('publication', (ctx) => handlers.publication(channel, ctx.data));
  // `recovered` is false on the first subscribe as well: that is when the chat is first loaded,
  // after the subscription, so nothing published in between is missed.
  sub.on('subscribed', (ctx) => {
    if (!ctx.recovered) handlers.unrecovered(channel);
  });
  sub.subscribe();
  chatSubs.set(chatId, sub);
}

/** Follows one chat's channel (joined or monitored chats). */
export function followChat(chatId: number): void {
  if (chatSubs.has(chatId) || !client || !current) return;
  subscribe(client, chatId, current);
}

export function unfollowChat(chatId: number): void {
  const sub = chatSubs.get(chatId);
  if (!sub) return;
  chatSubs.delete(chatId);
  sub.unsubscribe();
  client?.removeSubscription(sub);
}

export function disconnectRealtime(): void {
  if (!client) return;
  const c = client;
  client = null;
  current = null;
  c.removeAllListeners();
  for (const sub of chatSubs.values()) c.removeSubscription(sub);
  chatSubs.clear();
  c.disconnect();
}
