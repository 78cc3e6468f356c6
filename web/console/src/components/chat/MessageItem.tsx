// One message in a chat log, with the agent's own messages editable and deletable in place.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { Message } from '../../api/types.ts';
import { formatTime } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { MessageBody } from '../../render/MessageBody.tsx';
import { deleteOwn, editOwn } from '../../state/chatActions.ts';
import { useStore } from '../../state/store.ts';
import { useAction } from '../hooks.ts';

interface Props {
  message: Message;
  chatId: number;
  /** The agent may change its own messages here (not in a read-only transcript). */
  editable: boolean;
  seen: boolean;
  visitorName: string;
  /** Open in edit mode (Up arrow in an empty composer). */
  editing: boolean;
  onEditDone: () => void;
}

function useSenderName(m: Message, visitorName: string): string {
  const t = useT();
  const me = useStore((s) => s.session?.agentId);
  const agent = useStore((s) => s.agents.find((a) => a.id === m.senderId));
  if (m.senderKind === 'visitor') return visitorName;
  if (m.senderKind === 'bot') return t('sender.robot');
  if (m.senderKind === 'system') return t('sender.system');
  return m.senderId === me ? t('sender.you') : (agent?.name ?? t('sender.agent'));
}

export function MessageItem({ message, chatId, editable, seen, visitorName, editing, onEditDone }: Props) {
  const t = useT();
  const sender = useSenderName(message, visitorName);
  const me = useStore((s) => s.session?.agentId);
  const own = message.senderKind === 'agent' && message.senderId === me && !message.deletedAt;
  const canEdit = editable && own && message.type === 'message';
  const [draft, setDraft] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [run, busy] = useAction();
  const editor = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (editing && canEdit) setDraft(typeof message.data.content === 'string' ? message.data.content : '');
  }, [editing, canEdit, message.data.content]);
  useEffect(() => {
    if (draft !== null) editor.current?.focus();
  }, [draft]);

  function finishEdit() {
    setDraft(null);
    onEditDone();
  }

  async function save() {
    const text = draft?.trim() ?? '';
    if (!text || text === message.data.content) return finishEdit();
    if (await run(() => editOwn(chatId, message.id, text))) finishEdit();
  }

  function onEditorKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      finishEdit();
    }
  }

  const side = message.senderKind === 'visitor' ? 'visitor' : message.senderKind === 'bot' ? 'bot' : own ? 'own' : 'agent';
  return (
    <li className={`message message-${side}`} data-testid="message" data-sender-kind={message.senderKind} data-message-id={message.id} data-seq={message.seq}>
      <div className="message-sender">{sender}</div>
      {draft !== null ? (
        <div className="message-edit">
          <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
            {t('message.editLabel')}
          </label>
          <textarea id={`edit-${message.id}`} ref={editor} value={draft} onChange={(e) => setDraft(e.target.value)} onKeyDown={onEditorKey} rows={2} data-testid="message-edit-input" />
          <div className="message-edit-actions">
            <button type="button" className="button small primary" disabled={busy} onClick={() => void save()} data-testid="message-edit-save">
              {t('common.save')}
            </button>
            <button type="button" className="button small" onClick={finishEdit}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="bubble">
          <MessageBody message={message} />
        </div>
      )}
      <div className="message-meta">
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
        {message.editedAt && !message.deletedAt && <span data-testid="message-edited"> · {t('message.edited')}</span>}
        {seen && (
          <span className="seen" data-testid="seen-marker">
            {' '}
            · {t('message.seen')}
          </span>
        )}
        {editable && own && draft === null && !confirmDelete && (
          <span className="message-actions">
            {canEdit && (
              <button type="button" className="link-button" onClick={() => setDraft(String(message.data.content ?? ''))} data-testid="message-edit">
                {t('message.edit')}
              </button>
            )}
            <button type="button" className="link-button" onClick={() => setConfirmDelete(true)} data-testid="message-delete">
              {t('message.delete')}
            </button>
          </span>
        )}
        {confirmDelete && own && editable && (
          <span className="message-actions confirm">
            {t('message.deleteConfirm')}{' '}
            <button type="button" className="link-button danger" disabled={busy} onClick={() => void run(() => deleteOwn(chatId, message.id))} data-testid="message-delete-confirm">
              {t('message.delete')}
            </button>
            <button type="button" className="link-button" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </button>
          </span>
        )}
      </div>
    </li>
  );
}
