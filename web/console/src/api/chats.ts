// Chats: listing, messages, and everything an agent does in one.
import { del, get, post, put, query, request } from './http.ts';
import type { Chat, Message, SearchResult, WrapUp } from './types.ts';

const PAGE = 200;

/** The site's open chats (every page). */
export async function fetchOpenChats(): Promise<Chat[]> {
  const all: Chat[] = [];
  let cursor: string | null = null;
  // A site rarely has more than a few pages of open chats; the cap keeps a bad cursor from looping.
  for (let page = 0; page < 20; page++) {
    const res: { items: Chat[]; nextCursor: string | null } = await get(`/operator/sessions${query({ status: 'open', limit: PAGE, cursor })}`);
    all.push(...res.items);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return all;
}

export const fetchChat = (id: number) => get<Chat>(`/api/v1/chats/${id}`);

/** Every message after `afterSeq`, following pages until the end. */
export async function fetchMessagesAfter(chatId: number, afterSeq: number): Promise<Message[]> {
  const all: Message[] = [];
  let after = afterSeq;
  for (;;) {
    const page = await get<Message[]>(`/api/v1/chats/${chatId}/messages${query({ afterSeq: after, limit: PAGE })}`);
    all.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) return all;
    after = last.seq;
  }
}

export const acceptChat = (id: number) => post<Chat>(`/api/v1/chats/${id}/accept`);
export const refuseChat = (id: number) => post<unknown>(`/api/v1/chats/${id}/refuse`);
export const joinChat = (id: number) => post<Chat | undefined>(`/api/v1/chats/${id}/join`);
export const monitorChat = (id: number) => post<Chat | undefined>(`/api/v1/chats/${id}/monitor`);
export const leaveChat = (id: number) => post<unknown>(`/api/v1/chats/${id}/leave`);
export const endChat = (id: number, wrapUp?: WrapUp) => post<Chat>(`/api/v1/chats/${id}/end`, wrapUp ? { wrapUp } : {});
export const saveWrapUp = (id: number, wrapUp: WrapUp) => put<unknown>(`/api/v1/chats/${id}/wrap-up`, wrapUp);

export type OutgoingContent = { type: 'message'; data: { content: string } } | { type: 'rich'; data: { content: string } };

export const sendMessage = (chatId: number, content: OutgoingContent, clientMessageId: string) =>
  post<Message>(`/api/v1/chats/${chatId}/messages`, { ...content, clientMessageId });

export const uploadFile = (chatId: number, file: File, clientMessageId: string) =>
  request<Message>('POST', `/api/v1/chats/${chatId}/files${query({ name: file.name, clientMessageId })}`, {
    body: file,
    contentType: file.type || 'application/octet-stream',
  });

export const editMessage = (chatId: number, messageId: number, text: string) =>
  put<Message>(`/operator/sessions/${chatId}/operators/messages/${messageId}`, { text });
export const deleteMessage = (chatId: number, messageId: number) => del<unknown>(`/operator/sessions/${chatId}/operators/messages/${messageId}`);

export const sendTyping = (chatId: number, typing: boolean) => post<unknown>(`/operator/sessions/${chatId}/typing`, { typing });
export const markRead = (chatId: number, seq: number) => post<Chat>(`/operator/sessions/${chatId}/read`, { seq });

export const transferToAgent = (chatId: number, agentId: number) => post<Chat>(`/operator/sessions/${chatId}/operators/${agentId}`);
export const transferToGroup = (chatId: number, groupId: number) => post<Chat>(`/operator/sessions/${chatId}/groupoperators/${groupId}`);

export const searchChats = (q: string, beforeId?: number) =>
  get<{ results: SearchResult[] }>(`/api/v1/chats/search${query({ q, limit: 25, beforeId })}`);

/** The business results an agent can send to the customer's app, as the mobile WebView spec names them. */
export const APP_RESULT_COMMANDS = [
  'event.mb.acc_upgrade_video',
  'event.mb.loan_video',
  'event.mb.withdraw_limit_adj',
  'event.mb.credit_limit_adj',
  'event.mb.predefined_acc_apply',
] as const;
export type AppResultCommand = (typeof APP_RESULT_COMMANDS)[number];
export type AppChannel = 'video' | 'app_call' | 'chat_only';
/** 00 succeeded, 01 failed. */
export type AppResultCode = '00' | '01';

/** What an agent asks of the app of a chat from the mobile WebView (docs/mobile-webview.md). */
export type AppEvent =
  | { command: 'event.mb.channel_change'; params: { channel: AppChannel } }
  | { command: AppResultCommand; params: { result: AppResultCode } }
  | { command: 'event.chat.open_link'; params: { url: string } }
  | { command: 'event.mb.avaya_answer'; params: Record<string, never> };

export const sendAppEvent = (chatId: number, event: AppEvent) => post<Message>(`/api/v1/chats/${chatId}/app-events`, event);
