// The webhook's deliveries, newest first, by status: each notification with its attempts and the
// last answer; "Show more" pages back; a dead one (retried until it gave up) can be sent again.
import { useCallback, useEffect, useState } from 'react';
import { formatDateTime } from '../../../../../console/src/i18n/format.ts';
import { problemText } from '../../../api/problems.ts';
import { fetchDeliveries, resendDelivery } from '../../../api/settings.ts';
import type { Delivery, DeliveryStatus } from '../../../api/types.ts';
import { ListTable } from '../../../components/ListTable.tsx';
import { ErrorLine, StatusLine } from '../../../components/Status.tsx';
import { useT } from '../../../i18n/i18n.ts';

const STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'dead'];
const CHIP: Record<DeliveryStatus, string> = { pending: 'chip chip-queued', delivered: 'chip chip-active', dead: 'chip chip-danger' };

export function Deliveries() {
  const t = useT();
  const [filter, setFilter] = useState<DeliveryStatus | ''>('');
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Loads the first page (replacing the list) or the page before `cursor` (appending). */
  const load = useCallback(
    async (cursor: number | null) => {
      setBusy(true);
      setError(null);
      try {
        const page = await fetchDeliveries(filter, cursor);
        setRows((r) => (cursor === null ? page.deliveries : [...(r ?? []), ...page.deliveries]));
        setNext(page.nextCursor);
      } catch (err) {
        setError(problemText(err, t('common.network')));
      } finally {
        setBusy(false);
      }
    },
    [filter, t],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  async function resend(d: Delivery) {
    setError(null);
    setStatus(null);
    try {
      await resendDelivery(d.deliveryId);
      setStatus(t('deliveries.resent', { event: d.event }));
      await load(null);
    } catch (err) {
      setError(problemText(err, t('common.network')));
    }
  }

  /** The last attempt's outcome: the error the worker noted (it names the status), or the status alone. */
  const result = (d: Delivery) => d.lastError ?? (d.lastStatus === null ? '—' : `HTTP ${d.lastStatus}`);

  return (
    <section className="page-section" aria-labelledby="deliveries-title" data-testid="deliveries">
      <div className="page-header">
        <h2 id="deliveries-title">{t('deliveries.title')}</h2>
        <div className="toolbar">
          <label className="compact-field">
            {t('deliveries.filter')}{' '}
            <select value={filter} onChange={(e) => setFilter(e.target.value as DeliveryStatus | '')} data-testid="deliveries-filter">
              <option value="">{t('deliveries.all')}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`deliveries.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button small" disabled={busy} onClick={() => void load(null)} data-testid="deliveries-refresh">
            {t('deliveries.refresh')}
          </button>
        </div>
      </div>
      <ErrorLine text={error} testId="deliveries-error" />
      <StatusLine text={status} testId="deliveries-status" />
      {rows !== null && (
        <ListTable testId="deliveries" count={rows.length} empty={t('deliveries.empty')} caption={t('deliveries.title')} columns={[t('deliveries.created'), t('deliveries.event'), t('deliveries.customer'), t('deliveries.state'), t('deliveries.attempts'), t('deliveries.last')]}>
          {rows.map((d) => (
            <tr key={d.deliveryId} data-testid="delivery-row" data-status={d.status}>
              <th scope="row">{formatDateTime(d.createdAt)}</th>
              <td className="mono">{d.event}</td>
              <td>{d.customerToken ?? '—'}</td>
              <td>
                <span className={CHIP[d.status]}>{t(`deliveries.status.${d.status}`)}</span>
              </td>
              <td className="num">{d.attempts}</td>
              <td className="clip-cell">{result(d)}</td>
              <td className="actions-cell">
                {d.status === 'dead' && (
                  <button type="button" className="button small" onClick={() => void resend(d)} aria-label={t('deliveries.resendLabel', { event: d.event, when: formatDateTime(d.createdAt) })} data-testid="delivery-resend">
                    {t('deliveries.resend')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </ListTable>
      )}
      {next !== null && (
        <div className="section-actions">
          <button type="button" className="button small" disabled={busy} onClick={() => void load(next)} data-testid="deliveries-more">
            {t('deliveries.more')}
          </button>
        </div>
      )}
    </section>
  );
}
