// Adds or changes one canned message.
import { type FormEvent, useState } from 'react';
import type { CannedMessage } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { useStore } from '../../state/store.ts';
import { saveCanned } from '../../state/teamActions.ts';
import { useAction } from '../hooks.ts';
import { FormActions } from '../FormActions.tsx';

export function CannedForm({ item, onDone }: { item: CannedMessage | null; onDone: () => void }) {
  const t = useT();
  const [shortcut, setShortcut] = useState(item?.shortcut ?? '');
  const [title, setTitle] = useState(item?.title ?? '');
  const [content, setContent] = useState(item?.content ?? '');
  const [shared, setShared] = useState(false);
  // Only site admins share with the whole site, and only when adding (a change keeps it as it is).
  const canShare = useStore((s) => s.me?.role === 'admin') && item === null;
  const [run, busy] = useAction();

  async function submit(e: FormEvent) {
    e.preventDefault();
    const input = { shortcut: shortcut.trim().replace(/^\//, ''), title: title.trim(), content: content.trim(), ...(canShare && shared ? { shared } : {}) };
    if (await run(() => saveCanned(item?.id ?? null, input))) onDone();
  }

  return (
    <form className="canned-form card" onSubmit={submit} aria-label={item ? t('canned.editTitle') : t('canned.addTitle')} data-testid="canned-form">
      <div className="form-row">
        <label className="field">
          <span>{t('canned.shortcut')}</span>
          <input
            value={shortcut}
            onChange={(e) => setShortcut(e.target.value)}
            required
            maxLength={33}
            pattern="/?[A-Za-z0-9][A-Za-z0-9_\-]{0,31}"
            aria-describedby="canned-shortcut-hint"
            data-testid="canned-shortcut"
          />
          <small id="canned-shortcut-hint" className="hint">
            {t('canned.shortcutHint')}
          </small>
        </label>
        <label className="field grow">
          <span>{t('canned.titleField')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={120} data-testid="canned-title" />
        </label>
      </div>
      <label className="field">
        <span>{t('canned.content')}</span>
        <textarea value={content} onChange={(e) => setContent(e.target.value)} required rows={3} maxLength={5000} data-testid="canned-content" />
      </label>
      {canShare && (
        <label className="check-field">
          <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} data-testid="canned-shared" />
          <span>{t('canned.shareWithTeam')}</span>
        </label>
      )}
      <FormActions submit={t('common.save')} onCancel={onDone} disabled={busy} testId="canned-save" />
    </form>
  );
}
