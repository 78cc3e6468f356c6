// Partners: every partner, searched by name or slug, with its status; suspend (after a question)
// and reactivate.
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../../console/src/components/ConfirmDialog.tsx';
import { ErrorLine, StatusLine } from '../../../admin/src/components/Status.tsx';
import { ListTable } from '../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../admin/src/components/useLoad.ts';
import { problemText } from '../../../admin/src/api/problems.ts';
import { listPartners, type Partner, setPartnerActive } from '../api/platform.ts';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';

export function PartnersPage() {
  const t = useT();
  const loaded = useLoad(listPartners);
  const [search, setSearch] = useState('');
  const [suspending, setSuspending] = useState<Partner | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return (loaded.data ?? []).filter((p) => q === '' || p.name.toLowerCase().includes(q) || p.slug.toLowerCase().includes(q));
  }, [loaded.data, search]);

  async function setActive(p: Partner, active: boolean) {
    setBusy(true);
    setError(null);
    try {
      const changed = await setPartnerActive(p.id, active);
      loaded.setData((loaded.data ?? []).map((x) => (x.id === changed.id ? { ...x, ...changed } : x)));
      setSaid(t(active ? 'partners.done.reactivate' : 'partners.done.suspend', { name: p.name }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
      setSuspending(null);
    }
  }

  const searchField = (
    <label className="compact-field">
      <span className="visually-hidden">{t('partners.search')}</span>
      <input type="search" placeholder={t('partners.search')} value={search} onChange={(e) => setSearch(e.target.value)} data-testid="partners-search" />
    </label>
  );

  return (
    <PageFrame id="partners" intro={t('partners.intro')} tools={searchField}>
      <StatusLine text={said} testId="partners-status-line" />
      <ErrorLine text={error} testId="partners-error" />
      {loaded.data ? (
        <ListTable
          testId="partners"
          count={shown.length}
          empty={loaded.data.length === 0 ? t('partners.none') : t('partners.empty')}
          caption={t('partners.caption')}
          columns={[t('partners.name'), t('partners.slug'), t('partners.host'), t('partners.contact'), t('partners.status')]}
        >
          {shown.map((p) => (
            <tr key={p.id} data-testid="partner-row">
              <td>
                {p.name}
                {p.pendingName && <div className="muted">{t('partners.pendingName', { name: p.pendingName })}</div>}
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
                {p.isActive ? (
                  <button type="button" className="button small danger-outline" onClick={() => setSuspending(p)} aria-label={t('partners.suspendLabel', { name: p.name })} data-testid="partner-suspend">
                    {t('partners.suspend')}
                  </button>
                ) : (
                  <button type="button" className="button small" disabled={busy} onClick={() => void setActive(p, true)} aria-label={t('partners.reactivateLabel', { name: p.name })} data-testid="partner-reactivate">
                    {t('partners.reactivate')}
                  </button>
                )}
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
