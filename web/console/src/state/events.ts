// Applies live events (docs/events.md, "To operators") to the state. Unknown events are ignored,
// as the protocol asks. A chat event for a chat this console does not follow changes nothing.
import type { AgentStatus, Chat, Message, VisitorPresence } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { alertIncoming, alertMessage } from '../notify/alerts.ts';
import { addMessages, addTab, lastSeq, removeChat, updateEntry, upsertChat } from './chatState.ts';
import type { EndReason } from './model.ts';
import { notice } from './notices.ts';
import { getState, setState } from './store.ts';
import { syncChat, syncMessages } from './sync.ts';
import { patchVisitor, scheduleVisitorReload, upsertVisitor, visitorChat, visitorLeft } from './visitorState.ts';
import { visitorLabel } from './visitorLabel.ts';

type Payload =
  | { event: 'chatSessionAdded'; sessionId: number; session: Chat; fromOperatorId: number | null }
  | { event: 'chatSessionDeleted'; sessionId: number; reason: 'transfer' | 'bot' | 'unavailable' }
  | { event: 'chatMessageCreated' | 'chatMessageEdited' | 'chatMessageDeleted'; sessionId: number; message: Message }
  | { event: 'chatMessageRead'; sessionId: number; seq: number }
  | { event: 'sessionClosedByClient' | 'sessionClosedByOperator'; sessionId: number; session: Chat }
  | { event: 'chatSessionStarted' | 'operatorNotFound' | 'chatSessionSwitchedFromBotToOperator'; sessionId: number; session: Chat }
  | { event: 'chatSessionAssigned' | 'chatAccepted'; sessionId: number; operatorId: number }
  | { event: 'chatTransferred'; sessionId: number; operatorId: number | null; groupId: number | null }
  | { event: 'chatSwitchedToBot'; sessionId: number }
  | { event: 'chatSessionRenamed'; sessionId: number; name: string | null }
  | { event: 'typing'; sessionId: number; typing: boolean; clientId?: number }
  | { event: 'operatorBlocked' | 'chatUserExists' | 'operatorLoggedOut'; operatorId: number }
  | { event: 'operatorStatusChanged'; operatorId: number; status: AgentStatus }
  | { event: 'clientOnline' | 'clientPageViewed' | 'clientUpdated' | 'clientCaptured' | 'clientReleased'; clientId: number; visitor?: VisitorPresence | null; operatorId?: number }
  | { event: 'clientOffline'; clientId: number }
  | { event: 'clientBanned' | 'clientUnbanned'; clientId: number; operatorId: number };

const VISITOR_EVENTS = new Set(['clientOnline', 'clientOffline', 'clientPageViewed', 'clientUpdated', 'clientCaptured', 'clientReleased', 'clientBanned', 'clientUnbanned']);

const typingTimers = new Map<number, ReturnType<typeof setTimeout>>();
/** The visitor's "typing" lapses if its "stopped" never comes (a closed tab). */
const TYPING_LAPSE_MS = 8000;

function setVisitorTyping(chatId: number, typing: boolean): void {
  clearTimeout(typingTimers.get(chatId));
  if (typing) typingTimers.set(chatId, setTimeout(() => setVisitorTyping(chatId, false), TYPING_LAPSE_MS));
  setState((s) => updateEntry(s, chatId, (e) => (e.visitorTyping === typing ? e : { ...e, visitorTyping: typing })));
}

function onMessage(chatId: number, message: Message, created: boolean): void {
  const entry = getState().chats[chatId];
  if (!entry) return;
  // A gap (an event lost between two reconnects) is filled from REST rather than left open.
  const gap = created && entry.loaded && message.seq > lastSeq(entry) + 1;
  setState((s) => addMessages(s, chatId, [message]));
  if (gap) void syncMessages(chatId).catch(() => undefined);
  if (created && message.senderKind === 'visitor') alertMessage(chatId, message);
}

function onAdded(chat: Chat, fromOperatorId: number | null): void {
  setState((s) => {
    const next = upsertChat(s, chat, 'mine');
    if (chat.status === 'assigned') return next.incoming.includes(chat.id) ? next : { ...next, incoming: [...next.incoming, chat.id] };
    return addTab(next, chat.id, true);
  });
  setState((s) => visitorChat(s, chat));
  // The chat names only the visitor's id: the list has the name, if it does not yet, reload it.
  if (!getState().visitors[chat.visitorId]) scheduleVisitorReload();
  void syncMessages(chat.id).catch(() => undefined);
  alertIncoming(chat, fromOperatorId !== null);
}

