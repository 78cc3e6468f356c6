// The agent's canned messages: typed as "/shortcut" in a composer. Own ones can be changed;
// shared ones (the site's) are listed for reference.
import { useEffect, useState } from 'react';
import type { CannedMessage } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { useStore } from '../../state/store.ts';
import { reloadCanned, removeCanned } from '../../state/teamActions.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { useAction } from '../hooks.ts';
import { CannedForm } from './CannedForm.tsx';

export function CannedView() {
  const t = useT();
  const canned = useStore((s) => s.canned);
  const me = useStore((s) => s.session?.agentId);
  const [editing, setEditing] = useState<CannedMessage | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CannedMessage | null>(null);
  const [run, busy] = useAction();

  useEffect(() => {
    void run(reloadCanned);
  }, [run]);

  const isAdmin = useStore((s) => s.me?.role === 'admin');
  // Your own ones; shared ones (no author) are the site admins' to change.
  const own = (c: CannedMessage) => (c.agentId === undefined || c.agentId === null ? !c.shared : c.agentId === me);
  const editable = (c: CannedMessage) => own(c) || (c.shared && isAdmin);
  const sorted = [...canned].sort((a, b) => a.shortcut.localeCompare(b.shortcut));

  return (
    <section className="canned-view" aria-labelledby="canned-title" data-testid="canned-manager">
      <div className="view-header">
        <h1 id="canned-title">{t('canned.title')}</h1>
        <button type="button" className="button primary" onClick={() => setEditing('new')} data-testid="canned-add">
          {t('canned.add')}
        </button>
      </div>
      <p className="hint">{t('canned.help')}</p>
      {editing && <CannedForm item={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      {sorted.length === 0 ? (
        <p className="muted empty-state">{t('canned.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="canned-table">
            <caption className="visually-hidden">{t('canned.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('canned.shortcut')}</th>
                <th scope="col">{t('canned.titleField')}</th>
                <th scope="col">{t('canned.content')}</th>
                <th scope="col">{t('canned.owner')}</th>
                <th scope="col">{t('visitors.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((c) => (
                <tr key={c.id} data-testid="canned-row" data-canned-id={c.id}>
                  <th scope="row">
                    <code>/{c.shortcut}</code>
                  </th>
                  <td>{c.title}</td>
                  <td className="canned-content-cell">{c.content}</td>
                  <td>{own(c) ? t('canned.mine') : t('canned.shared')}</td>
                  <td className="actions-cell">
                    {editable(c) && (
                      <div className="row-actions">
                        <button type="button" className="button small" onClick={() => setEditing(c)} data-testid="canned-edit" aria-label={`${t('common.edit')}: /${c.shortcut}`}>
                          {t('common.edit')}
                        </button>
                        <button type="button" className="button small danger-outline" onClick={() => setDeleting(c)} data-testid="canned-delete" aria-label={`${t('common.delete')}: /${c.shortcut}`}>
                          {t('common.delete')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('canned.deleteTitle')}
          text={t('canned.deleteText', { shortcut: deleting.shortcut })}
          confirm={t('common.delete')}
          danger
          busy={busy}
          testId="canned-delete-dialog"
          onClose={() => setDeleting(null)}
          onConfirm={() => void run(() => removeCanned(deleting.id)).then((ok) => ok && setDeleting(null))}
        />
      )}
    </section>
  );
}
