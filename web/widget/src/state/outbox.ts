// What the visitor sends: texts and files wait in an outbox until the server confirms them. Each
// carries a random clientMessageId, so sending it again after a network blip never stores it
// twice. Network failures retry by themselves (with backoff, when the browser is back online, and
// after a reconnection); a refusal (4xx) waits for the visitor's "Retry". Texts survive a page
// change in localStorage (`parley:outbox:{siteId}`).
import { ApiError, api } from '../api/client.ts';
import type { Chat, Message } from '../api/types.ts';
import { fmt } from '../i18n.ts';
import { load, save } from './storage.ts';
import { getState, mergeMessages, type Pending, patch } from './store.ts';
import { refreshChat, showChat } from './sync.ts';

let storageKey = '';
let flushing = false;
let delay = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function setOutbox(outbox: Pending[]): void {
  patch({ outbox });
  save(
    storageKey,
    outbox.flatMap((p) => (p.text === undefined ? [] : [{ cid: p.cid, text: p.text }])),
  );
}

/** Restores the texts a previous page could not send (they are sent once the chat is loaded). */
export function restoreOutbox(siteId: string): void {
  storageKey = `parley:outbox:${siteId}`;
  const saved = load<{ cid: string; text: string }[]>(storageKey) ?? [];
  setOutbox(saved.map((p) => ({ ...p, state: 'sending', error: '' })));
}

type NewMessage = { type: 'message'; data: { content: string }; clientMessageId: string };

/**
 * Opens a chat (with the robot or the agents, as the site starts; with the inviting agent after
 * an invitation), optionally with its first message, and shows it.
 */
export async function startChat(message?: NewMessage): Promise<Chat> {
  const { config, invitation } = getState();
  const body: Record<string, unknown> = { assignType: invitation || config.startWith !== 'robot' ? 'agent' : 'robot' };
  if (message) body.message = message;
  let chat: Chat;
  try {
    chat = await api<Chat>('POST', '/api/v1/chats', invitation ? { ...body, agentId: invitation.operator.id } : body);
  } catch (err) {
    // The inviting agent went away meanwhile: whoever is free takes the chat instead.
    if (!invitation || !(err instanceof ApiError) || !err.type.endsWith('agent-unavailable')) throw err;
    chat = await api<Chat>('POST', '/api/v1/chats', body);
  }
  showChat(chat);
  // The first message (and the robot's answer) come with the messages; a failure here is made
  // good by the real-time events or the next resync.
  await refreshChat().catch(() => {});
  return chat;
}

async function deliver(p: Pending): Promise<void> {
  const chat = getState().chat;
  const open = chat && chat.status !== 'ended' ? chat : null;
  const message: NewMessage | undefined = p.text === undefined ? undefined : { type: 'message', data: { content: p.text }, clientMessageId: p.cid };
  if (!open && message) {
    await startChat(message);
    return;
  }
  const id = (open ?? (await startChat())).id;
  const sent = p.file
    ? await api<Message>('POST', `/api/v1/chats/${id}/files?name=${encodeURIComponent(p.file.name)}&clientMessageId=${p.cid}`, p.file)
    : await api<Message>('POST', `/api/v1/chats/${id}/messages`, message);
  mergeMessages([sent]);
}

function update(cid: string, change: Partial<Pending>): void {
  setOutbox(getState().outbox.map((p) => (p.cid === cid ? { ...p, ...change } : p)));
}

/** Sends what waits, in order; stops at a network failure so nothing overtakes it. */
export async function flush(): Promise<void> {
  if (flushing || !getState().visitor) return;
  flushing = true;
  try {
    for (;;) {
      const next = getState().outbox.find((p) => p.state === 'sending');
      if (!next) break;
      try {
        await deliver(next);
        // Confirmed (mergeMessages usually dropped it already, unless the reply was the chat).
        setOutbox(getState().outbox.filter((p) => p.cid !== next.cid));
        delay = 0;
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(0, '');
        if (e.type.endsWith('queue-full')) {
          // Nobody can take a chat: offer the offline form with what the visitor wrote.
          setOutbox(getState().outbox.filter((p) => p.cid !== next.cid));
          const reason = typeof e.extras.offlineMessage === 'string' ? e.extras.offlineMessage : e.message;
          patch({ offlineReason: reason, draft: next.text ?? '' });
          continue;
        }
        const filesOff = e.extras.reason === 'files-off';
        if (filesOff) {
          // Files were turned off since the widget loaded: the attach button goes too.
          const { config } = getState();
          patch({ config: { ...config, files: { ...config.files, enabled: false } } });
        }
        update(next.cid, { state: 'failed', error: e.transient ? '' : filesOff ? getState().t.filesOff : e.message || getState().t.error });
        if (e.transient) {
          retryLater();
          break;
        }
      }
    }
  } finally {
    flushing = false;
  }
}

function retryLater(): void {
  clearTimeout(retryTimer);
  delay = Math.min(delay ? delay * 2 : 2000, 30_000);
  retryTimer = setTimeout(() => retry(false), delay);
}

/** Sends the failed messages again: after a network failure only, unless the visitor asked (`all`). */
export function retry(all: boolean): void {
  const outbox = getState().outbox;
  if (outbox.some((p) => p.state === 'failed' && (all || !p.error))) {
    setOutbox(outbox.map((p) => (p.state === 'failed' && (all || !p.error) ? { ...p, state: 'sending', error: '' } : p)));
  }
  void flush();
}

export function sendText(text: string): void {
  setOutbox([...getState().outbox, { cid: newId(), text, state: 'sending', error: '' }]);
  void flush();
}

/** A size in MB as the visitor reads it: down to one decimal (2, 2.5), or two digits below 0.1 MB. */
const mb = (bytes: number): string => (Math.floor(bytes / 104857.6 + 1e-6) / 10 || +(bytes / 1048576).toPrecision(2)).toLocaleString(getState().lang);

/** Queues a file; none when the site takes no files from visitors, and one over the site's limit is refused here, not uploaded. */
export function sendFile(file: File): void {
  const { files } = getState().config;
  if (!files.enabled) return;
  if (file.size > files.maxBytes) {
    patch({ error: fmt(getState().t.tooBig, mb(files.maxBytes)) });
    return;
  }
  setOutbox([...getState().outbox, { cid: newId(), file, state: 'sending', error: '' }]);
  void flush();
}

addEventListener('online', () => retry(false));