function onClosed(chat: Chat, byVisitor: boolean): void {
  const s = getState();
  const entry = s.chats[chat.id];
  setState((st) => visitorChat(st, chat));
  if (!entry) return;
  if (!s.tabs.includes(chat.id)) {
    // An offer the visitor withdrew before anyone accepted it: nothing left to do.
    setState((st) => removeChat(st, chat.id));
    return;
  }
  setState((st) => upsertChat(st, chat, entry.role));
  setVisitorTyping(chat.id, false);
  if (byVisitor) notice(t('notice.visitorEnded', { name: visitorLabel(chat.visitorId) }));
}

/** Chats this console is refusing: their removal is the agent's own doing and needs no notice. */
const quietRemovals = new Set<number>();

export function expectRemoval(chatId: number): () => void {
  quietRemovals.add(chatId);
  return () => quietRemovals.delete(chatId);
}

function onRemoved(chatId: number, reason: 'transfer' | 'bot' | 'unavailable'): void {
  const entry = getState().chats[chatId];
  if (!entry) return;
  setState((s) => removeChat(s, chatId));
  if (quietRemovals.has(chatId)) return;
  const name = visitorLabel(entry.chat.visitorId);
  notice(t(reason === 'transfer' ? 'notice.transferred' : reason === 'bot' ? 'notice.toBot' : 'notice.offerWithdrawn', { name }));
}

function onVisitor(p: Extract<Payload, { clientId: number }>): void {
  const s = getState();
  switch (p.event) {
    case 'clientOffline':
      setState((st) => visitorLeft(st, p.clientId));
      return;
    case 'clientBanned':
    case 'clientUnbanned':
      setState((st) => patchVisitor(st, p.clientId, { isBanned: p.event === 'clientBanned' }));
      return;
    default: {
      const visitor = p.visitor;
      if (visitor) setState((st) => upsertVisitor(st, visitor));
      else if (p.event === 'clientCaptured' || p.event === 'clientReleased') {
        setState((st) => patchVisitor(st, p.clientId, { capturedBy: p.event === 'clientCaptured' ? (p.operatorId ?? null) : null }));
      }
      if (!visitor && !s.visitors[p.clientId]) scheduleVisitorReload();
    }
  }
}

export type EndHandler = (reason: EndReason) => void;
let onEnd: EndHandler = () => undefined;

export function setEndHandler(handler: EndHandler): void {
  onEnd = handler;
}

export function applyEvent(data: unknown): void {
  if (typeof data !== 'object' || data === null || typeof (data as { event?: unknown }).event !== 'string') return;
  const p = data as Payload;
  const me = getState().session?.agentId;
  switch (p.event) {
    case 'chatSessionAdded':
      onAdded(p.session, p.fromOperatorId);
      return;
    case 'chatSessionDeleted':
      onRemoved(p.sessionId, p.reason);
      return;
    case 'chatMessageCreated':
    case 'chatMessageEdited':
    case 'chatMessageDeleted':
      onMessage(p.sessionId, p.message, p.event === 'chatMessageCreated');
      return;
    case 'chatMessageRead':
      setState((s) => updateEntry(s, p.sessionId, (e) => (p.seq <= e.chat.visitorReadSeq ? e : { ...e, chat: { ...e.chat, visitorReadSeq: p.seq } })));
      return;
    case 'sessionClosedByClient':
    case 'sessionClosedByOperator':
      onClosed(p.session, p.event === 'sessionClosedByClient');
      return;
    case 'chatSessionStarted':
    case 'operatorNotFound':
    case 'chatSessionSwitchedFromBotToOperator':
      setState((s) => visitorChat(s, p.session));
      return;
    case 'chatSessionAssigned':
    case 'chatAccepted':
    case 'chatTransferred':
    case 'chatSwitchedToBot':
      // Chats I watch change hands or state; a reload gets the whole new picture. My own chat
      // accepted (in another tab of mine) is no longer an offer here.
      if (getState().chats[p.sessionId]?.role !== 'mine' || (p.event === 'chatAccepted' && getState().incoming.includes(p.sessionId))) void syncChat(p.sessionId);
      if (p.event === 'chatSessionAssigned') scheduleVisitorReload();
      return;
    case 'chatSessionRenamed':
      setState((s) => updateEntry(s, p.sessionId, (e) => ({ ...e, chat: { ...e.chat, name: p.name } })));
      return;
    case 'typing':
      if (p.clientId !== undefined) setVisitorTyping(p.sessionId, p.typing);
      return;
    case 'operatorBlocked':
      onEnd('blocked');
      return;
    case 'chatUserExists':
      onEnd('elsewhere');
      return;
    case 'operatorLoggedOut':
      onEnd('loggedOut');
      return;
    case 'operatorStatusChanged':
      setState((s) => ({
        ...s,
        me: s.me && p.operatorId === me ? { ...s.me, status: p.status } : s.me,
        agents: s.agents.map((a) => (a.id === p.operatorId ? { ...a, status: p.status } : a)),
      }));
      return;
    default:
      if (VISITOR_EVENTS.has(p.event)) onVisitor(p);
  }
}
