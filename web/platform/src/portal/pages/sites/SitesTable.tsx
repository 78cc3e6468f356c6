// The sites as a table: company (and id), website, status, when it was opened, and the row's
// actions: Usage, Disable or Enable, Delete; a deleted site says until when it can be restored, and
// has Restore. The empty state when there is no row.
import { ListTable } from '../../../../../admin/src/components/ListTable.tsx';
import { getLang } from '../../../../../console/src/i18n/i18n.ts';
import { formatDateTime } from '../../../../../console/src/i18n/format.ts';
import type { Site } from '../../api/sites.ts';
import { useT } from '../../i18n.ts';

interface Props {
  sites: Site[];
  /** The list of deleted sites (their rows restore), not the others. */
  deleted: boolean;
  empty: string;
  /** The site whose change is under way. */
  busy: number | null;
  onDisable: (site: Site) => void;
  onEnable: (site: Site) => void;
  onDelete: (site: Site) => void;
  onRestore: (site: Site) => void;
  onUsage: (site: Site) => void;
}

const STATUS_CHIP = { active: 'chip-active', disabled: 'chip-ended', deleted: 'chip-danger' } as const;

/** A date in the user's language, without the time. */
export const formatDate = (iso: string) => new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium' }).format(new Date(iso));

export function SitesTable({ sites, deleted, empty, busy, onDisable, onEnable, onDelete, onRestore, onUsage }: Props) {
  const t = useT();
  return (
    <ListTable
      testId="sites"
      count={sites.length}
      empty={empty}
      caption={t(deleted ? 'sites.captionDeleted' : 'sites.caption')}
      columns={[t('sites.company'), t('sites.website'), t('sites.status'), t('sites.created')]}
      actions={t('sites.actions')}
      className="data-table sites-table"
    >
      {sites.map((s) => (
        <tr key={s.id} data-testid="site-row" data-site-id={s.id}>
          <td>
            <span className="site-company">{s.company}</span>
            <span className="muted site-id">{t('sites.id', { id: s.id })}</span>
            {/* Narrow screens show the website here, without its column. */}
            {s.website && <span className="muted site-website-inline">{s.website}</span>}
          </td>
          <td className="site-website">{s.website || t('common.none')}</td>
          <td>
            <span className={`chip ${STATUS_CHIP[s.status] ?? ''}`} data-testid="site-status">
              {t(`sites.status.${s.status}`)}
            </span>
            {s.status === 'deleted' && s.purgeAfter && (
              <span className="muted site-restorable" data-testid="site-restorable">
                {t('sites.restorableUntil', { date: formatDateTime(s.purgeAfter) })}
              </span>
            )}
          </td>
          <td>
            <time dateTime={s.createdAt}>{formatDate(s.createdAt)}</time>
          </td>
          <td className="actions-cell">
            <div className="row-actions">
              {s.status === 'deleted' ? (
                <button
                  type="button"
                  className="button small"
                  disabled={busy === s.id}
                  onClick={() => onRestore(s)}
                  aria-label={t('sites.restoreLabel', { company: s.company })}
                  data-testid="site-restore"
                >
                  {t('sites.restore')}
                </button>
              ) : (
                <>
                  <button type="button" className="button small ghost" onClick={() => onUsage(s)} aria-label={t('sites.usageLabel', { company: s.company })} data-testid="site-usage">
                    {t('sites.usage')}
                  </button>
                  {s.status === 'disabled' ? (
                    <button
                      type="button"
                      className="button small"
                      disabled={busy === s.id}
                      onClick={() => onEnable(s)}
                      aria-label={t('sites.enableLabel', { company: s.company })}
                      data-testid="site-enable"
                    >
                      {t('sites.enable')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="button small"
                      disabled={busy === s.id}
                      onClick={() => onDisable(s)}
                      aria-label={t('sites.disableLabel', { company: s.company })}
                      data-testid="site-disable"
                    >
                      {t('sites.disable')}
                    </button>
                  )}
                  <button
                    type="button"
                    className="button small danger-outline"
                    disabled={busy === s.id}
                    onClick={() => onDelete(s)}
                    aria-label={t('sites.deleteLabel', { company: s.company })}
                    data-testid="site-delete"
                  >
                    {t('sites.delete')}
                  </button>
                </>
              )}
            </div>
          </td>
        </tr>
      ))}
    </ListTable>
  );
}
