// A past chat's transcript, read only.
import { useEffect, useState } from 'react';
import { fetchChat, fetchMessagesAfter } from '../../api/chats.ts';
import type { Chat, Message, SearchResult } from '../../api/types.ts';
import { formatDateTime } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { errorText } from '../../state/notices.ts';
import { useStore } from '../../state/store.ts';
import { MessageLog } from '../chat/MessageLog.tsx';

export function TranscriptView({ result, onClose }: { result: SearchResult; onClose: () => void }) {
  const t = useT();
  const meId = useStore((s) => s.session?.agentId);
  const [data, setData] = useState<{ chat: Chat; messages: Message[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chatId = result.chat.id;
  const name = result.visitor.name || result.visitor.email || t('visitor.anonymous', { id: result.visitor.id });

  useEffect(() => {
    let live = true;
    setData(null);
    setError(null);
    Promise.all([fetchChat(chatId), fetchMessagesAfter(chatId, 0)]).then(
      ([chat, messages]) => live && setData({ chat, messages }),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [chatId]);

  return (
    <article className="transcript" aria-labelledby="transcript-title" data-testid="transcript-view" data-chat-id={chatId}>
      <header className="pane-header">
        <div className="pane-heading">
          <div className="pane-title">
            <h2 id="transcript-title">{name}</h2>
            <span className="chip">{t('history.readOnly')}</span>
          </div>
          <p className="pane-visitor">
            <span>{formatDateTime(result.chat.requestedAt)}</span>
            {result.visitor.email && <span>{result.visitor.email}</span>}
          </p>
        </div>
        <div className="pane-actions">
          <button type="button" className="button small" onClick={onClose} data-testid="transcript-close">
            {t('common.close')}
          </button>
        </div>
      </header>
      {error && <p className="form-error">{error}</p>}
      {!data && !error && <p className="muted small-pad">{t('common.loading')}</p>}
      {data && (
        <MessageLog
          chat={data.chat}
          messages={data.messages}
          pending={[]}
          visitorName={name}
          editable={false}
          meId={meId}
          editingId={null}
          onEditDone={() => undefined}
        />
      )}
    </article>
  );
}
