// The audit log: what platform admins and partners changed, newest first, a page at a time (the
// API pages back from the oldest id shown).
import { useCallback, useEffect, useState } from 'react';
import { formatDateTime } from '../../../console/src/i18n/format.ts';
import { ListTable } from '../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../admin/src/components/Page.tsx';
import { problemText } from '../../../admin/src/api/problems.ts';
import { type AuditEntry, listAudit } from '../api/platform.ts';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';

const PAGE_SIZE = 50;

export function AuditPage() {
  const t = useT();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);

  const loadFrom = useCallback(
    async (before: number | null) => {
      setBusy(true);
      try {
        const page = await listAudit(before, PAGE_SIZE);
        setEntries((shown) => [...(before === null ? [] : (shown ?? [])), ...page]);
        setMore(page.length === PAGE_SIZE);
        setError(null);
      } catch (err) {
        setError(problemText(err, t('common.network')));
      } finally {
        setBusy(false);
      }
    },
    [t],
  );

  useEffect(() => {
    void loadFrom(null);
  }, [loadFrom]);

  if (!entries) {
    return (
      <PageFrame id="audit" intro={t('audit.intro')}>
        <LoadState error={error} onRetry={() => void loadFrom(null)} />
      </PageFrame>
    );
  }
  return (
    <PageFrame id="audit" intro={t('audit.intro')}>
      <ListTable testId="audit" count={entries.length} empty={t('audit.empty')} caption={t('audit.caption')} columns={[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.partner'), t('audit.target')]}>
        {entries.map((e) => (
          <tr key={e.id} data-testid="audit-row">
            <td>{formatDateTime(e.at)}</td>
            <td>{e.actor.id === null ? e.actor.kind : `${e.actor.kind} #${e.actor.id}`}</td>
            <td className="mono">{e.action}</td>
            <td>{e.partnerId ?? t('common.none')}</td>
            <td className="mono">{e.target}</td>
            <td />
          </tr>
        ))}
      </ListTable>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {more ? (
          <button type="button" className="button" disabled={busy} onClick={() => void loadFrom(entries.at(-1)?.id ?? null)} data-testid="audit-more">
            {t('audit.more')}
          </button>
        ) : (
          entries.length > 0 && <p className="muted">{t('audit.end')}</p>
        )}
      </div>
    </PageFrame>
  );
}
