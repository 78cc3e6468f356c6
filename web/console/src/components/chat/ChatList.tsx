// The agent's open chats, with unread counts: a click shows the chat in a pane.
import { formatTime } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { show } from '../../state/chatActions.ts';
import { unreadCount } from '../../state/chatState.ts';
import type { ChatEntry } from '../../state/model.ts';
import { useStore } from '../../state/store.ts';
import { Icon } from '../icons.tsx';
import { messagePreview } from '../messageText.ts';
import { useVisitorName } from '../useVisitorName.ts';

export function ChatList() {
  const t = useT();
  const tabs = useStore((s) => s.tabs);
  const chats = useStore((s) => s.chats);
  const panes = useStore((s) => s.panes);
  return (
    <nav className="chat-list" aria-label={t('chats.listLabel')}>
      <h2 className="section-title">{t('chats.open')}</h2>
      {tabs.length === 0 ? (
        <p className="muted small-pad">{t('chats.none')}</p>
      ) : (
        <ul>
          {tabs.map((id) => {
            const entry = chats[id];
            return entry ? <ChatTab key={id} entry={entry} shown={panes.includes(id)} /> : null;
          })}
        </ul>
      )}
    </nav>
  );
}

function ChatTab({ entry, shown }: { entry: ChatEntry; shown: boolean }) {
  const t = useT();
  const name = useVisitorName(entry.chat.visitorId);
  const unread = unreadCount(entry);
  const last = entry.messages.findLast((m) => m.senderKind !== 'system');
  const ended = entry.chat.status === 'ended';
  return (
    <li>
      <button
        type="button"
        className={`chat-tab${shown ? ' shown' : ''}${ended ? ' ended' : ''}`}
        aria-pressed={shown}
        onClick={() => show(entry.chat.id)}
        data-testid="chat-tab"
        data-chat-id={entry.chat.id}
        data-unread={unread}
      >
        <span className="avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="chat-tab-text">
          <span className="chat-tab-name">
            {entry.chat.name || name}
            {entry.chat.channel === 'webview' && (
              <span className="chat-tab-mobile" title={t('chat.mobileApp')} data-testid="chat-tab-mobile">
                <Icon name="mobile" size={12} />
                <span className="visually-hidden">{t('chat.mobileApp')}</span>
              </span>
            )}
            {entry.role !== 'mine' && <span className="chip small">{t(entry.role === 'joined' ? 'chat.state.joined' : 'chat.state.monitoring')}</span>}
            {ended && <span className="chip small chip-ended">{t('chat.state.ended')}</span>}
          </span>
          <span className="chat-tab-preview">{entry.visitorTyping ? t('chat.typingShort') : last ? messagePreview(last) : ''}</span>
        </span>
        <span className="chat-tab-side">
          {last && <time dateTime={last.createdAt}>{formatTime(last.createdAt)}</time>}
          {unread > 0 && (
            <span className="badge" data-testid="chat-tab-unread">
              <span className="visually-hidden">{t('chat.unreadLabel')} </span>
              {unread}
            </span>
          )}
        </span>
      </button>
    </li>
  );
}
