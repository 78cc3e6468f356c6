// The site's groups (departments): their members; creating, renaming (with the members in the
// same dialog) and deleting one.
import { useState } from 'react';
import { ConfirmDialog } from '../../../../console/src/components/ConfirmDialog.tsx';
import { deleteGroup } from '../../api/panel.ts';
import { fetchTeam } from '../../api/team.ts';
import type { Group } from '../../api/types.ts';
import { LoadState, Page } from '../../components/Page.tsx';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { GroupDialog } from './GroupDialog.tsx';
import { useListChange } from '../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'edit' | 'delete'; group: Group };

export function GroupsPage() {
  const t = useT();
  const team = useLoad(fetchTeam);
  const [open, setOpen] = useState<Open | null>(null);
  const { status, setStatus, error, setError, busy, change } = useListChange(() => {
    setOpen(null);
    team.reload();
  });

  const remove = (group: Group) => change(() => deleteGroup(group.id), t('groups.deleted', { name: group.name }));

  const add = (
    <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="group-add">
      {t('groups.add')}
    </button>
  );
  const nameOf = (id: number) => team.data?.agents.find((a) => a.id === id)?.name;

  return (
    <Page id="groups" intro={t('groups.intro')} action={add}>
      <ErrorLine text={error} testId="groups-error" />
      <StatusLine text={status} testId="groups-status" />
      {!team.data ? (
        <LoadState error={team.error} onRetry={team.reload} />
      ) : team.data.groups.length === 0 ? (
        <p className="empty-state" data-testid="groups-empty">
          {t('groups.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="groups-table">
            <thead>
              <tr>
                <th scope="col">{t('groups.name')}</th>
                <th scope="col">{t('groups.members')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('groups.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {team.data.groups.map((group) => {
                const members = group.agentIds.map(nameOf).filter((n): n is string => n !== undefined);
                return (
                  <tr key={group.id} data-testid="group-row" data-group-id={group.id}>
                    <th scope="row">{group.name}</th>
                    <td data-testid="group-members">{members.length > 0 ? members.join(', ') : <span className="muted">{t('groups.noMembers')}</span>}</td>
                    <td className="actions-cell">
                      <div className="row-actions">
                        <button type="button" className="button small" onClick={() => setOpen({ kind: 'edit', group })} aria-label={t('groups.editLabel', { name: group.name })} data-testid="group-edit">
                          {t('groups.edit')}
                        </button>
                        <button type="button" className="button small danger-outline" onClick={() => setOpen({ kind: 'delete', group })} aria-label={t('groups.deleteLabel', { name: group.name })} data-testid="group-delete">
                          {t('groups.delete')}
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {team.data && (open?.kind === 'create' || open?.kind === 'edit') && (
        <GroupDialog
          group={open.kind === 'edit' ? open.group : null}
          agents={team.data.agents}
          onClose={() => setOpen(null)}
          onSaved={(text) => {
            setOpen(null);
            setError(null);
            setStatus(text);
            team.reload();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('groups.deleteTitle', { name: open.group.name })}
          text={t('groups.deleteText')}
          confirm={t('groups.delete')}
          danger
          busy={busy}
          testId="group-delete-dialog"
          onConfirm={() => void remove(open.group)}
          onClose={() => setOpen(null)}
        />
      )}
    </Page>
  );
}
