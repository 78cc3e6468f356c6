// The site's groups (departments): their members; creating, renaming (with the members in the
// same dialog) and deleting one.
import { useState } from 'react';
import { deleteGroup } from '../../api/panel.ts';
import { fetchTeam } from '../../api/team.ts';
import type { Group } from '../../api/types.ts';
import { ConfirmDelete, EditDeleteCell, ListTable } from '../../components/ListTable.tsx';
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
  const { status, error, busy, change, saved } = useListChange(() => {
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
      ) : (
        <ListTable testId="groups" count={team.data.groups.length} empty={t('groups.empty')} columns={[t('groups.name'), t('groups.members')]} actions={t('groups.actions')}>
          {team.data.groups.map((group) => {
            const members = group.agentIds.map(nameOf).filter((n): n is string => n !== undefined);
            return (
              <tr key={group.id} data-testid="group-row" data-group-id={group.id}>
                <th scope="row">{group.name}</th>
                <td data-testid="group-members">{members.length > 0 ? members.join(', ') : <span className="muted">{t('groups.noMembers')}</span>}</td>
                <EditDeleteCell texts="groups" vars={{ name: group.name }} testId="group" onEdit={() => setOpen({ kind: 'edit', group })} onDelete={() => setOpen({ kind: 'delete', group })} />
              </tr>
            );
          })}
        </ListTable>
      )}
      {team.data && (open?.kind === 'create' || open?.kind === 'edit') && <GroupDialog group={open.kind === 'edit' ? open.group : null} agents={team.data.agents} onClose={() => setOpen(null)} onSaved={saved} />}
      {open?.kind === 'delete' && <ConfirmDelete texts="groups" vars={{ name: open.group.name }} busy={busy} testId="group-delete-dialog" onConfirm={() => void remove(open.group)} onClose={() => setOpen(null)} />}
    </Page>
  );
}
