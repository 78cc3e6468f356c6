// Adding an agent or changing one: name, e-mail, picture, chats at once, routing tier, groups (and
// the role, for site admins). Only what changed is sent; groups change one group at a time.
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../console/src/components/Dialog.tsx';
import { createAgent, setGroupMembers, updateAgent } from '../../api/panel.ts';
import { problemText } from '../../api/problems.ts';
import { placeInGroups } from '../../api/team.ts';
import type { Agent, AgentChange, Group, Role } from '../../api/types.ts';
import { ErrorLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';
import { generatePassword } from './password.ts';
import { FormActions } from '../../../../console/src/components/FormActions.tsx';

interface Props {
  /** null: a new agent. */
  agent: Agent | null;
  groups: Group[];
  /** The viewer is a site admin changing someone else: the role may change. */
  canSetRole: boolean;
  onClose: () => void;
  onSaved: (status: string) => void;
}

interface Draft {
  name: string;
  email: string;
  password: string;
  avatarUrl: string;
  maxChats: string;
  tier: string;
  role: Role;
  groupIds: Set<number>;
}

function draftOf(agent: Agent | null, groups: Group[]): Draft {
  return {
    name: agent?.name ?? '',
    email: agent?.email ?? '',
    password: '',
    avatarUrl: agent?.avatarUrl ?? '',
    maxChats: agent ? String(agent.maxConcurrentChats) : '',
    tier: String(agent?.priority ?? 1),
    role: agent?.role ?? 'agent',
    groupIds: new Set(agent ? groups.filter((g) => g.agentIds.includes(agent.id)).map((g) => g.id) : []),
  };
}

/** What differs from the agent as it is. */
function changesOf(agent: Agent, d: Draft): AgentChange {
  const change: AgentChange = {};
  if (d.name.trim() !== agent.name) change.name = d.name.trim();
  if (d.email.trim() !== agent.email) change.email = d.email.trim();
  if (d.avatarUrl.trim() !== (agent.avatarUrl ?? '')) change.avatarUrl = d.avatarUrl.trim() || null;
  if (d.maxChats !== '' && Number(d.maxChats) !== agent.maxConcurrentChats) change.maxConcurrentChats = Number(d.maxChats);
  if (Number(d.tier) !== agent.priority) change.priority = Number(d.tier);
  if (d.role !== agent.role) change.role = d.role;
  return change;
}

/** Creates the agent, then what POST does not take (the tier). */
async function create(d: Draft, canSetRole: boolean): Promise<Agent> {
  const created = await createAgent({
    email: d.email.trim(),
    name: d.name.trim(),
    password: d.password,
    ...(canSetRole ? { role: d.role } : {}),
    ...(d.maxChats !== '' ? { maxConcurrentChats: Number(d.maxChats) } : {}),
    ...(d.avatarUrl.trim() ? { avatarUrl: d.avatarUrl.trim() } : {}),
  });
  return Number(d.tier) === created.priority ? created : updateAgent(created.id, { priority: Number(d.tier) });
}

export function AgentDialog({ agent, groups, canSetRole, onClose, onSaved }: Props) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(agent, groups));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (field: keyof Omit<Draft, 'groupIds'>) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: e.target.value }));

  function toggleGroup(id: number, on: boolean) {
    setDraft((d) => {
      const groupIds = new Set(d.groupIds);
      if (on) groupIds.add(id);
      else groupIds.delete(id);
      return { ...d, groupIds };
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let saved: Agent;
      if (agent) {
        const change = changesOf(agent, draft);
        saved = Object.keys(change).length > 0 ? await updateAgent(agent.id, change) : agent;
      } else {
        saved = await create(draft, canSetRole);
      }
      await placeInGroups(saved.id, groups, draft.groupIds, setGroupMembers);
      onSaved(t(agent ? 'agents.saved' : 'agents.created', { name: saved.name }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setBusy(false);
    }
  }

  return (
    <Dialog title={agent ? t('agentForm.editTitle', { name: agent.name }) : t('agentForm.createTitle')} onClose={onClose} testId="agent-dialog" wide>
      <form onSubmit={submit} className="form-grid" data-testid="agent-form">
        <label className="field">
          <span>{t('agents.name')}</span>
          <input required maxLength={200} value={draft.name} onChange={set('name')} data-testid="agent-form-name" />
        </label>
        <label className="field">
          <span>{t('agents.email')}</span>
          <input type="email" required maxLength={254} autoComplete="off" value={draft.email} onChange={set('email')} data-testid="agent-form-email" />
        </label>
        {!agent && (
          <div className="field span-2">
            <label htmlFor="agent-form-password">{t('agentForm.password')}</label>
            <div className="input-with-button">
              <input
                id="agent-form-password"
                required
                minLength={8}
                maxLength={200}
                autoComplete="new-password"
                spellCheck={false}
                value={draft.password}
                onChange={set('password')}
                aria-describedby="agent-form-password-hint"
                data-testid="agent-form-password"
              />
              <button type="button" className="button" onClick={() => setDraft((d) => ({ ...d, password: generatePassword() }))} data-testid="agent-form-generate">
                {t('agentForm.generate')}
              </button>
            </div>
            <small className="hint" id="agent-form-password-hint">
              {t('agentForm.passwordHint')}
            </small>
          </div>
        )}
        <label className="field span-2">
          <span>{t('agentForm.avatarUrl')}</span>
          <input type="url" maxLength={2048} value={draft.avatarUrl} onChange={set('avatarUrl')} aria-describedby="agent-form-avatar-hint" data-testid="agent-form-avatar" />
          <small className="hint" id="agent-form-avatar-hint">
            {t('agentForm.avatarHint')}
          </small>
        </label>
        <label className="field">
          <span>{t('agents.maxChats')}</span>
          <input type="number" min={1} max={1000} required={agent !== null} value={draft.maxChats} onChange={set('maxChats')} aria-describedby="agent-form-max-hint" data-testid="agent-form-max-chats" />
          {!agent && (
            <small className="hint" id="agent-form-max-hint">
              {t('agentForm.maxChatsHint')}
            </small>
          )}
        </label>
        <label className="field">
          <span>{t('agents.tier')}</span>
          <input type="number" min={1} max={100} required value={draft.tier} onChange={set('tier')} aria-describedby="agent-form-tier-hint" data-testid="agent-form-tier" />
          <small className="hint" id="agent-form-tier-hint">
            {t('agentForm.tierHint')}
          </small>
        </label>
        {canSetRole && (
          <label className="field">
            <span>{t('agents.role')}</span>
            <select value={draft.role} onChange={(e) => setDraft((d) => ({ ...d, role: e.target.value as Role }))} data-testid="agent-form-role">
              <option value="agent">{t('role.agent')}</option>
              <option value="admin">{t('role.admin')}</option>
            </select>
          </label>
        )}
        <fieldset className="choice-group span-2" data-testid="agent-form-groups">
          <legend>{t('agents.groups')}</legend>
          {groups.length === 0 ? (
            <p className="hint">{t('agentForm.noGroups')}</p>
          ) : (
            <ul>
              {groups.map((g) => (
                <li key={g.id}>
                  <label className="choice">
                    <input type="checkbox" checked={draft.groupIds.has(g.id)} onChange={(e) => toggleGroup(g.id, e.target.checked)} data-testid="agent-form-group" data-group-id={g.id} />
                    {g.name}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <div className="span-2">
          <ErrorLine text={error} testId="agent-form-error" />
          <FormActions submit={busy ? t('common.saving') : agent ? t('common.save') : t('agentForm.create')} onCancel={onClose} disabled={busy} testId="agent-form-save" />
        </div>
      </form>
    </Dialog>
  );
}
