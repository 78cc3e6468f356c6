// A message on its way (or that failed to go): shown where it will land, with Retry on failure.
import { useT } from '../../i18n/i18n.ts';
import { RichContent } from '../../render/RichContent.tsx';
import type { PendingMessage } from '../../state/model.ts';
import { Icon } from '../icons.tsx';
import { discard, retry } from '../../state/outbox.ts';

export function PendingItem({ chatId, pending }: { chatId: number; pending: PendingMessage }) {
  const t = useT();
  const failed = pending.status === 'failed';
  return (
    <li className={`message message-own message-${pending.status}`} data-testid="message" data-sender-kind="agent" data-status={failed ? 'failed' : 'pending'} data-client-message-id={pending.clientMessageId}>
      <div className="message-sender">{t('sender.you')}</div>
      <div className="bubble">
        {pending.kind === 'rich' ? <RichContent html={pending.content} /> : pending.kind === 'file' ? <span className="message-file"><Icon name="file" /> {pending.content}</span> : pending.content}
      </div>
      <div className="message-meta">
        {failed ? (
          <span className="failed-text" data-testid="message-failed">
            {t('message.failed')}
            {pending.error ? `: ${pending.error}` : ''}{' '}
            <button type="button" className="link-button" onClick={() => retry(chatId, pending.clientMessageId)} data-testid="message-retry">
              {t('message.retry')}
            </button>{' '}
            <button type="button" className="link-button" onClick={() => discard(chatId, pending.clientMessageId)} data-testid="message-discard">
              {t('message.discard')}
            </button>
          </span>
        ) : (
          <span data-testid="message-pending">{pending.kind === 'file' ? t('message.uploading') : t('message.sending')}</span>
        )}
      </div>
    </li>
  );
}
