// Ends a chat with its wrap-up (category and note), or adds the wrap-up to a chat already ended.
import { type FormEvent, useId, useState } from 'react';
import { type Key, useT } from '../../i18n/i18n.ts';
import { end, wrapUp } from '../../state/chatActions.ts';
import { Dialog } from '../Dialog.tsx';
import { useAction } from '../hooks.ts';

const CATEGORIES: Key[] = ['wrapup.cat.question', 'wrapup.cat.sales', 'wrapup.cat.support', 'wrapup.cat.billing', 'wrapup.cat.complaint', 'wrapup.cat.spam', 'wrapup.cat.other'];

export function EndChatDialog({ chatId, ended, onClose }: { chatId: number; ended: boolean; onClose: () => void }) {
  const t = useT();
  const [category, setCategory] = useState('');
  const [note, setNote] = useState('');
  const [run, busy] = useAction();
  const listId = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const data = { ...(category.trim() ? { category: category.trim() } : {}), ...(note.trim() ? { note: note.trim() } : {}) };
    const empty = Object.keys(data).length === 0;
    const ok = await run(() => (ended ? (empty ? Promise.resolve() : wrapUp(chatId, data)) : end(chatId, empty ? undefined : data)));
    if (ok) onClose();
  }

  return (
    <Dialog title={ended ? t('wrapup.title') : t('end.title')} onClose={onClose} testId="end-dialog">
      <form onSubmit={submit}>
        {!ended && <p>{t('end.text')}</p>}
        <label className="field">
          <span>{t('wrapup.category')}</span>
          <input type="text" list={listId} value={category} onChange={(e) => setCategory(e.target.value)} maxLength={100} data-testid="wrapup-category" />
          <datalist id={listId}>
            {CATEGORIES.map((key) => (
              <option key={key} value={t(key)} />
            ))}
          </datalist>
        </label>
        <label className="field">
          <span>{t('wrapup.note')}</span>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={4} maxLength={2000} data-testid="wrapup-note" />
        </label>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={ended ? 'button primary' : 'button danger'} disabled={busy} data-testid="end-confirm">
            {ended ? t('wrapup.save') : t('end.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
