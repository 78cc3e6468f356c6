// What happens when a chat comes in or a visitor writes: a sound and a desktop notification, each
// as the agent set them, and only when the agent might otherwise miss it.
import type { Chat, Message } from '../api/types.ts';
import { appEventText, isAppMessage } from '../components/messageText.ts';
import { t } from '../i18n/i18n.ts';
import { getState, setState } from '../state/store.ts';
import { showInPane } from '../state/chatState.ts';
import { visitorLabel } from '../state/visitorLabel.ts';
import { consoleInView, showNotification } from './desktop.ts';
import { getAlertSettings } from './settings.ts';
import { playChime } from './sound.ts';

function preview(message: Message): string {
  if (isAppMessage(message)) return appEventText(message);
  const content = message.data.content;
  if (typeof content === 'string') return content.replace(/<[^>]*>/g, '').slice(0, 140);
  return typeof message.data.name === 'string' ? message.data.name : '';
}

export function alertIncoming(chat: Chat, transferred: boolean): void {
  const settings = getAlertSettings();
  if (settings.sound) playChime('incoming');
  if (settings.notifications && !consoleInView()) {
    const title = transferred ? t('notify.transferTitle') : t('notify.incomingTitle');
    showNotification(title, visitorLabel(chat.visitorId), `chat-${chat.id}`, () => {
      setState((s) => ({ ...s, view: 'chats' }));
    });
  }
}

export function alertMessage(chatId: number, message: Message): void {
  const s = getState();
  const entry = s.chats[chatId];
  if (!entry) return;
  const inPane = s.panes.includes(chatId) && s.view === 'chats';
  if (inPane && consoleInView()) return;
  const settings = getAlertSettings();
  if (settings.sound) playChime('message');
  if (settings.notifications && !consoleInView()) {
    const name = visitorLabel(entry.chat.visitorId);
    showNotification(t('notify.messageTitle', { name }), preview(message), `chat-${chatId}`, () => {
      setState((st) => (st.chats[chatId] ? { ...showInPane(st, chatId), view: 'chats' } : st));
    });
  }
}
