// The site's IM API keys, which its own applications call the IM API with: their names, how they
// start, when they were made and last used; creating one (shown once), revoking one, deleting a
// revoked one. Several may be active at once, so a key is replaced without downtime.
import { useState } from 'react';
import { ConfirmDialog } from '../../../../console/src/components/ConfirmDialog.tsx';
import { formatDateTime } from '../../../../console/src/i18n/format.ts';
import { deleteImKey, fetchImKeys, revokeImKey } from '../../api/settings.ts';
import type { ImKey } from '../../api/types.ts';
import { ConfirmDelete, ListTable } from '../../components/ListTable.tsx';
import { LoadState, Page } from '../../components/Page.tsx';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { NewKeyDialog } from './NewKeyDialog.tsx';
import { useListChange } from '../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'revoke' | 'delete'; key: ImKey };

export function ImKeysPage() {
  const t = useT();
  const keys = useLoad(fetchImKeys);
  const [open, setOpen] = useState<Open | null>(null);
  const { status, setStatus, error, setError, busy, change } = useListChange(() => {
    setOpen(null);
    keys.reload();
  });

  const add = (
    <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="imkey-add">
      {t('imKeys.add')}
    </button>
  );
  const when = (at: string | null) => (at ? formatDateTime(at) : t('imKeys.never'));

  return (
    <Page id="imKeys" intro={t('imKeys.intro')} action={add}>
      <ErrorLine text={error} testId="imkeys-error" />
      <StatusLine text={status} testId="imkeys-status" />
      {!keys.data ? (
        <LoadState error={keys.error} onRetry={keys.reload} />
      ) : (
        <ListTable testId="imkeys" count={keys.data.length} empty={t('imKeys.empty')} caption={t('imKeys.count', { count: keys.data.length })} columns={[t('imKeys.name'), t('imKeys.prefix'), t('imKeys.created'), t('imKeys.lastUsed'), t('imKeys.state')]}>
          {keys.data.map((k) => (
            <tr key={k.id} data-testid="imkey-row" data-key-id={k.id} data-revoked={k.revokedAt !== null} className={k.revokedAt ? 'inactive' : undefined}>
              <th scope="row">{k.name}</th>
              <td className="mono">{k.prefix}…</td>
              <td>{formatDateTime(k.createdAt)}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td>
                <span className={k.revokedAt ? 'chip chip-ended' : 'chip chip-active'}>{k.revokedAt ? t('imKeys.revoked') : t('imKeys.active')}</span>
              </td>
              <td className="actions-cell">
                <div className="row-actions">
                  {k.revokedAt === null ? (
                    <button type="button" className="button small danger-outline" onClick={() => setOpen({ kind: 'revoke', key: k })} aria-label={t('imKeys.revokeLabel', { name: k.name })} data-testid="imkey-revoke">
                      {t('imKeys.revoke')}
                    </button>
                  ) : (
                    <button type="button" className="button small danger-outline" onClick={() => setOpen({ kind: 'delete', key: k })} aria-label={t('imKeys.deleteLabel', { name: k.name })} data-testid="imkey-delete">
                      {t('imKeys.delete')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {open?.kind === 'create' && (
        <NewKeyDialog
          onClose={() => setOpen(null)}
          onCreated={(key) => {
            setError(null);
            setStatus(t('imKeys.createdStatus', { name: key.name }));
            keys.reload();
          }}
        />
      )}
      {open?.kind === 'revoke' && (
        <ConfirmDialog
          title={t('imKeys.revokeTitle', { name: open.key.name })}
          text={t('imKeys.revokeText')}
          confirm={t('imKeys.revoke')}
          danger
          busy={busy}
          testId="imkey-revoke-dialog"
          onConfirm={() => void change(() => revokeImKey(open.key.id), t('imKeys.revokedStatus', { name: open.key.name }))}
          onClose={() => setOpen(null)}
        />
      )}
      {open?.kind === 'delete' && <ConfirmDelete texts="imKeys" vars={{ name: open.key.name }} busy={busy} testId="imkey-delete-dialog" onConfirm={() => void change(() => deleteImKey(open.key.id), t('imKeys.deleted', { name: open.key.name }))} onClose={() => setOpen(null)} />}
    </Page>
  );
}
