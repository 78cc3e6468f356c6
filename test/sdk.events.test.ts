// The Agent Console SDK's events as differences of the console's state (web/console/src/sdk/
// snapshot.ts): the state at sign-in raises nothing; a message a catch-up brings after a later one
// is still told, once; a visitor gone for less than the grace is no leave; a monitored chat is
// only watched; a chat that comes back starts again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message, VisitorPresence } from '../web/console/src/api/types.ts';
import type { ChatEntry, State } from '../web/console/src/state/model.ts';
import { emptySeen, eventsOf, LEAVE_GRACE_MS } from '../web/console/src/sdk/snapshot.ts';

const ME = 7;

function visitor(id: number): VisitorPresence {
  return {
    id,
    siteId: 1,
    name: `V${id}`,
    email: null,
    info: {},
    isBanned: false,
    createdAt: '2026-12-07T10:00:00.000Z',
    online: true,
    currentUrl: 'https://shop.example/',
    currentTitle: 'Shop',
    referrer: null,
    pageViews: 1,
    visitStartedAt: null,
    lastSeenAt: '2026-12-07T10:00:00.000Z',
    location: { country: null, city: null, timezone: null, language: null },
    capturedBy: null,
    chat: null,
  } as VisitorPresence;
}

function message(chatId: number, seq: number, senderKind: Message['senderKind'] = 'visitor', senderId: number | null = null): Message {
  return { id: chatId * 100 + seq, chatId, seq, senderKind, senderId, type: 'message', data: { content: `m${seq}` }, clientMessageId: null, createdAt: '2026-12-07T10:00:00.000Z', editedAt: null, deletedAt: null };
}

function entry(chatId: number, messages: Message[], role: ChatEntry['role'] = 'mine', status: ChatEntry['chat']['status'] = 'active'): ChatEntry {
  const chat = { id: chatId, siteId: 1, visitorId: 1, status, agentId: ME, groupId: null, name: null, queuePosition: null, lastSeq: messages.length, visitorReadSeq: 0, agentReadSeq: 0, requestedAt: '', assignedAt: null, acceptedAt: null, endedAt: null, endedBy: null, wrapUp: null, channel: null, skill: null, urgent: false };
  return { chat, role, messages, pending: [], loaded: true, visitorTyping: false, readSeq: 0 } as ChatEntry;
}

/** Only what the events read of the state. */
function state(visitors: VisitorPresence[], chats: ChatEntry[]): State {
  return {
    screen: 'console',
    me: null,
    session: { agentId: ME, siteId: 1, email: '', name: '', method: 'jwt', expiresAt: '', csrfToken: null },
    visitors: Object.fromEntries(visitors.map((v) => [v.id, v])),
    visitorCards: {},
    chats: Object.fromEntries(chats.map((e) => [e.chat.id, e])),
    tabs: chats.map((e) => e.chat.id),
  } as unknown as State;
}

const names = (events: { name: string; data: unknown }[]) => events.map((e) => (e.name.endsWith('Message') ? `${e.name}:${(e.data as { message: { seq: number } }).message.seq}` : e.name));

test('what is there at sign-in raises nothing; what comes after does', () => {
  const seen = emptySeen();
  assert.deepEqual(eventsOf(state([visitor(1)], [entry(1, [message(1, 1)])]), seen, true), []);
  assert.deepEqual(names(eventsOf(state([visitor(1), visitor(2)], [entry(1, [message(1, 1), message(1, 2), message(1, 3, 'agent', ME)])]), seen)), ['agentconsole.visitor.enterSite', 'receivedMessage:2', 'sentMessage:3']);
});

test('a message a catch-up brings after a later one is told, and each only once', () => {
  const seen = emptySeen();
  eventsOf(state([], [entry(1, [message(1, 1)])]), seen, true);
  assert.deepEqual(names(eventsOf(state([], [entry(1, [message(1, 1), message(1, 4)])]), seen)), ['receivedMessage:4']);
  assert.deepEqual(names(eventsOf(state([], [entry(1, [message(1, 1), message(1, 2), message(1, 3), message(1, 4)])]), seen)), ['receivedMessage:2', 'receivedMessage:3']);
  assert.deepEqual(eventsOf(state([], [entry(1, [message(1, 1), message(1, 2), message(1, 3), message(1, 4)])]), seen), []);
});

test('a visitor away for less than the grace has not left; one away longer has, once', () => {
  const seen = emptySeen();
  eventsOf(state([visitor(1)], []), seen, true, 0);
  assert.deepEqual(eventsOf(state([], []), seen, false, 1000), [], 'gone, but within the grace');
  assert.deepEqual(eventsOf(state([visitor(1)], []), seen, false, 2000), [], 'back: neither a leave nor an entry');
  assert.deepEqual(eventsOf(state([], []), seen, false, 3000), []);
  assert.deepEqual(names(eventsOf(state([], []), seen, false, 3000 + LEAVE_GRACE_MS)), ['agentconsole.visitor.leaveSite']);
  assert.deepEqual(eventsOf(state([], []), seen, false, 4000 + LEAVE_GRACE_MS), []);
  assert.deepEqual(names(eventsOf(state([visitor(1)], []), seen, false, 5000 + LEAVE_GRACE_MS)), ['agentconsole.visitor.enterSite']);
});

test('a monitored chat raises nothing; a chat that leaves the console and comes back starts again', () => {
  const seen = emptySeen();
  eventsOf(state([], []), seen, true);
  assert.deepEqual(eventsOf(state([], [entry(2, [message(2, 1)], 'monitor')]), seen), []);
  assert.deepEqual(eventsOf(state([], [entry(2, [message(2, 1), message(2, 2)], 'monitor', 'ended')]), seen), []);
  assert.deepEqual(names(eventsOf(state([], [entry(3, [message(3, 1)])]), seen)), ['startChat']);
  assert.deepEqual(names(eventsOf(state([], [entry(3, [message(3, 1)], 'mine', 'ended')]), seen)), ['endChat']);
  assert.deepEqual(eventsOf(state([], []), seen), []);
  assert.deepEqual(names(eventsOf(state([], [entry(3, [message(3, 1)])]), seen)), ['startChat']);
});
