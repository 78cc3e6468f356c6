// What the SDK's page sees of the console: the agent, the visitors on the site and the agent's
// chats in the SDK's public shapes (web/sdk/agent-console.d.ts), and the events that changes
// between two states make (a visitor entering or leaving, a chat starting or ending, a message
// received or sent). The state at sign-in is the baseline: what was already there raises nothing.
import type { Agent as SdkAgent, Chat as SdkChat, Message as SdkMessage, Visitor as SdkVisitor } from '../../../sdk/agent-console.d.ts';
import type { Snapshot, WireEvent } from '../../../shared/agent-console-protocol.ts';
import type { Message, VisitorPresence } from '../api/types.ts';
import type { ChatEntry, State } from '../state/model.ts';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function plainText(html: string): string {
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

const messages = new WeakMap<Message, SdkMessage>();

export function sdkMessage(m: Message): SdkMessage {
  const hit = messages.get(m);
  if (hit) return hit;
  const content = str(m.data.content);
  const isFile = m.type === 'file' || m.type === 'image';
  const out: SdkMessage = {
    id: m.id,
    chatId: m.chatId,
    seq: m.seq,
    sender: m.senderKind,
    agentId: m.senderKind === 'agent' ? m.senderId : null,
    type: m.type,
    text: m.type === 'rich' && content !== null ? plainText(content) : isFile ? (str(m.data.name) ?? '') : (content ?? str(m.data.answer) ?? str(m.data.text) ?? ''),
    html: m.type === 'rich' ? content : null,
    file: isFile ? { name: str(m.data.name) ?? '', url: str(m.data.url) ?? '', size: typeof m.data.size === 'number' ? m.data.size : null } : null,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deleted: m.deletedAt !== null,
  };
  messages.set(m, out);
  return out;
}

export function sdkVisitor(v: VisitorPresence): SdkVisitor {
  return {
    id: v.id,
    visitorId: v.id,
    name: v.name,
    email: v.email,
    online: v.online,
    currentUrl: v.currentUrl,
    currentTitle: v.currentTitle,
    referrer: v.referrer,
    pageViews: v.pageViews,
    location: v.location,
    capturedBy: v.capturedBy,
    chat: v.chat && { chatId: v.chat.id, status: v.chat.status, agentId: v.chat.agentId },
  };
}

function sdkChat(s: State, e: ChatEntry): SdkChat {
  const v = s.visitors[e.chat.visitorId] ?? s.visitorCards[e.chat.visitorId];
  return {
    chatId: e.chat.id,
    status: e.chat.status,
    role: e.role,
    visitor: { id: e.chat.visitorId, name: v?.name ?? null, email: v?.email ?? null },
    agentId: e.chat.agentId,
    requestedAt: e.chat.requestedAt,
    acceptedAt: e.chat.acceptedAt,
    endedAt: e.chat.endedAt,
    messages: e.messages.map(sdkMessage),
  };
}

function sdkAgent(s: State): SdkAgent | null {
  const me = s.me;
  if (!me || s.screen !== 'console') return null;
  return { id: me.id, siteId: me.siteId, name: me.name, email: me.email, role: me.role, status: me.status, avatarUrl: me.avatarUrl };
}

/** On the site: online, or kept on the list by a capture. */
const present = (v: VisitorPresence) => v.online || v.capturedBy !== null;

/** The public picture of a state: banned visitors are hidden from the list (the spec's `ban`). */
export function snapshotOf(s: State): Snapshot {
  return {
    agent: sdkAgent(s),
    visitors: Object.values(s.visitors)
      .filter((v) => present(v) && !v.isBanned)
      .map(sdkVisitor),
    chats: s.tabs.flatMap((id) => (s.chats[id] ? [sdkChat(s, s.chats[id])] : [])),
  };
}

/**
 * A visitor gone from the list is told as leaving only after this long: a reload, a page change or
 * a server restart (the list reloads before the visitor's widget reconnects) is not a leave.
 */
export const LEAVE_GRACE_MS = 5000;

/** What the last states held, to tell what is new. */
export interface Seen {
  visitors: Map<number, VisitorPresence>;
  /** Visitors gone from the list and not yet told as leaving: since when. */
  leaving: Map<number, { visitor: VisitorPresence; since: number }>;
  /** Chats whose start (active, mine or joined) was told. */
  started: Set<number>;
  ended: Set<number>;
  /** Per chat: the messages accounted for (told, or there when the chat's messages first loaded). */
  messages: Map<number, Set<number>>;
}

export const emptySeen = (): Seen => ({ visitors: new Map(), leaving: new Map(), started: new Set(), ended: new Set(), messages: new Map() });

/**
 * The events between the state `seen` describes and `s`; `seen` is brought up to `s`. With
 * `quiet`, nothing is told: the state becomes the baseline.
 */
export function eventsOf(s: State, seen: Seen, quiet = false, now = Date.now()): WireEvent[] {
  const events: WireEvent[] = [];
  const tell = (e: WireEvent) => {
    if (!quiet) events.push(e);
  };

  const here = new Map(Object.values(s.visitors).filter(present).map((v) => [v.id, v]));
  for (const [id, v] of here) {
    if (seen.leaving.delete(id) || seen.visitors.has(id)) continue;
    tell({ name: 'agentconsole.visitor.enterSite', data: sdkVisitor(v) });
  }
  for (const [id, visitor] of seen.visitors) if (!here.has(id)) seen.leaving.set(id, { visitor, since: now });
  for (const [id, { visitor, since }] of seen.leaving) {
    if (!quiet && now - since < LEAVE_GRACE_MS) continue;
    seen.leaving.delete(id);
    tell({ name: 'agentconsole.visitor.leaveSite', data: sdkVisitor({ ...visitor, online: false, capturedBy: null }) });
  }
  seen.visitors = here;

  const me = s.me?.id ?? s.session?.agentId;
  for (const [key, e] of Object.entries(s.chats)) {
    const id = Number(key);
    // Told for the agent's own and joined chats in its list; a monitored chat is only watched.
    const told = s.tabs.includes(id) && e.role !== 'monitor';
    if (told && e.chat.status === 'active' && !seen.started.has(id)) {
      seen.started.add(id);
      tell({ name: 'startChat', data: sdkChat(s, e) });
    }
    // Messages: each new one once (by id, so one that a catch-up brings after a later one is told
    // too), after the chat's messages were first loaded; what was there then is the baseline.
    if (e.loaded) {
      const known = seen.messages.get(id);
      const fresh = known !== undefined && told && !quiet;
      const chat = fresh ? sdkChat(s, e) : null;
      const ids = known ?? new Set<number>();
      for (const m of e.messages) {
        if (ids.has(m.id)) continue;
        ids.add(m.id);
        if (!chat || m.deletedAt !== null || m.senderKind === 'system') continue;
        const mine = m.senderKind === 'agent' && m.senderId === me;
        tell({ name: mine ? 'sentMessage' : 'receivedMessage', data: { chatId: id, message: sdkMessage(m), chat } });
      }
      seen.messages.set(id, ids);
    }
    if (told && e.chat.status === 'ended' && !seen.ended.has(id)) {
      seen.ended.add(id);
      seen.started.add(id);
      tell({ name: 'endChat', data: sdkChat(s, e) });
    }
  }
  // Chats gone from the console may come back (transferred back, joined again): they start anew.
  for (const known of [seen.messages, seen.started, seen.ended]) {
    for (const id of known.keys()) if (!s.chats[id]) known.delete(id);
  }
  return events;
}
