// Transfer a chat to an online colleague or to a group (whose next free member gets it).
import { type FormEvent, useEffect, useState } from 'react';
import { useT } from '../../i18n/i18n.ts';
import { transfer } from '../../state/chatActions.ts';
import { useStore } from '../../state/store.ts';
import { refreshTeam } from '../../state/teamActions.ts';
import { Dialog } from '../Dialog.tsx';
import { useAction } from '../hooks.ts';

type Target = { kind: 'agent'; id: number } | { kind: 'group'; id: number };

export function TransferDialog({ chatId, onClose }: { chatId: number; onClose: () => void }) {
  const t = useT();
  const me = useStore((s) => s.session?.agentId);
  const agents = useStore((s) => s.agents);
  const groups = useStore((s) => s.groups);
  const [target, setTarget] = useState<Target | null>(null);
  const [run, busy] = useAction();
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    refreshTeam()
      .catch(() => undefined)
      .finally(() => setLoading(false));
  }, []);

  const online = agents.filter((a) => a.id !== me && a.isActive && a.status === 'online');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) return;
    const to = target.kind === 'agent' ? { agentId: target.id } : { groupId: target.id };
    if (await run(() => transfer(chatId, to))) onClose();
  }

  const option = (kind: Target['kind'], id: number, label: string, detail?: string) => (
    <li key={`${kind}-${id}`}>
      <label className="choice" data-testid="transfer-option" data-kind={kind} data-id={id}>
        <input type="radio" name="transfer-target" checked={target?.kind === kind && target.id === id} onChange={() => setTarget({ kind, id })} />
        <span>{label}</span>
        {detail && <small className="muted">{detail}</small>}
      </label>
    </li>
  );

  return (
    <Dialog title={t('transfer.title')} onClose={onClose} testId="transfer-dialog">
      <form onSubmit={submit}>
        {loading && agents.length === 0 && <p className="muted">{t('common.loading')}</p>}
        <fieldset className="choice-group">
          <legend>{t('transfer.agents')}</legend>
          {online.length === 0 ? <p className="muted">{t('transfer.noAgents')}</p> : <ul>{online.map((a) => option('agent', a.id, a.name, a.email))}</ul>}
        </fieldset>
        <fieldset className="choice-group">
          <legend>{t('transfer.groups')}</legend>
          {groups.length === 0 ? (
            <p className="muted">{t('transfer.noGroups')}</p>
          ) : (
            <ul>{groups.map((g) => option('group', g.id, g.name, t('transfer.members', { count: g.agentIds.length })))}</ul>
          )}
        </fieldset>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={!target || busy} data-testid="transfer-confirm">
            {t('transfer.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
