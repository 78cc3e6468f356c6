// The partner's customer sites (the portal's first page): searched on the server by company,
// website or id; disabled and enabled, deleted (after a question that explains the grace period)
// and restored from the list of deleted sites; their usage; and "Open a site" with its administrator.
import { useEffect, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../../console/src/components/ConfirmDialog.tsx';
import { formatDateTime } from '../../../../console/src/i18n/format.ts';
import { problemText } from '../../../../admin/src/api/problems.ts';
import { LoadState } from '../../../../admin/src/components/Page.tsx';
import { ErrorLine, StatusLine } from '../../../../admin/src/components/Status.tsx';
import { deleteSite, disableSite, enableSite, listSites, restoreSite, type Site } from '../api/sites.ts';
import { PortalPage } from '../components/PortalPage.tsx';
import { useT } from '../i18n.ts';
import { OpenSiteDialog } from './sites/OpenSiteDialog.tsx';
import { SitesTable } from './sites/SitesTable.tsx';
import { UsageDialog } from './sites/UsageDialog.tsx';
import '../styles/sites.css';

/** How long typing pauses before the search goes to the server. */
const SEARCH_PAUSE_MS = 250;

type Change = 'disable' | 'enable' | 'delete' | 'restore';
const CHANGES = { disable: disableSite, enable: enableSite, delete: deleteSite, restore: restoreSite } as const;

export function SitesPage() {
  const t = useT();
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [deleted, setDeleted] = useState(false);
  const [round, setRound] = useState(0);
  const [sites, setSites] = useState<Site[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Site | null>(null);
  const [usageOf, setUsageOf] = useState<Site | null>(null);
  const [opening, setOpening] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  // Bumped when a row leaves the list with the focused button: the search, above the list, takes the focus.
  const [refocus, setRefocus] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setQ(typed.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  useEffect(() => {
    // A newer search or toggle replaces this one: its late answer must not overwrite the list.
    const abort = new AbortController();
    void round;
    listSites({ deleted, q }, abort.signal).then(
      (list) => {
        setSites(list);
        setLoadError(null);
      },
      (err: unknown) => {
        if (!abort.signal.aborted) setLoadError(problemText(err, t('common.network')));
      },
    );
    return () => abort.abort();
  }, [deleted, q, round, t]);

  useEffect(() => {
    // After the commit, once a dialog that was open has closed (a modal makes the page inert).
    if (refocus > 0) search.current?.focus();
  }, [refocus]);

  async function change(site: Site, what: Change) {
    setBusy(site.id);
    setError(null);
    try {
      const after = await CHANGES[what](site.id);
      const stays = (after.status === 'deleted') === deleted;
      setSites((list) => (stays ? (list ?? []).map((s) => (s.id === after.id ? after : s)) : (list ?? []).filter((s) => s.id !== after.id)));
      setSaid(
        what === 'delete' && after.purgeAfter
          ? t('sites.done.delete', { company: after.company, date: formatDateTime(after.purgeAfter) })
          : t(`sites.done.${what === 'delete' ? 'deleteNow' : what}`, { company: after.company }),
      );
      if (!stays) setRefocus((n) => n + 1);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(null);
      setDeleting(null);
    }
  }

  const empty = q !== '' ? t('sites.noMatch', { q }) : deleted ? t('sites.noDeleted') : t('sites.empty');
  const openButton = (
    <button type="button" className="button primary" onClick={() => setOpening(true)} data-testid="sites-open">
      {t('sites.open')}
    </button>
  );

  return (
    <PortalPage id="sites" intro={t('sites.intro')} action={openButton}>
      <div className="toolbar sites-toolbar">
        <div className="sites-search">
          <label htmlFor="sites-search">{t('sites.search')}</label>
          <input
            ref={search}
            id="sites-search"
            type="search"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            maxLength={100}
            aria-describedby="sites-search-hint"
            data-testid="sites-search"
          />
          <small className="hint" id="sites-search-hint">
            {t('sites.searchHint')}
          </small>
        </div>
        <label className="check-field sites-deleted-toggle">
          <input type="checkbox" checked={deleted} onChange={(e) => setDeleted(e.target.checked)} data-testid="sites-show-deleted" />
          {t('sites.showDeleted')}
        </label>
      </div>
      <StatusLine text={said} testId="sites-status-line" />
      <ErrorLine text={error} testId="sites-error" />
      {sites ? (
        <SitesTable
          sites={sites}
          deleted={deleted}
          empty={empty}
          busy={busy}
          onDisable={(s) => void change(s, 'disable')}
          onEnable={(s) => void change(s, 'enable')}
          onDelete={setDeleting}
          onRestore={(s) => void change(s, 'restore')}
          onUsage={setUsageOf}
        />
      ) : (
        <LoadState error={loadError} onRetry={() => setRound((n) => n + 1)} />
      )}
      {sites && loadError && <ErrorLine text={loadError} testId="sites-load-error" />}
      {deleting && (
        <ConfirmDialog
          title={t('sites.deleteTitle', { company: deleting.company })}
          text={t('sites.deleteText')}
          confirm={t('sites.delete')}
          danger
          busy={busy === deleting.id}
          testId="site-delete-dialog"
          onConfirm={() => void change(deleting, 'delete')}
          onClose={() => setDeleting(null)}
        />
      )}
      {usageOf && <UsageDialog site={usageOf} onClose={() => setUsageOf(null)} />}
      {opening && (
        <OpenSiteDialog
          onOpened={(site) => {
            setSaid(t('sites.done.open', { company: site.company, id: site.id }));
            // Show the list the new site is in: the sites not deleted, unsearched.
            setDeleted(false);
            setTyped('');
            setQ('');
            setRound((n) => n + 1);
          }}
          onClose={() => setOpening(false)}
        />
      )}
    </PortalPage>
  );
}
