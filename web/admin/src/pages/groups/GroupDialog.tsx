// Creating a group or changing one: its name and its members. Only what changed is sent (a rename,
// the new member list).
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../console/src/components/Dialog.tsx';
import { createGroup, renameGroup, setGroupMembers } from '../../api/panel.ts';
import { problemText } from '../../api/problems.ts';
import type { Agent, Group } from '../../api/types.ts';
import { ErrorLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';
import { FormActions } from '../../../../console/src/components/FormActions.tsx';

interface Props {
  /** null: a new group. */
  group: Group | null;
  agents: Agent[];
  onClose: () => void;
  onSaved: (status: string) => void;
}

const sameMembers = (a: number[], b: ReadonlySet<number>) => a.length === b.size && a.every((id) => b.has(id));

export function GroupDialog({ group, agents, onClose, onSaved }: Props) {
  const t = useT();
  const [name, setName] = useState(group?.name ?? '');
  const [members, setMembers] = useState<Set<number>>(() => new Set(group?.agentIds ?? []));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function toggle(id: number, on: boolean) {
    setMembers((m) => {
      const next = new Set(m);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const trimmed = name.trim();
    // Members in the list's order, so the request reads like the screen.
    const agentIds = agents.filter((a) => members.has(a.id)).map((a) => a.id);
    try {
      if (!group) {
        await createGroup(trimmed, agentIds);
      } else {
        if (trimmed !== group.name) await renameGroup(group.id, trimmed);
        if (!sameMembers(group.agentIds, members)) await setGroupMembers(group.id, agentIds);
      }
      onSaved(t(group ? 'groups.saved' : 'groups.created', { name: trimmed }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setBusy(false);
    }
  }

  return (
    <Dialog title={group ? t('groupForm.editTitle', { name: group.name }) : t('groupForm.createTitle')} onClose={onClose} testId="group-dialog">
      <form onSubmit={submit} data-testid="group-form">
        <label className="field">
          <span>{t('groups.name')}</span>
          <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} data-testid="group-form-name" />
        </label>
        <fieldset className="choice-group">
          <legend>{t('groups.members')}</legend>
          <ul>
            {agents.map((a) => (
              <li key={a.id}>
                <label className="choice">
                  <input type="checkbox" checked={members.has(a.id)} onChange={(e) => toggle(a.id, e.target.checked)} data-testid="group-form-member" data-agent-id={a.id} />
                  {a.name}
                  <small className="muted">{a.email}</small>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <ErrorLine text={error} testId="group-form-error" />
        <FormActions submit={busy ? t('common.saving') : group ? t('common.save') : t('groupForm.create')} onCancel={onClose} disabled={busy} testId="group-form-save" />
      </form>
    </Dialog>
  );
}
