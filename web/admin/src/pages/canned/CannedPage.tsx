// The site's shared canned messages, which every agent of the site sees and inserts by typing
// "/shortcut" (each agent keeps its own in the console): adding, changing and deleting one.
import { useState } from 'react';
import { ConfirmDialog } from '../../../../console/src/components/ConfirmDialog.tsx';
import { deleteCanned, fetchSharedCanned } from '../../api/settings.ts';
import type { CannedMessage } from '../../api/types.ts';
import { LoadState, Page } from '../../components/Page.tsx';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { CannedDialog } from './CannedDialog.tsx';
import { useListChange } from '../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'edit' | 'delete'; item: CannedMessage };

const byShortcut = async () => (await fetchSharedCanned()).sort((a, b) => a.shortcut.localeCompare(b.shortcut));

export function CannedPage() {
  const t = useT();
  const canned = useLoad(byShortcut);
  const [open, setOpen] = useState<Open | null>(null);
  const { status, setStatus, error, setError, busy, change } = useListChange(() => {
    setOpen(null);
    canned.reload();
  });

  const remove = (item: CannedMessage) => change(() => deleteCanned(item.id), t('canned.deleted', { shortcut: item.shortcut }));

  const add = (
    <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="canned-add">
      {t('canned.add')}
    </button>
  );

  return (
    <Page id="canned" intro={t('canned.intro')} action={add}>
      <ErrorLine text={error} testId="canned-error" />
      <StatusLine text={status} testId="canned-status" />
      {!canned.data ? (
        <LoadState error={canned.error} onRetry={canned.reload} />
      ) : canned.data.length === 0 ? (
        <p className="empty-state" data-testid="canned-empty">
          {t('canned.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="canned-table">
            <caption className="visually-hidden">{t('canned.count', { count: canned.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('canned.shortcut')}</th>
                <th scope="col">{t('canned.title')}</th>
                <th scope="col">{t('canned.content')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {canned.data.map((c) => (
                <tr key={c.id} data-testid="canned-row" data-canned-id={c.id}>
                  <th scope="row">
                    <code>/{c.shortcut}</code>
                  </th>
                  <td>{c.title}</td>
                  <td className="clip-cell">{c.content}</td>
                  <td className="actions-cell">
                    <div className="row-actions">
                      <button type="button" className="button small" onClick={() => setOpen({ kind: 'edit', item: c })} aria-label={t('canned.editLabel', { shortcut: c.shortcut })} data-testid="canned-edit">
                        {t('canned.edit')}
                      </button>
                      <button type="button" className="button small danger-outline" onClick={() => setOpen({ kind: 'delete', item: c })} aria-label={t('canned.deleteLabel', { shortcut: c.shortcut })} data-testid="canned-delete">
                        {t('canned.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(open?.kind === 'create' || open?.kind === 'edit') && (
        <CannedDialog
          item={open.kind === 'edit' ? open.item : null}
          onClose={() => setOpen(null)}
          onSaved={(text) => {
            setOpen(null);
            setError(null);
            setStatus(text);
            canned.reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('canned.deleteTitle', { shortcut: open.item.shortcut })}
          text={t('canned.deleteText')}
          confirm={t('canned.delete')}
          danger
          busy={busy}
          testId="canned-delete-dialog"
          onConfirm={() => void remove(open.item)}
          onClose={() => setOpen(null)}
        />
      )}
    </Page>
  );
}
