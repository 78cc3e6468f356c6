// All sites: every partner's sites, newest first, searched (company, website or site id) and
// filtered by status and partner on the server, a page at a time (the API pages back from the
// oldest id shown). A partner's name opens its sites in its portal, acting on it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatDateTime } from '../../../console/src/i18n/format.ts';
import { ListTable } from '../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../admin/src/components/useLoad.ts';
import { problemText } from '../../../admin/src/api/problems.ts';
import { listPartners, listSites, type PlatformSite, type SiteStatus } from '../api/platform.ts';
import { AppLink } from '../components/AppLink.tsx';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';
import { actingHref } from '../state/pages.ts';
import { openActing } from '../state/session.ts';
import '../styles/partners.css';

const PAGE_SIZE = 50;
const STATUSES: SiteStatus[] = ['active', 'disabled', 'deleted'];
const CHIP: Record<SiteStatus, string> = { active: 'chip chip-active', disabled: 'chip chip-pending', deleted: 'chip chip-danger' };
/** How long typing pauses before the search goes to the server. */
const TYPING_MS = 300;

interface Filters {
  q: string;
  status: SiteStatus | '';
  partnerId: number | null;
}

export function SitesPage() {
  const t = useT();
  const partners = useLoad(listPartners);
  const [typed, setTyped] = useState('');
  const [filters, setFilters] = useState<Filters>({ q: '', status: '', partnerId: null });
  const [sites, setSites] = useState<PlatformSite[] | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only the answer to the latest request is shown (a slower, older one is dropped).
  const latest = useRef(0);

  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === typed.trim() ? f : { ...f, q: typed.trim() })), TYPING_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  const loadFrom = useCallback(
    async (before: number | null) => {
      const round = ++latest.current;
      setBusy(true);
      try {
        const page = await listSites({ ...filters, before, limit: PAGE_SIZE });
        if (round !== latest.current) return;
        setSites((shown) => [...(before === null ? [] : (shown ?? [])), ...page]);
        setMore(page.length === PAGE_SIZE);
        setError(null);
      } catch (err) {
        if (round === latest.current) setError(problemText(err, t('common.network')));
      } finally {
        if (round === latest.current) setBusy(false);
      }
    },
    [filters, t],
  );

  useEffect(() => {
    void loadFrom(null);
  }, [loadFrom]);

  const tools = (
    <div className="sites-tools">
      <label className="compact-field">
        <span className="visually-hidden">{t('sites.search')}</span>
        <input type="search" placeholder={t('sites.search')} value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="sites-search" />
      </label>
      <label className="compact-field">
        <span>{t('sites.status')}</span>{' '}
        <select value={filters.status} onChange={(e) => setFilters((f) => ({ ...f, status: e.target.value as SiteStatus | '' }))} data-testid="sites-status">
          <option value="">{t('sites.statusAll')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`sites.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="compact-field">
        <span>{t('sites.partnerFilter')}</span>{' '}
        <select
          value={filters.partnerId ?? ''}
          onChange={(e) => setFilters((f) => ({ ...f, partnerId: e.target.value === '' ? null : Number(e.target.value) }))}
          data-testid="sites-partner"
        >
          <option value="">{t('sites.partnerAll')}</option>
          {(partners.data ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
    </div>
  );

  if (!sites) {
    return (
      <PageFrame id="sites" intro={t('sites.intro')} tools={tools}>
        <LoadState error={error} onRetry={() => void loadFrom(null)} />
      </PageFrame>
    );
  }
  const filtered = filters.q !== '' || filters.status !== '' || filters.partnerId !== null;
  return (
    <PageFrame id="sites" intro={t('sites.intro')} tools={tools}>
      <p className="muted sites-count" role="status" data-testid="sites-count">
        {t('sites.shown', { count: sites.length })}
      </p>
      <ListTable
        testId="sites"
        count={sites.length}
        empty={filtered ? t('sites.empty') : t('sites.none')}
        caption={t('sites.caption')}
        className="data-table sites-table"
        columns={[t('sites.company'), t('sites.id'), t('sites.partner'), t('sites.status'), t('sites.created')]}
      >
        {sites.map((s) => (
          <tr key={s.id} data-testid="site-row">
            <td>
              <span data-testid="site-company">{s.company}</span>
              {s.website && (
                <>
                  <br />
                  <span className="muted">{s.website}</span>
                </>
              )}
            </td>
            <td className="mono">{s.id}</td>
            <td>
              <AppLink href={actingHref(s.partnerId, 'sites')} onOpen={() => openActing(s.partnerId, 'sites')} data-testid="site-partner">
                {s.partnerName}
              </AppLink>
            </td>
            <td>
              <span className={CHIP[s.status] ?? 'chip'} data-testid="site-status">
                {STATUSES.includes(s.status) ? t(`sites.${s.status}`) : s.status}
              </span>
            </td>
            <td>{formatDateTime(s.createdAt)}</td>
            <td />
          </tr>
        ))}
      </ListTable>
      {error && (
        <p className="form-error" role="alert" data-testid="sites-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        {more ? (
          <button type="button" className="button" disabled={busy} onClick={() => void loadFrom(sites.at(-1)?.id ?? null)} data-testid="sites-more">
            {t('sites.more')}
          </button>
        ) : (
          sites.length > 0 && <p className="muted">{t('sites.end')}</p>
        )}
      </div>
    </PageFrame>
  );
}
