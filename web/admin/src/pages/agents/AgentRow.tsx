// One agent in the list, with what can be done to it. Nobody deactivates, resets or deletes
// themselves (the server refuses it too).
import type { Agent, Group } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';

interface Props {
  agent: Agent;
  groups: Group[];
  self: boolean;
  busy: boolean;
  onEdit: () => void;
  onActive: (isActive: boolean) => void;
  onPassword: () => void;
  onDelete: () => void;
}

export function AgentRow({ agent, groups, self, busy, onEdit, onActive, onPassword, onDelete }: Props) {
  const t = useT();
  const name = agent.name;
  const groupNames = groups.filter((g) => g.agentIds.includes(agent.id)).map((g) => g.name);
  return (
    <tr data-testid="agent-row" data-agent-id={agent.id} data-active={agent.isActive} className={agent.isActive ? undefined : 'inactive'}>
      <th scope="row">
        <span className="agent-cell">
          {agent.avatarUrl ? <img className="avatar" src={agent.avatarUrl} alt="" width={28} height={28} /> : <span className="avatar avatar-initial" aria-hidden="true">{name.slice(0, 1).toUpperCase()}</span>}
          <span data-testid="agent-name-cell">{name}</span>
          {self && <span className="chip small">{t('agents.you')}</span>}
        </span>
      </th>
      <td>{agent.email}</td>
      <td>{t(`role.${agent.role}`)}</td>
      <td data-testid="agent-groups">{groupNames.join(', ')}</td>
      <td className="num">{agent.maxConcurrentChats}</td>
      <td className="num">{agent.priority}</td>
      <td>
        <span className={agent.isActive ? 'chip chip-active' : 'chip chip-ended'}>{agent.isActive ? t('agents.active') : t('agents.inactive')}</span>
      </td>
      <td className="actions-cell">
        <div className="row-actions">
          <button type="button" className="button small" onClick={onEdit} aria-label={t('agents.editLabel', { name })} data-testid="agent-edit">
            {t('agents.edit')}
          </button>
          {agent.isActive ? (
            <button type="button" className="button small" disabled={self || busy} onClick={() => onActive(false)} aria-label={t('agents.deactivateLabel', { name })} data-testid="agent-deactivate">
              {t('agents.deactivate')}
            </button>
          ) : (
            <button type="button" className="button small" disabled={busy} onClick={() => onActive(true)} aria-label={t('agents.reactivateLabel', { name })} data-testid="agent-reactivate">
              {t('agents.reactivate')}
            </button>
          )}
          <button type="button" className="button small" disabled={self} onClick={onPassword} aria-label={t('agents.resetPasswordLabel', { name })} data-testid="agent-password">
            {t('agents.resetPassword')}
          </button>
          <button type="button" className="button small danger-outline" disabled={self} onClick={onDelete} aria-label={t('agents.deleteLabel', { name })} data-testid="agent-delete">
            {t('agents.delete')}
          </button>
        </div>
      </td>
    </tr>
  );
}
