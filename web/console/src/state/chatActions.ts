// What an agent does with chats. Each action calls the API, then changes the state from the
// answer; events about the same change arrive too and merge without effect.
import * as api from '../api/chats.ts';
import { ApiError } from '../api/http.ts';
import type { Chat, Message, WrapUp } from '../api/types.ts';
import { followChat, unfollowChat } from '../realtime/connection.ts';
import { expectRemoval } from './events.ts';
import { addMessages, hidePane, removeChat, showInPane, updateEntry, upsertChat } from './chatState.ts';
import type { ChatRole } from './model.ts';
import { getState, setState } from './store.ts';
import { syncChat, syncMessages } from './sync.ts';
import { visitorChat } from './visitorState.ts';

/** A chat that changed under us (taken, withdrawn, ended): reload it, then report the failure. */
async function settled<T>(chatId: number, action: Promise<T>): Promise<T> {
  try {
    return await action;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 409)) await syncChat(chatId);
    throw err;
  }
}

export async function accept(chatId: number): Promise<void> {
  const chat = await settled(chatId, api.acceptChat(chatId));
  setState((s) => {
    const next = upsertChat({ ...s, incoming: s.incoming.filter((id) => id !== chatId), view: 'chats' }, chat, 'mine');
    return visitorChat(showInPane(next, chatId), chat);
  });
  void syncMessages(chatId).catch(() => undefined);
}

export async function refuse(chatId: number): Promise<void> {
  const done = expectRemoval(chatId);
  try {
    await settled(chatId, api.refuseChat(chatId));
  } finally {
    done();
  }
  setState((s) => removeChat(s, chatId));
}

/** Joins or monitors someone else's chat: it opens in a pane and its channel is followed. */
async function watch(chatId: number, role: ChatRole): Promise<void> {
  const answer = await (role === 'joined' ? api.joinChat(chatId) : api.monitorChat(chatId));
  const chat = answer?.id === chatId ? answer : await api.fetchChat(chatId);
  setState((s) => {
    const entry = s.chats[chatId];
    // Joining a chat I monitor turns it into a joined one.
    const base = entry && entry.role !== role ? { ...s, chats: { ...s.chats, [chatId]: { ...entry, role } } } : s;
    return { ...showInPane(upsertChat(base, chat, role), chatId), view: 'chats' };
  });
  followChat(chatId);
  await syncMessages(chatId);
}

export const join = (chatId: number) => watch(chatId, 'joined');
export const monitor = (chatId: number) => watch(chatId, 'monitor');

export async function leave(chatId: number): Promise<void> {
  await api.leaveChat(chatId);
  unfollowChat(chatId);
  setState((s) => removeChat(s, chatId));
}

/** Closes the pane of an ended chat (or a watched one) for good. */
export function closeChat(chatId: number): void {
  const entry = getState().chats[chatId];
  if (entry && entry.role !== 'mine') void leave(chatId).catch(() => undefined);
  unfollowChat(chatId);
  setState((s) => removeChat(s, chatId));
}

export function hide(chatId: number): void {
  setState((s) => hidePane(s, chatId));
}

export function show(chatId: number): void {
  setState((s) => ({ ...showInPane(s, chatId), view: 'chats' }));
}

function applyChat(chat: Chat): void {
  setState((s) => visitorChat(upsertChat(s, chat, s.chats[chat.id]?.role ?? 'mine'), chat));
}

export async function transfer(chatId: number, to: { agentId: number } | { groupId: number }): Promise<void> {
  if ('agentId' in to) await api.transferToAgent(chatId, to.agentId);
  else await api.transferToGroup(chatId, to.groupId);
  setState((s) => removeChat(s, chatId));
}

export async function end(chatId: number, wrapUp: WrapUp | undefined): Promise<void> {
  applyChat(await api.endChat(chatId, wrapUp));
  // The closing system message comes as an event; fetch it in case the channel is slow.
  void syncMessages(chatId).catch(() => undefined);
}

/** Asks the app of a WebView chat to do something; the stored request shows in the log at once. */
export async function sendAppEvent(chatId: number, event: api.AppEvent): Promise<void> {
  const message = await settled(chatId, api.sendAppEvent(chatId, event));
  setState((s) => addMessages(s, chatId, [message]));
}

export async function wrapUp(chatId: number, data: WrapUp): Promise<void> {
  await api.saveWrapUp(chatId, data);
}

export async function editOwn(chatId: number, messageId: number, text: string): Promise<void> {
  const message = await api.editMessage(chatId, messageId, text);
  setState((s) => addMessages(s, chatId, [message]));
}

export async function deleteOwn(chatId: number, messageId: number): Promise<void> {
  const answer = await api.deleteMessage(chatId, messageId);
  const stored = getState().chats[chatId]?.messages.find((m) => m.id === messageId);
  // The answer is the deleted message when the server sends one; otherwise it is marked here.
  const deleted = isMessage(answer) ? answer : stored && { ...stored, data: {}, deletedAt: new Date().toISOString() };
  if (deleted) setState((s) => addMessages(s, chatId, [deleted]));
}

function isMessage(x: unknown): x is Message {
  return typeof x === 'object' && x !== null && 'seq' in x && 'deletedAt' in x;
}

const TYPING_REPEAT_MS = 3000;
const TYPING_IDLE_MS = 4000;
const typing = new Map<number, { sentAt: number; idle: ReturnType<typeof setTimeout> }>();

/** The agent typed: the visitor hears "typing" at most every 3 s, and "stopped" after 4 s of quiet. */
export function noteTyping(chatId: number): void {
  const now = Date.now();
  const state = typing.get(chatId);
  if (state) clearTimeout(state.idle);
  const sentAt = !state || now - state.sentAt > TYPING_REPEAT_MS ? now : state.sentAt;
  if (sentAt === now) void api.sendTyping(chatId, true).catch(() => undefined);
  typing.set(chatId, { sentAt, idle: setTimeout(() => stopTyping(chatId), TYPING_IDLE_MS) });
}

export function stopTyping(chatId: number): void {
  const state = typing.get(chatId);
  if (!state) return;
  clearTimeout(state.idle);
  typing.delete(chatId);
  void api.sendTyping(chatId, false).catch(() => undefined);
}

/** Marks a chat read up to `seq` (once per new seq). */
export function markRead(chatId: number, seq: number): void {
  const entry = getState().chats[chatId];
  if (entry?.role !== 'mine' || seq <= Math.max(entry.readSeq, entry.chat.agentReadSeq)) return;
  setState((s) => updateEntry(s, chatId, (e) => ({ ...e, readSeq: seq })));
  void api.markRead(chatId, seq).catch(() => undefined);
}
