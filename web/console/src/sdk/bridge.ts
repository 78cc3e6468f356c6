// The console's side of the Agent Console SDK (/sdk/console.html in the partner's page): it talks
// only to the window that framed it, on the origin the server checked (a `parley-sdk` meta), runs
// the page's actions with the console's own, and sends the page what it may see of the console
// (sdk/snapshot.ts) and the events in it. The agent's session stays in this frame's cookie.
import type { Agent as SdkAgent, ErrorCode, ModuleName } from '../../../sdk/agent-console.d.ts';
import { isProtocolMessage, PROTOCOL, type ToFrame, type ToSdk, type WireError } from '../../../shared/agent-console-protocol.ts';
import { fetchSession, signIn } from '../api/auth.ts';
import { ApiError, post } from '../api/http.ts';
import * as teamApi from '../api/team.ts';
import type { Session } from '../api/types.ts';
import { matchLang, setLang } from '../i18n/i18n.ts';
import { disconnectRealtime } from '../realtime/connection.ts';
import * as chats from '../state/chatActions.ts';
import { sendAndWait } from '../state/outbox.ts';
import { endConsole, setRestart, startConsole } from '../state/session.ts';
import { getState, resetState, setState, subscribe } from '../state/store.ts';
import { lastGoodSync, requestSync } from '../state/sync.ts';
import * as visitors from '../state/visitorActions.ts';
import { emptySeen, eventsOf, LEAVE_GRACE_MS, sdkMessage, sdkVisitor, snapshotOf } from './snapshot.ts';
import { sdkPage, setModules } from './page.ts';

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

const post2parent = (m: ToSdk) => window.parent.postMessage(m, sdkPage.origin);

function wireError(err: unknown, context: 'password' | 'jwt' | 'action'): WireError {
  if (err instanceof Refusal) return { code: err.code, message: err.message, status: err.status };
  if (err instanceof ApiError) {
    const s = err.status;
    const code: ErrorCode =
      s === 0 ? 'network' : s === 401 ? (context === 'password' ? 'invalid_credentials' : context === 'jwt' ? 'invalid_token' : 'not_signed_in') : s === 403 ? 'forbidden' : s === 404 ? 'not_found' : s === 409 ? 'conflict' : s === 429 ? 'rate_limited' : s >= 500 ? 'server_error' : 'invalid_argument';
    return { code, message: err.detail, status: s || null };
  }
  return { code: 'server_error', message: err instanceof Error ? err.message : String(err), status: null };
}

// ---- What the page sees: the snapshot and the events, sent once per burst of changes. ----

let seen = emptySeen();
/** Until the first sync after sign-in is in, changes build the baseline and raise nothing. */
let baselined = false;
let lastSent: string | null = null;
let scheduled = false;
/** The console was running at the last change: leaving it (other than by agentConsole.logout) is told. */
let wasConsole = false;
/** The session probe at load; actions wait for it, so a login cannot race it. */
let booted: Promise<void> = Promise.resolve();

let leaveTimer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  scheduled = false;
  const s = getState();
  const events = eventsOf(s, seen, !baselined);
  // Visitors gone from the list are told as leaving once their grace is over, changes or not.
  clearTimeout(leaveTimer);
  if (seen.leaving.size > 0) leaveTimer = setTimeout(flush, LEAVE_GRACE_MS + 100);
  const snapshot = snapshotOf(s);
  const text = JSON.stringify(snapshot);
  if (events.length === 0 && text === lastSent) return;
  lastSent = text;
  post2parent({ parley: PROTOCOL, type: 'update', snapshot, events });
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(flush);
}

/** How long to wait between tries of a first sync that failed (the server restarting), and how often to try. */
const RESYNC_MS = 2000;
const RESYNC_TRIES = 15;

/**
 * Starts the console for a session and, once a sync after it is in, makes that state the baseline:
 * what is there raises nothing; what changes after it does. Until then the page hears nothing (a
 * failed first sync would otherwise make every visitor and chat look new when the next one works).
 */
