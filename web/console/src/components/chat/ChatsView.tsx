// The chats view: the list of open chats on the left, up to three chats side by side.
import { useT } from '../../i18n/i18n.ts';
import { useStore } from '../../state/store.ts';
import { ChatList } from './ChatList.tsx';
import { ChatPane } from './ChatPane.tsx';

export function ChatsView({ hidden }: { hidden: boolean }) {
  const t = useT();
  const panes = useStore((s) => s.panes);
  const status = useStore((s) => s.me?.status);
  return (
    <div className="chats-view" hidden={hidden} data-testid="chats-view">
      <h1 className="visually-hidden">{t('nav.chats')}</h1>
      <ChatList />
      <div className={`panes panes-${Math.max(1, panes.length)}`}>
        {panes.length === 0 ? (
          <div className="empty-state" data-testid="chats-empty">
            <h2>{t('chats.emptyTitle')}</h2>
            <p>{status === 'online' ? t('chats.emptyOnline') : t('chats.emptyOffline')}</p>
          </div>
        ) : (
          panes.map((id, i) => <ChatPane key={id} chatId={id} index={i + 1} />)
        )}
      </div>
    </div>
  );
}
