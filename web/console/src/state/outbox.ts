// Sending messages and files. Each gets a clientMessageId before the first try and keeps it for
// every retry, so the server stores it once however often the network fails. The message shows at
// once as pending, turns into the stored message when the answer or the event comes (whichever is
// first), or stays as failed with the server's reason and a retry button.
import { type OutgoingContent, sendMessage, uploadFile } from '../api/chats.ts';
import { ApiError } from '../api/http.ts';
import type { Message } from '../api/types.ts';
import { getLang, t } from '../i18n/i18n.ts';
import { addMessages, updateEntry } from './chatState.ts';
import type { PendingMessage } from './model.ts';
import { errorText } from './notices.ts';
import { getState, setState } from './store.ts';

function newId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

function setPending(chatId: number, clientMessageId: string, change: Partial<PendingMessage> | null): void {
  setState((s) =>
    updateEntry(s, chatId, (e) => ({
      ...e,
      pending: change === null ? e.pending.filter((p) => p.clientMessageId !== clientMessageId) : e.pending.map((p) => (p.clientMessageId === clientMessageId ? { ...p, ...change } : p)),
    })),
  );
}

/** Sends a pending message; the stored message, or the failure (left on the message, with a retry). */
async function deliver(chatId: number, p: PendingMessage): Promise<Message> {
  try {
    let stored: Message;
    if (p.kind === 'file' && p.file) stored = await uploadFile(chatId, p.file, p.clientMessageId);
    else {
      const content: OutgoingContent = p.kind === 'rich' ? { type: 'rich', data: { content: p.content } } : { type: 'message', data: { content: p.content } };
      stored = await sendMessage(chatId, content, p.clientMessageId);
    }
    setState((s) => addMessages(s, chatId, [stored]));
    setPending(chatId, p.clientMessageId, null);
    return stored;
  } catch (err) {
    setPending(chatId, p.clientMessageId, { status: 'failed', error: errorText(err), transient: err instanceof ApiError && err.transient });
    throw err;
  }
}

function enqueue(chatId: number, p: Omit<PendingMessage, 'clientMessageId' | 'status' | 'error' | 'transient' | 'createdAt'>): Promise<Message> {
  const pending: PendingMessage = { ...p, clientMessageId: newId(), status: 'sending', error: null, transient: false, createdAt: new Date().toISOString() };
  setState((s) => updateEntry(s, chatId, (e) => ({ ...e, pending: [...e.pending, pending] })));
  return deliver(chatId, pending);
}

/** A failed send stays on the message (its reason and a retry button): nothing more to do. */
const shownOnMessage = () => undefined;

/** Sends text or HTML as the composer does (pending, then stored) and waits for the stored message (the SDK's sendMessage). */
export function sendAndWait(chatId: number, kind: 'message' | 'rich', content: string): Promise<Message> {
  return enqueue(chatId, { kind, content, file: null });
}

export function sendText(chatId: number, text: string): void {
  enqueue(chatId, { kind: 'message', content: text, file: null }).catch(shownOnMessage);
}

export function sendRich(chatId: number, html: string): void {
  enqueue(chatId, { kind: 'rich', content: html, file: null }).catch(shownOnMessage);
}

/** A size in MB as the agent reads it: down to one decimal (2, 2.5), or two digits below 0.1 MB. */
const mb = (bytes: number) => (Math.floor(bytes / 104857.6 + 1e-6) / 10 || Number((bytes / 1048576).toPrecision(2))).toLocaleString(getLang());

/**
 * Uploads files (button, drop or paste) as the site allows (state `files`): none when agents may
 * not send files, and a file over the site's limit is refused here, not after the upload.
 */
export function sendFiles(chatId: number, files: Iterable<File>): string | null {
  const limits = getState().files;
  if (!limits.agentFiles) return t('composer.filesOff');
  let refused: string | null = null;
  for (const file of files) {
    if (file.size > limits.maxBytes) {
      refused = t('composer.fileTooBig', { name: file.name, size: mb(limits.maxBytes) });
      continue;
    }
    enqueue(chatId, { kind: 'file', content: file.name, file }).catch(shownOnMessage);
  }
  return refused;
}

export function retry(chatId: number, clientMessageId: string): void {
  const p = getState().chats[chatId]?.pending.find((x) => x.clientMessageId === clientMessageId);
  if (!p || p.status === 'sending') return;
  setPending(chatId, clientMessageId, { status: 'sending', error: null });
  deliver(chatId, { ...p, status: 'sending' }).catch(shownOnMessage);
}

export function discard(chatId: number, clientMessageId: string): void {
  setPending(chatId, clientMessageId, null);
}

/** After a reconnect: what failed only because the network was down goes out again. */
export function retryTransient(): void {
  for (const entry of Object.values(getState().chats)) {
    for (const p of entry.pending) if (p.status === 'failed' && p.transient) retry(entry.chat.id, p.clientMessageId);
  }
}