async function begin(session: Session): Promise<void> {
  baselined = false;
  seen = emptySeen();
  const began = Date.now();
  await startConsole(session);
  await requestSync();
  // After half a minute the baseline is what there is: better than a login that never answers.
  for (let i = 0; i < RESYNC_TRIES && lastGoodSync() < began && getState().screen === 'console' && getState().session === session; i++) {
    await new Promise((r) => setTimeout(r, RESYNC_MS));
    await requestSync();
  }
  if (getState().session !== session) return;
  eventsOf(getState(), seen, true);
  baselined = true;
}

/** After a revoked token the console starts again only for the same agent of the same site. */
async function restartSame(next: Session): Promise<void> {
  const now = getState().session;
  if (!now || now.agentId !== next.agentId || now.siteId !== next.siteId) {
    endConsole('expired');
    return;
  }
  await begin(next);
}

function agentNow(): SdkAgent {
  const agent = snapshotOf(getState()).agent;
  if (!agent) throw new Refusal('not_signed_in', 'The agent is not signed in.');
  return agent;
}

// ---- The actions. ----

function requireSignedIn(): void {
  if (getState().screen !== 'console') throw new Refusal('not_signed_in', 'Sign the agent in first (agentConsole.login).');
}

function int(v: unknown, what: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^[1-9][0-9]{0,15}$/.test(v)) return Number(v);
  throw new Refusal('invalid_argument', `${what} must be a positive whole number.`);
}

/** The chat a visitor action aims at: `{chatId}`, or the visitor's current chat (`visitorId` or `{visitorId}`). */
function chatOf(target: unknown, accept = false): number {
  if (typeof target === 'object' && target !== null && 'chatId' in target) return int((target as { chatId: unknown }).chatId, 'chatId');
  const visitorId = int(typeof target === 'object' && target !== null && 'visitorId' in target ? (target as { visitorId: unknown }).visitorId : target, 'visitorId');
  const s = getState();
  if (accept) {
    const offered = s.incoming.find((id) => s.chats[id]?.chat.visitorId === visitorId);
    if (offered !== undefined) return offered;
  }
  const live = s.visitors[visitorId]?.chat;
  if (live && live.status !== 'ended') return live.id;
  const held = Object.values(s.chats).find((e) => e.chat.visitorId === visitorId && e.chat.status !== 'ended');
  if (held) return held.chat.id;
  throw new Refusal('not_found', accept ? `No chat of visitor ${visitorId} waits for this agent.` : `Visitor ${visitorId} has no chat now.`);
}

function chatNow(chatId: number) {
  const e = getState().chats[chatId];
  const chat = e && snapshotOf(getState()).chats.find((c) => c.chatId === chatId);
  if (!chat) throw new Refusal('not_found', `Chat ${chatId} is not among the agent's chats.`);
  return chat;
}

function visitorNow(visitorId: number) {
  const v = getState().visitors[visitorId];
  if (!v) throw new Refusal('not_found', `Visitor ${visitorId} is not on the list.`);
  return sdkVisitor(v);
}

/** The frame's partner, named to the sign-in on Parley's own host (a partner's host names it itself). */
const partner = () => (sdkPage.partnerId === null ? {} : { partnerId: sdkPage.partnerId });

async function login(request: unknown): Promise<SdkAgent> {
  const r = request as { type?: unknown; data?: unknown } | null;
  if (r?.type === 'jwt') {
    if (typeof r.data !== 'string' || r.data.length === 0) throw new Refusal('invalid_argument', "agentConsole.login: with type 'jwt', data is the token (a string).");
    let session: Session;
    try {
      session = await post<Session>('/api/v1/auth/session/jwt', { jwt: r.data, ...partner() }, { expect401: true });
    } catch (err) {
      throw wireAs(err, 'jwt');
    }
    await begin(session);
    return agentNow();
  }
  if (r?.type === 'password') {
    const d = r.data as { email?: unknown; password?: unknown; siteId?: unknown } | null;
    if (typeof d?.email !== 'string' || typeof d.password !== 'string') throw new Refusal('invalid_argument', "agentConsole.login: with type 'password', data is {email, password}.");
    let result: Awaited<ReturnType<typeof signIn>>;
    try {
      result = await signIn(d.email, d.password, d.siteId === undefined ? undefined : int(d.siteId, 'siteId'), sdkPage.partnerId ?? undefined);
    } catch (err) {
      throw wireAs(err, 'password');
    }
    if (result.kind === 'pickSite') {
      throw Object.assign(new Refusal('site_required', 'The e-mail and password work on several sites: send data.siteId too.', 409), { siteIds: result.siteIds });
    }
    await begin(result.session);
    return agentNow();
  }
  throw new Refusal('invalid_argument', "agentConsole.login: the request is {type: 'jwt', data: token} or {type: 'password', data: {email, password}}.");
}

