// The site's shared canned messages, which every agent of the site sees and inserts by typing
// "/shortcut" (each agent keeps its own in the console): adding, changing and deleting one.
import { useState } from 'react';
import { deleteCanned, fetchSharedCanned } from '../../api/settings.ts';
import type { CannedMessage } from '../../api/types.ts';
import { ConfirmDelete, EditDeleteCell, ListTable } from '../../components/ListTable.tsx';
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
  const { status, error, busy, change, saved } = useListChange(() => {
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
      ) : (
        <ListTable testId="canned" count={canned.data.length} empty={t('canned.empty')} caption={t('canned.count', { count: canned.data.length })} columns={[t('canned.shortcut'), t('canned.title'), t('canned.content')]}>
          {canned.data.map((c) => (
            <tr key={c.id} data-testid="canned-row" data-canned-id={c.id}>
              <th scope="row">
                <code>/{c.shortcut}</code>
              </th>
              <td>{c.title}</td>
              <td className="clip-cell">{c.content}</td>
              <EditDeleteCell texts="canned" vars={{ shortcut: c.shortcut }} testId="canned" onEdit={() => setOpen({ kind: 'edit', item: c })} onDelete={() => setOpen({ kind: 'delete', item: c })} />
            </tr>
          ))}
        </ListTable>
      )}
      {(open?.kind === 'create' || open?.kind === 'edit') && <CannedDialog item={open.kind === 'edit' ? open.item : null} onClose={() => setOpen(null)} onSaved={saved} />}
      {open?.kind === 'delete' && <ConfirmDelete texts="canned" vars={{ shortcut: open.item.shortcut }} busy={busy} testId="canned-delete-dialog" onConfirm={() => void remove(open.item)} onClose={() => setOpen(null)} />}
    </Page>
  );
}
