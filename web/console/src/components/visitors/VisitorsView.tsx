// Who is on the site now, live: pages, where from, how long, chats, and what the agent can do.
import { useEffect, useMemo, useState } from 'react';
import type { VisitorPresence } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { useStore } from '../../state/store.ts';
import { ConfirmDialog } from '../ConfirmDialog.tsx';
import { useAction } from '../hooks.ts';
import { ban } from '../../state/visitorActions.ts';
import { reloadVisitors } from '../../state/visitorState.ts';
import { InviteDialog } from './InviteDialog.tsx';
import { VisitorRow } from './VisitorRow.tsx';

type Filter = 'all' | 'chatting' | 'idle';

const VISITOR_REFRESH_MS = 30_000;

function sortVisitors(list: VisitorPresence[]): VisitorPresence[] {
  // Newest arrivals first: those are the ones worth an invitation.
  return [...list].sort((a, b) => (b.visitStartedAt ?? b.createdAt).localeCompare(a.visitStartedAt ?? a.createdAt));
}

export function VisitorsView() {
  const t = useT();
  const visitors = useStore((s) => s.visitors);
  const [filter, setFilter] = useState<Filter>('all');
  const [inviting, setInviting] = useState<VisitorPresence | null>(null);
  const [banning, setBanning] = useState<VisitorPresence | null>(null);
  const [run, busy] = useAction();

  // Not every change of a visitor's chat reaches the site channel (another agent's chat ending):
  // while the list is on screen it is refreshed now and then as well.
  useEffect(() => {
    const timer = setInterval(() => void reloadVisitors().catch(() => undefined), VISITOR_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const list = useMemo(() => {
    const all = sortVisitors(Object.values(visitors));
    if (filter === 'chatting') return all.filter((v) => v.chat);
    if (filter === 'idle') return all.filter((v) => !v.chat);
    return all;
  }, [visitors, filter]);
  const online = Object.values(visitors).filter((v) => v.online).length;

  return (
    <section className="visitors-view" aria-labelledby="visitors-title" data-testid="visitors-view">
      <div className="view-header">
        <h1 id="visitors-title">
          {t('visitors.title')} <span className="count" data-testid="visitors-count">{online}</span>
        </h1>
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('visitors.filter')}</legend>
          {(['all', 'chatting', 'idle'] as const).map((f) => (
            <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)} data-testid={`visitors-filter-${f}`}>
              {t(`visitors.filter.${f}`)}
            </button>
          ))}
        </fieldset>
      </div>
      {list.length === 0 ? (
        <div className="empty-state" data-testid="visitors-empty">
          <p>{t('visitors.none')}</p>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="visitors-table">
            <caption className="visually-hidden">{t('visitors.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('visitors.col.visitor')}</th>
                <th scope="col">{t('visitors.col.page')}</th>
                <th scope="col">{t('visitors.col.referrer')}</th>
                <th scope="col">{t('visitors.col.location')}</th>
                <th scope="col">{t('visitors.col.time')}</th>
                <th scope="col">{t('visitors.col.views')}</th>
                <th scope="col">{t('visitors.col.chat')}</th>
                <th scope="col">{t('visitors.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((v) => (
                <VisitorRow key={v.id} visitor={v} onInvite={() => setInviting(v)} onBan={() => setBanning(v)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {inviting && <InviteDialog visitor={inviting} onClose={() => setInviting(null)} />}
      {banning && (
        <ConfirmDialog
          title={t('visitors.banTitle')}
          text={t('visitors.banText', { name: banning.name || banning.email || t('visitor.anonymous', { id: banning.id }) })}
          confirm={t('visitor.ban')}
          busy={busy}
          danger
          testId="ban-dialog"
          onClose={() => setBanning(null)}
          onConfirm={() => void run(() => ban(banning.id)).then((ok) => ok && setBanning(null))}
        />
      )}
    </section>
  );
}
