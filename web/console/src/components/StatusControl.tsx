// The agent's status (online, away, offline) and how many chats it carries of how many it may.
import type { AgentStatus } from '../api/types.ts';
import { useT } from '../i18n/i18n.ts';
import { activeCount } from '../state/chatState.ts';
import { useStore } from '../state/store.ts';
import { setStatus } from '../state/teamActions.ts';
import { useAction } from './hooks.ts';

const STATUSES: AgentStatus[] = ['online', 'away', 'offline'];

export function StatusControl() {
  const t = useT();
  const me = useStore((s) => s.me);
  const count = useStore(activeCount);
  const [run, busy] = useAction();
  const status = me?.status ?? 'offline';
  return (
    <div className="status-control">
      <span className={`status-dot status-${status}`} aria-hidden="true" />
      <label className="compact-field">
        <span className="visually-hidden">{t('status.label')}</span>
        <select
          value={status}
          disabled={!me || busy}
          aria-label={t('status.label')}
          onChange={(e) => void run(() => setStatus(e.target.value as AgentStatus))}
          data-testid="status-select"
        >
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <span className="capacity" data-testid="capacity" title={t('status.capacityHint')}>
        {t('status.capacity', { count, max: me?.maxConcurrentChats ?? '–' })}
      </span>
    </div>
  );
}
