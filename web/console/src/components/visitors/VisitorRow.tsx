// One visitor of the live list. Actions depend on the visitor's state: invite someone not in a
// chat, refuse a chat offered to you, join or monitor a colleague's chat, capture, release, ban.
import type { VisitorPresence } from '../../api/types.ts';
import { formatCountry, formatDuration } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { join, monitor, refuse } from '../../state/chatActions.ts';
import { useStore } from '../../state/store.ts';
import { customerIdOf } from '../../state/visitorCards.ts';
import { capture, release, unban } from '../../state/visitorActions.ts';
import { useAction, useNow } from '../hooks.ts';
import { VisitorChatState } from './VisitorChatState.tsx';

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

interface Props {
  visitor: VisitorPresence;
  onInvite: () => void;
  onBan: () => void;
}

export function VisitorRow({ visitor: v, onInvite, onBan }: Props) {
  const t = useT();
  const now = useNow();
  const me = useStore((s) => s.session?.agentId);
  const capturer = useStore((s) => s.agents.find((a) => a.id === v.capturedBy));
  const watching = useStore((s) => (v.chat ? s.chats[v.chat.id] : undefined));
  const [run, busy] = useAction();
  const name = v.name || v.email || t('visitor.anonymous', { id: v.id });
  const chat = v.chat;
  const customerId = customerIdOf(v.info);
  const mineOffered = chat?.status === 'assigned' && chat.agentId === me;
  const othersChat = chat && chat.agentId !== me && (chat.status === 'active' || chat.status === 'assigned' || chat.status === 'queued' || chat.status === 'bot');
  // Without a country (no geo header at the proxy), the browser's time zone still says roughly where.
  const place = [v.location?.city, v.location?.country ? formatCountry(v.location.country) : null].filter(Boolean).join(', ') || (v.location?.timezone ?? '');
  const started = v.visitStartedAt ? Date.parse(v.visitStartedAt) : null;

  const action = (testId: string, label: string, onClick: () => void, tone = '') => (
    <button type="button" className={`button small ${tone}`} disabled={busy} onClick={onClick} data-testid={testId} aria-label={`${label}: ${name}`}>
      {label}
    </button>
  );

  return (
    <tr data-testid="visitor-row" data-visitor-id={v.id} data-online={v.online} className={v.online ? undefined : 'offline'}>
      <th scope="row" className="visitor-cell">
        <span className={`presence-dot${v.online ? ' on' : ''}`} aria-hidden="true" />
        <span className="visitor-name" data-testid="visitor-name">
          {name}
        </span>
        {v.email && v.name && <span className="muted block">{v.email}</span>}
        {customerId && (
          <span className="muted block" data-testid="visitor-customer-id">
            {t('visitor.customerId', { id: customerId })}
          </span>
        )}
        {!v.online && <span className="chip small">{t('visitors.left')}</span>}
        {v.isBanned && <span className="chip small chip-danger">{t('visitors.banned')}</span>}
        {v.capturedBy !== null && (
          <span className="chip small" data-testid="visitor-captured">
            {v.capturedBy === me ? t('visitors.capturedByYou') : t('visitors.capturedBy', { name: capturer?.name ?? `#${v.capturedBy}` })}
          </span>
        )}
      </th>
      <td className="page-cell" data-testid="visitor-page">
        {v.currentUrl ? (
          <a href={v.currentUrl} target="_blank" rel="noopener noreferrer" title={v.currentUrl}>
            <span className="block">{v.currentTitle || hostOf(v.currentUrl)}</span>
            <span className="muted block url">{v.currentUrl}</span>
          </a>
        ) : (
          <span className="muted">–</span>
        )}
      </td>
      <td data-testid="visitor-referrer">
        {v.referrer ? (
          <span title={v.referrer}>{hostOf(v.referrer)}</span>
        ) : (
          <span className="muted">{t('visitors.direct')}</span>
        )}
      </td>
      <td data-testid="visitor-location">{place || <span className="muted">–</span>}</td>
      <td className="num" data-testid="visitor-time">
        {started ? formatDuration(now - started) : '–'}
      </td>
      <td className="num" data-testid="visitor-views">
        {v.pageViews}
      </td>
      <td data-testid="visitor-chat">
        <VisitorChatState chat={chat} />
      </td>
      <td className="actions-cell">
        <div className="row-actions">
          {!chat && !v.isBanned && v.online && action('visitor-invite', t('visitor.invite'), onInvite, 'primary')}
          {mineOffered && action('visitor-refuse', t('visitor.refuse'), () => void run(() => refuse(chat.id)))}
          {othersChat && !watching && action('visitor-join', t('visitor.join'), () => void run(() => join(chat.id)))}
          {othersChat && !watching && action('visitor-monitor', t('visitor.monitor'), () => void run(() => monitor(chat.id)))}
          {v.capturedBy === null && action('visitor-capture', t('visitor.capture'), () => void run(() => capture(v.id)))}
          {v.capturedBy === me && action('visitor-release', t('visitor.release'), () => void run(() => release(v.id)))}
          {v.isBanned ? action('visitor-unban', t('visitor.unban'), () => void run(() => unban(v.id))) : action('visitor-ban', t('visitor.ban'), onBan, 'danger-outline')}
        </div>
      </td>
    </tr>
  );
}