/** An error already put in the SDK's terms, thrown through the action's promise. */
class Wired extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
}
const wireAs = (err: unknown, context: 'password' | 'jwt') => new Wired(wireError(err, context));

async function logout(): Promise<void> {
  if (getState().screen === 'console') await post('/api/v1/auth/logout').catch(() => undefined);
  disconnectRealtime();
  baselined = false;
  seen = emptySeen();
  wasConsole = false;
  resetState({ screen: 'signin', brand: getState().brand });
}

async function sendMessage(chatId: number, message: unknown) {
  const e = getState().chats[chatId];
  if (!e || e.role === 'monitor' || e.chat.status !== 'active') throw new Refusal('not_found', `Chat ${chatId} is not an active chat of this agent.`);
  let kind: 'message' | 'rich';
  let content: string;
  if (typeof message === 'string') [kind, content] = ['message', message];
  else if (typeof message === 'object' && message !== null && typeof (message as { text?: unknown }).text === 'string') [kind, content] = ['message', (message as { text: string }).text];
  else if (typeof message === 'object' && message !== null && typeof (message as { html?: unknown }).html === 'string') [kind, content] = ['rich', (message as { html: string }).html];
  else throw new Refusal('invalid_argument', 'agentConsole.chat.sendMessage(chatId, message): message is a string, {text} or {html}.');
  if (content.trim() === '') throw new Refusal('invalid_argument', 'The message is empty.');
  return sdkMessage(await sendAndWait(chatId, kind, content));
}

type Handler = (args: unknown[]) => Promise<unknown>;

const ACTIONS: Record<string, Handler> = {
  'agentConsole.login': ([request]) => login(request),
  'agentConsole.logout': () => logout(),
  'agentConsole.modules.display': async ([module]) => {
    if (!setModules(null, module as ModuleName)) throw new Refusal('module_not_enabled', `The module '${String(module)}' is not among config.modules.`);
    setState((s) => ({ ...s, view: module as ModuleName }));
  },
  'agentConsole.status.set': async ([status]) => {
    requireSignedIn();
    if (status !== 'online' && status !== 'away' && status !== 'offline') throw new Refusal('invalid_argument', "The status is 'online', 'away' or 'offline'.");
    const me = await teamApi.setMyStatus(status);
    setState((s) => ({ ...s, me }));
    return agentNow();
  },
  'agentConsole.chat.acceptChat': async ([target]) => {
    requireSignedIn();
    const chatId = chatOf(target, true);
    await chats.accept(chatId);
    return chatNow(chatId);
  },
  'agentConsole.chat.refuse': async ([target]) => {
    requireSignedIn();
    await chats.refuse(chatOf(target, true));
  },
  'agentConsole.chat.invite': async ([visitorId, message]) => {
    requireSignedIn();
    if (message !== undefined && typeof message !== 'string') throw new Refusal('invalid_argument', 'The invitation message is a string.');
    await visitors.invite(int(visitorId, 'visitorId'), message ?? '');
  },
  'agentConsole.chat.capture': async ([visitorId]) => {
    requireSignedIn();
    await visitors.capture(int(visitorId, 'visitorId'));
    return visitorNow(int(visitorId, 'visitorId'));
  },
  'agentConsole.chat.release': async ([visitorId]) => {
    requireSignedIn();
    await visitors.release(int(visitorId, 'visitorId'));
    return visitorNow(int(visitorId, 'visitorId'));
  },
  'agentConsole.chat.ban': async ([visitorId]) => {
    requireSignedIn();
    await visitors.ban(int(visitorId, 'visitorId'));
  },
  'agentConsole.chat.join': async ([target]) => {
    requireSignedIn();
    const chatId = chatOf(target);
    await chats.join(chatId);
    return chatNow(chatId);
  },
  'agentConsole.chat.monitor': async ([target]) => {
    requireSignedIn();
    const chatId = chatOf(target);
    await chats.monitor(chatId);
    return chatNow(chatId);
  },
  'agentConsole.chat.leave': async ([chatId]) => {
    requireSignedIn();
    const id = int(chatId, 'chatId');
    const e = getState().chats[id];
    if (!e) throw new Refusal('not_found', `Chat ${id} is not among the agent's chats.`);
    // The agent's own chat has no one to hand it to: leaving it ends it. A joined or monitored one is left.
    if (e.role === 'mine') {
      if (e.chat.status !== 'ended') await chats.end(id, undefined);
      chats.closeChat(id);
    } else await chats.leave(id);
  },
  'agentConsole.chat.sendMessage': async ([chatId, message]) => {
    requireSignedIn();
    return sendMessage(int(chatId, 'chatId'), message);
  },
};

