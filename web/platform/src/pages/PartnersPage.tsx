// Partners: every partner, searched by name or slug, with its status; a requested new name,
// approved or refused here (a filter keeps only the partners waiting for that); suspend (after a
// question) and reactivate; and Settings, which opens the partner's portal pages acting on it.
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../../console/src/components/ConfirmDialog.tsx';
import { ErrorLine, StatusLine } from '../../../admin/src/components/Status.tsx';
import { ListTable } from '../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../admin/src/components/useLoad.ts';
import { problemText } from '../../../admin/src/api/problems.ts';
import { decidePartnerName, listPartners, type Partner, setPartnerActive } from '../api/platform.ts';
import { AppLink } from '../components/AppLink.tsx';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';
import { actingHref } from '../state/pages.ts';
import { openActing } from '../state/session.ts';
import '../styles/partners.css';

type Filter = 'all' | 'pendingName';

export function PartnersPage() {
  const t = useT();
  const loaded = useLoad(listPartners);
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [suspending, setSuspending] = useState<Partner | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const waiting = (loaded.data ?? []).filter((p) => p.pendingName !== null).length;
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (loaded.data ?? []).filter(
      (p) => (filter === 'all' || p.pendingName !== null) && (q === '' || p.name.toLowerCase().includes(q) || p.slug.toLowerCase().includes(q)),
    );
  }, [loaded.data, search, filter]);

  /** Runs a change of one partner and puts the answer in the list, with a line saying what happened. */
  async function change(run: () => Promise<Partner>, done: (changed: Partner) => string) {
    setBusy(true);
    setError(null);
    setSaid(null);
    try {
      const changed = await run();
      loaded.setData((loaded.data ?? []).map((x) => (x.id === changed.id ? { ...x, ...changed } : x)));
      setSaid(done(changed));
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
      setSuspending(null);
    }
  }

  const setActive = (p: Partner, active: boolean) =>
    change(
      () => setPartnerActive(p.id, active),
      () => t(active ? 'partners.done.reactivate' : 'partners.done.suspend', { name: p.name }),
    );

  const decideName = (p: Partner, approve: boolean) =>
    change(
      () => decidePartnerName(p.id, approve),
      (changed) =>
        approve ? t('partners.done.nameApproved', { old: p.name, name: changed.name }) : t('partners.done.nameRefused', { pending: p.pendingName ?? '', name: changed.name }),
    );

  const tools = (
    <div className="partners-tools">
      <label className="compact-field">
        <span>{t('partners.filter')}</span>{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)} data-testid="partners-filter">
          <option value="all">{t('partners.filterAll')}</option>
          <option value="pendingName">{t('partners.filterPending', { count: waiting })}</option>
        </select>
      </label>
      <label className="compact-field">
        <span className="visually-hidden">{t('partners.search')}</span>
        <input type="search" placeholder={t('partners.search')} value={search} onChange={(e) => setSearch(e.target.value)} data-testid="partners-search" />
      </label>
    </div>
  );

  let empty = t('partners.empty');
  if (loaded.data?.length === 0) empty = t('partners.none');
  else if (filter === 'pendingName' && waiting === 0) empty = t('partners.pendingEmpty');

  return (
    <PageFrame id="partners" intro={t('partners.intro')} tools={tools}>
      {waiting > 0 && (
        <p className="partners-waiting" data-testid="partners-waiting">
          <span className="chip chip-pending">{t('partners.waiting', { count: waiting })}</span>
        </p>
      )}
      <StatusLine text={said} testId="partners-status-line" />
      <ErrorLine text={error} testId="partners-error" />
      {loaded.data ? (
        <ListTable
          testId="partners"
          count={shown.length}
          empty={empty}
          caption={t('partners.caption')}
          className="data-table partners-table"
          columns={[t('partners.name'), t('partners.slug'), t('partners.host'), t('partners.contact'), t('partners.status')]}
        >
          {shown.map((p) => (
            <tr key={p.id} data-testid="partner-row">
              <td>
                <span data-testid="partner-name">{p.name}</span>
                {p.pendingName && (
                  <div className="pending-name" data-testid="partner-pending-name">
                    <span className="chip chip-pending">{t('partners.pendingName', { name: p.pendingName })}</span>
                    <span className="pending-name-actions">
                      <button
                        type="button"
                        className="button small"
                        disabled={busy}
                        onClick={() => void decideName(p, true)}
                        aria-label={t('partners.approveNameLabel', { name: p.name, pending: p.pendingName })}
                        data-testid="partner-name-approve"
                      >
                        {t('partners.approveName')}
                      </button>
                      <button
                        type="button"
                        className="button small danger-outline"
                        disabled={busy}
                        onClick={() => void decideName(p, false)}
                        aria-label={t('partners.refuseNameLabel', { name: p.name, pending: p.pendingName })}
                        data-testid="partner-name-refuse"
                      >
                        {t('partners.refuseName')}
                      </button>
                    </span>
                  </div>
                )}
              </td>
              <td className="mono">{p.slug}</td>
              <td className="mono">{p.host}</td>
              <td>
                {p.contactName}
                <br />
                <span className="muted">{p.contactEmail}</span>
              </td>
              <td>
                <span className={p.isActive ? 'chip chip-active' : 'chip chip-danger'} data-testid="partner-status">
                  {p.isActive ? t('partners.active') : t('partners.suspended')}
                </span>
              </td>
              <td className="actions-cell">
                <div className="row-actions">
                  <AppLink className="button small" href={actingHref(p.id)} aria-label={t('partners.settingsLabel', { name: p.name })} onOpen={() => openActing(p.id)} data-testid="partner-settings">
                    {t('partners.settings')}
                  </AppLink>
                  {p.isActive ? (
                    <button type="button" className="button small danger-outline" onClick={() => setSuspending(p)} aria-label={t('partners.suspendLabel', { name: p.name })} data-testid="partner-suspend">
                      {t('partners.suspend')}
                    </button>
                  ) : (
                    <button type="button" className="button small" disabled={busy} onClick={() => void setActive(p, true)} aria-label={t('partners.reactivateLabel', { name: p.name })} data-testid="partner-reactivate">
                      {t('partners.reactivate')}
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </ListTable>
      ) : (
        <LoadState error={loaded.error} onRetry={loaded.reload} />
      )}
      {suspending && (
        <ConfirmDialog
          title={t('partners.suspendTitle', { name: suspending.name })}
          text={t('partners.suspendText')}
          confirm={t('partners.suspend')}
          danger
          busy={busy}
          testId="suspend-dialog"
          onConfirm={() => void setActive(suspending, false)}
          onClose={() => setSuspending(null)}
        />
      )}
    </PageFrame>
  );
}
