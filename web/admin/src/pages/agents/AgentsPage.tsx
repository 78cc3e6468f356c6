// The site's agents: who they are, their groups, capacity and routing tier, whether they may sign
// in; adding one, changing one, deactivating, resetting a password, deleting.
import { useState } from 'react';
import { ConfirmDialog } from '../../../../console/src/components/ConfirmDialog.tsx';
import { deleteAgent, updateAgent } from '../../api/panel.ts';
import { fetchTeam } from '../../api/team.ts';
import type { Agent } from '../../api/types.ts';
import { LoadState, Page } from '../../components/Page.tsx';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { useStore } from '../../state/store.ts';
import { AgentDialog } from './AgentDialog.tsx';
import { AgentRow } from './AgentRow.tsx';
import { PasswordDialog } from './PasswordDialog.tsx';
import { useListChange } from '../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'edit' | 'password' | 'delete'; agent: Agent };

export function AgentsPage() {
  const t = useT();
  const team = useLoad(fetchTeam);
  const me = useStore((s) => s.session?.agentId);
  const viewerIsAdmin = useStore((s) => s.access?.role === 'admin');
  const [open, setOpen] = useState<Open | null>(null);
  const { status, setStatus, error, setError, busy, change } = useListChange(() => {
    setOpen(null);
    team.reload();
  });


  const setActive = (agent: Agent, isActive: boolean) =>
    change(() => updateAgent(agent.id, { isActive }), t(isActive ? 'agents.reactivated' : 'agents.deactivated', { name: agent.name }));

  const add = (
    <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="agent-add">
      {t('agents.add')}
    </button>
  );

  return (
    <Page id="agents" intro={t('agents.intro')} action={add}>
      <ErrorLine text={error} testId="agents-error" />
      <StatusLine text={status} testId="agents-status" />
      {!team.data ? (
        <LoadState error={team.error} onRetry={team.reload} />
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="agents-table">
            <caption className="visually-hidden">{t('agents.count', { count: team.data.agents.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agents.name')}</th>
                <th scope="col">{t('agents.email')}</th>
                <th scope="col">{t('agents.role')}</th>
                <th scope="col">{t('agents.groups')}</th>
                <th scope="col">{t('agents.maxChats')}</th>
                <th scope="col">{t('agents.tier')}</th>
                <th scope="col">{t('agents.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('agents.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {team.data.agents.map((agent) => (
                <AgentRow
                  key={agent.id}
                  agent={agent}
                  groups={team.data?.groups ?? []}
                  self={agent.id === me}
                  busy={busy}
                  onEdit={() => setOpen({ kind: 'edit', agent })}
                  onActive={(on) => void setActive(agent, on)}
                  onPassword={() => setOpen({ kind: 'password', agent })}
                  onDelete={() => setOpen({ kind: 'delete', agent })}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {team.data && (open?.kind === 'create' || open?.kind === 'edit') && (
        <AgentDialog
          agent={open.kind === 'edit' ? open.agent : null}
          groups={team.data.groups}
          canSetRole={viewerIsAdmin && (open.kind === 'create' || open.agent.id !== me)}
          onClose={() => setOpen(null)}
          onSaved={(text) => {
            setOpen(null);
            setError(null);
            setStatus(text);
            team.reload();
          }}
        />
      )}
      {open?.kind === 'password' && <PasswordDialog agent={open.agent} onClose={() => setOpen(null)} />}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('agents.deleteTitle', { name: open.agent.name })}
          text={t('agents.deleteText', { name: open.agent.name })}
          confirm={t('agents.delete')}
          danger
          busy={busy}
          testId="agent-delete-dialog"
          onConfirm={() => void change(() => deleteAgent(open.agent.id), t('agents.deleted', { name: open.agent.name }))}
          onClose={() => setOpen(null)}
        />
      )}
    </Page>
  );
}