async function run(id: number, action: string, args: unknown[]): Promise<void> {
  const handler = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  let reply: ToSdk;
  try {
    if (!handler) throw new Refusal('unknown_action', `${action.slice(0, 100)} is not an action of the agent console.`);
    await booted;
    // The page decides which module shows: an action of its own (accepting a chat) does not switch it.
    const view = getState().view;
    const value = await handler(Array.isArray(args) ? args : []).finally(() => {
      if (action !== 'agentConsole.modules.display') setState((s) => (s.view === view ? s : { ...s, view }));
    });
    reply = { parley: PROTOCOL, type: 'reply', id, ok: true, value };
  } catch (err) {
    const error = err instanceof Wired ? err.wire : wireError(err, 'action');
    reply = { parley: PROTOCOL, type: 'reply', id, ok: false, error: err instanceof Refusal && 'siteIds' in err ? { ...error, siteIds: (err as { siteIds: number[] }).siteIds } : error };
  }
  // The page's picture is brought up to date before the answer, so `get` after `await do` agrees.
  flush();
  post2parent(reply);
}

function onMessage(event: MessageEvent): void {
  // Only the window that framed this page, only from the origin the server allowed.
  if (event.source !== window.parent || event.origin !== sdkPage.origin || !isProtocolMessage(event.data)) return;
  const m = event.data as ToFrame;
  if (m.type === 'init') {
    const modules = (Array.isArray(m.modules) ? m.modules : []).filter((x): x is ModuleName => x === 'visitors' || x === 'chats');
    if (setModules(modules, m.display)) setState((s) => ({ ...s, view: m.display }));
    const lang = typeof m.language === 'string' ? matchLang(m.language) : null;
    if (lang) setLang(lang);
  } else if (m.type === 'do' && Number.isSafeInteger(m.id) && typeof m.action === 'string') {
    void run(m.id, m.action, m.args);
  }
}

/** Starts the frame: tells the page it is here (or why it may not be), and resumes a session the browser still has. */
export async function startSdkFrame(): Promise<void> {
  if (window.parent === window) {
    setState((s) => ({ ...s, screen: 'signin' }));
    return;
  }
  if (sdkPage.refused) {
    post2parent({ parley: PROTOCOL, type: 'refused', error: { code: 'origin_not_allowed', message: sdkPage.refused, status: 403 } });
    return;
  }
  window.addEventListener('message', onMessage);
  setRestart(restartSame);
  subscribe(() => {
    const screen = getState().screen;
    // The session ended under the page (signed out elsewhere, blocked, expired): it hears why.
    if (wasConsole && screen !== 'console') {
      baselined = false;
      seen = emptySeen();
      post2parent({ parley: PROTOCOL, type: 'ended', error: { code: 'not_signed_in', message: 'The agent’s session ended; sign in again.', status: 401 } });
    }
    wasConsole = screen === 'console';
    schedule();
  });
  booted = (async () => {
    try {
      // A session on another partner's site is not resumed here (the server says which may be).
      const session = sdkPage.resume ? await fetchSession() : null;
      if (session) await begin(session);
      else setState((s) => ({ ...s, screen: 'signin' }));
    } catch {
      setState((s) => ({ ...s, screen: 'signin' }));
    }
  })();
  post2parent({ parley: PROTOCOL, type: 'ready' });
  await booted;
}
