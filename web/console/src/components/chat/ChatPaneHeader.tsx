// A pane's header: the visitor, where they are, and the chat's actions.
import { formatCountry } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import type { ChatEntry } from '../../state/model.ts';
import { useStore } from '../../state/store.ts';
import { customerIdOf } from '../../state/visitorCards.ts';
import { Icon } from '../icons.tsx';
import { AppMenu } from './AppMenu.tsx';
import { ChatTags } from './ChatTags.tsx';

interface Props {
  entry: ChatEntry;
  titleId: string;
  name: string;
  index: number;
  busy: boolean;
  onTransfer: () => void;
  onEnd: () => void;
  onWrapUp: () => void;
  onClose: () => void;
  onHide: () => void;
  onJoin: () => void;
  onLeave: () => void;
}

export function ChatPaneHeader({ entry, titleId, name, index, busy, ...on }: Props) {
  const t = useT();
  const visitor = useStore((s) => s.visitors[entry.chat.visitorId]);
  const card = useStore((s) => s.visitorCards[entry.chat.visitorId]);
  const { chat, role } = entry;
  const ended = chat.status === 'ended';
  const email = visitor?.email ?? card?.email;
  const customerId = visitor ? customerIdOf(visitor.info) : (card?.customerId ?? null);
  const place = [visitor?.location?.city, visitor?.location?.country ? formatCountry(visitor.location.country) : null].filter(Boolean).join(', ');
  const stateLabel = ended ? t('chat.state.ended') : role === 'monitor' ? t('chat.state.monitoring') : role === 'joined' ? t('chat.state.joined') : t(`chat.state.${chat.status}`);

  return (
    <header className="pane-header">
      <div className="pane-heading">
        <div className="pane-title">
          <h2 id={titleId}>
            <span className="pane-number" aria-hidden="true" title={t('chat.paneShortcut', { n: index })}>
              {index}
            </span>
            {chat.name || name}
          </h2>
          <span className={`chip chip-${ended ? 'ended' : role === 'mine' ? chat.status : role}`} data-testid="chat-state">
            {stateLabel}
          </span>
          <ChatTags chat={chat} />
        </div>
        {(visitor || email || customerId) && (
          <p className="pane-visitor">
            {customerId && (
              <span data-testid="visitor-customer-id">
                {t('visitor.customerId', { id: customerId })}
              </span>
            )}
            {email && <span>{email}</span>}
            {visitor?.currentUrl && (
              <a href={visitor.currentUrl} target="_blank" rel="noopener noreferrer" title={visitor.currentUrl}>
                {visitor.currentTitle || visitor.currentUrl}
              </a>
            )}
            {place && <span>{place}</span>}
          </p>
        )}
      </div>
      <div className="pane-actions">
        {chat.channel === 'webview' && (role === 'mine' || role === 'joined') && chat.status === 'active' && <AppMenu chat={chat} />}
        {role === 'mine' && !ended && chat.status === 'active' && (
          <button type="button" className="button small" onClick={on.onTransfer} data-testid="transfer-button">
            {t('chat.transfer')}
          </button>
        )}
        {role === 'mine' && !ended && (
          <button type="button" className="button small danger-outline" onClick={on.onEnd} data-testid="end-button">
            {t('chat.end')}
          </button>
        )}
        {role === 'mine' && ended && (
          <button type="button" className="button small" onClick={on.onWrapUp} data-testid="wrapup-button">
            {t('chat.wrapUp')}
          </button>
        )}
        {role === 'monitor' && !ended && (
          <button type="button" className="button small" disabled={busy} onClick={on.onJoin} data-testid="pane-join">
            {t('visitor.join')}
          </button>
        )}
        {role !== 'mine' && !ended && (
          <button type="button" className="button small" disabled={busy} onClick={on.onLeave} data-testid="leave-button">
            {t('chat.leave')}
          </button>
        )}
        {ended ? (
          <button type="button" className="button small" onClick={on.onClose} data-testid="pane-close">
            {t('chat.close')}
          </button>
        ) : (
          <button type="button" className="icon-button" onClick={on.onHide} aria-label={t('chat.hide', { name })} title={t('chat.hideHint')} data-testid="pane-hide">
            <Icon name="minimize" />
          </button>
        )}
      </div>
    </header>
  );
}
