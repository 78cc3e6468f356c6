// Adding a shared canned message or changing one: the shortcut agents type after "/", a title and
// the text. A change sends only what changed.
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../console/src/components/Dialog.tsx';
import { errorsByField, problemText } from '../../api/problems.ts';
import { createSharedCanned, updateCanned } from '../../api/settings.ts';
import type { CannedMessage } from '../../api/types.ts';
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { ErrorLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';
import { FormActions } from '../../../../console/src/components/FormActions.tsx';

interface Props {
  /** null: a new message. */
  item: CannedMessage | null;
  onClose: () => void;
  onSaved: (status: string) => void;
}

type Field = 'shortcut' | 'title' | 'content';

export function CannedDialog({ item, onClose, onSaved }: Props) {
  const t = useT();
  const [draft, setDraft] = useState<Record<Field, string>>({ shortcut: item?.shortcut ?? '', title: item?.title ?? '', content: item?.content ?? '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const set = (f: Field) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [f]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblems(new Map());
    // Agents type "/thanks": a leading slash typed here is not part of the shortcut.
    const input = { shortcut: draft.shortcut.trim().replace(/^\//, ''), title: draft.title.trim(), content: draft.content.trim() };
    try {
      let saved: CannedMessage;
      if (item) {
        const change = Object.fromEntries(Object.entries(input).filter(([f, v]) => v !== item[f as Field]));
        saved = Object.keys(change).length > 0 ? await updateCanned(item.id, change) : item;
      } else {
        saved = await createSharedCanned(input);
      }
      onSaved(t(item ? 'canned.saved' : 'canned.created', { shortcut: saved.shortcut }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setProblems(errorsByField(err));
      setBusy(false);
    }
  }

  return (
    <Dialog title={item ? t('canned.editTitle', { shortcut: item.shortcut }) : t('canned.createTitle')} onClose={onClose} testId="canned-dialog" wide>
      <form onSubmit={submit} data-testid="canned-form">
        <div className="form-grid">
          <div className="field">
            <label htmlFor="canned-shortcut">{t('canned.shortcut')}</label>
            <input className="mono" required maxLength={33} spellCheck={false} value={draft.shortcut} onChange={set('shortcut')} {...describedBy('canned-shortcut', problems.get('shortcut'), 'canned-shortcut-hint')} data-testid="canned-shortcut" />
            <small className="hint" id="canned-shortcut-hint">
              {t('canned.shortcutHint')}
            </small>
            <FieldProblem id="canned-shortcut" text={problems.get('shortcut')} />
          </div>
          <div className="field">
            <label htmlFor="canned-title">{t('canned.title')}</label>
            <input required maxLength={100} value={draft.title} onChange={set('title')} {...describedBy('canned-title', problems.get('title'))} data-testid="canned-title" />
            <FieldProblem id="canned-title" text={problems.get('title')} />
          </div>
          <div className="field span-2">
            <label htmlFor="canned-content">{t('canned.content')}</label>
            <textarea required rows={5} maxLength={10000} value={draft.content} onChange={set('content')} {...describedBy('canned-content', problems.get('content'))} data-testid="canned-content" />
            <FieldProblem id="canned-content" text={problems.get('content')} />
          </div>
        </div>
        <ErrorLine text={error} testId="canned-form-error" />
        <FormActions submit={busy ? t('common.saving') : item ? t('common.save') : t('canned.add')} onCancel={onClose} disabled={busy} testId="canned-save" />
      </form>
    </Dialog>
  );
}
