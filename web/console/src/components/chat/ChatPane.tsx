// One chat side by side with others: who the visitor is and where, the log, typing, the composer,
// and what the agent can do with the chat. Files dropped anywhere on the pane are uploaded (when the
// site lets agents send files; otherwise the pane refuses the drop).
import { type DragEvent, useEffect, useState } from 'react';
import { useT } from '../../i18n/i18n.ts';
import { closeChat, hide, join, leave, markRead } from '../../state/chatActions.ts';
import { lastSeq } from '../../state/chatState.ts';
import { notice } from '../../state/notices.ts';
import { sendFiles } from '../../state/outbox.ts';
import { useStore } from '../../state/store.ts';
import { useAction, useDocumentVisible } from '../hooks.ts';
import { useVisitorName } from '../useVisitorName.ts';
import { ChatPaneHeader } from './ChatPaneHeader.tsx';
import { Composer } from './Composer.tsx';
import { EndChatDialog } from './EndChatDialog.tsx';
import { MessageLog } from './MessageLog.tsx';
import { TransferDialog } from './TransferDialog.tsx';

const hasFiles = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');

export function ChatPane({ chatId, index }: { chatId: number; index: number }) {
  const t = useT();
  const entry = useStore((s) => s.chats[chatId]);
  const meId = useStore((s) => s.session?.agentId);
  const onChatsView = useStore((s) => s.view === 'chats');
  const pageVisible = useDocumentVisible();
  const filesAllowed = useStore((s) => s.files.agentFiles);
  const name = useVisitorName(entry?.chat.visitorId ?? 0);
  const [dialog, setDialog] = useState<'transfer' | 'end' | 'wrapup' | null>(null);
  const [dragging, setDragging] = useState(false);
  const [editingId, setEditingId] = useState<number | null>(null);
  const [run, busy] = useAction();
  const seq = entry ? lastSeq(entry) : 0;
  const loaded = entry?.loaded ?? false;

  // Read means on screen: this pane, on the chats view, in a tab the agent is looking at.
  useEffect(() => {
    if (onChatsView && pageVisible && loaded && seq > 0) markRead(chatId, seq);
  }, [chatId, onChatsView, pageVisible, loaded, seq]);

  if (!entry) return null;
  const { chat, role } = entry;
  const ended = chat.status === 'ended';
  const canWrite = !ended && (role === 'joined' || (role === 'mine' && chat.status === 'active'));
  const titleId = `pane-title-${chatId}`;

  function onDrop(e: DragEvent) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    if (!canWrite) return;
    const refused = sendFiles(chatId, [...e.dataTransfer.files]);
    if (refused) notice(refused, 'error');
  }

  function editLast() {
    const own = entry?.messages.findLast((m) => m.senderKind === 'agent' && m.senderId === meId && !m.deletedAt && m.type === 'message');
    if (own) setEditingId(own.id);
  }

  return (
    <section
      className={`chat-pane${dragging ? ' dragging' : ''}`}
      aria-labelledby={titleId}
      data-testid="chat-pane"
      data-chat-id={chatId}
      data-pane-index={index}
      data-status={chat.status}
      data-role={role}
      tabIndex={-1}
      onDragOver={(e) => {
        if (!hasFiles(e) || !canWrite) return;
        e.preventDefault();
        // Files off: the drop is refused (no overlay, and the browser does not open the file).
        if (!filesAllowed) e.dataTransfer.dropEffect = 'none';
        else setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <ChatPaneHeader
        entry={entry}
        titleId={titleId}
        name={name}
        index={index}
        busy={busy}
        onTransfer={() => setDialog('transfer')}
        onEnd={() => setDialog('end')}
        onWrapUp={() => setDialog('wrapup')}
        onClose={() => closeChat(chatId)}
        onHide={() => hide(chatId)}
        onJoin={() => void run(() => join(chatId))}
        onLeave={() => void run(() => leave(chatId))}
      />
      <MessageLog
        chat={chat}
        messages={entry.messages}
        pending={entry.pending}
        visitorName={name}
        editable={canWrite}
        meId={meId}
        editingId={editingId}
        onEditDone={() => setEditingId(null)}
      />
      <div className="typing-line" aria-live="polite">
        {entry.visitorTyping && !ended && (
          <span data-testid="typing-indicator">
            <span className="typing-dots" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
            {t('chat.typing', { name })}
          </span>
        )}
      </div>
      {canWrite ? (
        <Composer chatId={chatId} label={t('composer.label', { name })} onEditLast={editLast} />
      ) : (
        <p className="pane-note" data-testid="pane-note">
          {ended ? t('chat.endedNote') : role === 'monitor' ? t('chat.monitorNote') : t('chat.notAccepted')}
        </p>
      )}
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          {t('composer.dropFiles')}
        </div>
      )}
      {dialog === 'transfer' && <TransferDialog chatId={chatId} onClose={() => setDialog(null)} />}
      {(dialog === 'end' || dialog === 'wrapup') && <EndChatDialog chatId={chatId} ended={dialog === 'wrapup'} onClose={() => setDialog(null)} />}
    </section>
  );
}
