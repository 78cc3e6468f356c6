// Applications: the list (by status, newest first), one application's details, and the decision:
// Approve (after a question; the partner it created is shown), or Reject with a reason.
import { useCallback, useState } from 'react';
import { ConfirmDialog } from '../../../console/src/components/ConfirmDialog.tsx';
import { formatDateTime } from '../../../console/src/i18n/format.ts';
import { ErrorLine, StatusLine } from '../../../admin/src/components/Status.tsx';
import { ListTable } from '../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../admin/src/components/useLoad.ts';
import { problemText } from '../../../admin/src/api/problems.ts';
import { type Application, type ApplicationStatus, approveApplication, listApplications, rejectApplication } from '../api/platform.ts';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';
import { hrefOf } from '../state/pages.ts';
import { openPage } from '../state/session.ts';
import { RejectDialog } from './RejectDialog.tsx';

const STATUSES: ApplicationStatus[] = ['pending', 'approved', 'rejected'];

function Detail({ app, onDecided }: { app: Application; onDecided: (a: Application, said: string) => void }) {
  const t = useT();
  const [asking, setAsking] = useState<'approve' | 'reject' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const vars = { company: app.companyName, email: app.email };

  async function approve() {
    setBusy(true);
    setError(null);
    try {
      const { application, partner, portalUser } = await approveApplication(app.id);
      onDecided(application, t('apps.approved', { ...vars, name: partner.name, slug: partner.slug, host: partner.host, email: portalUser.email }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
      setAsking(null);
    }
  }

  const rows: [string, string | null][] = [
    [t('apps.contact'), app.contactName],
    [t('apps.email'), app.email],
    [t('apps.phone'), app.phone],
    [t('apps.website'), app.website],
    [t('apps.note'), app.note],
    [t('apps.applied'), formatDateTime(app.createdAt)],
    [t('apps.status'), t(`status.${app.status}`)],
    [t('apps.decided'), app.decidedAt && formatDateTime(app.decidedAt)],
    [t('apps.reason'), app.reason],
  ];
  return (
    <section className="page-section application-detail" aria-labelledby="application-title" data-testid="application-detail">
      <h2 id="application-title" tabIndex={-1}>
        {t('apps.detail', { company: app.companyName })}
      </h2>
      <dl className="detail-list">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
      <ErrorLine text={error} testId="application-error" />
      {app.status === 'pending' && (
        <div className="form-actions detail-actions">
          <button type="button" className="button danger-outline" onClick={() => setAsking('reject')} data-testid="application-reject">
            {t('apps.reject')}
          </button>
          <button type="button" className="button primary" onClick={() => setAsking('approve')} data-testid="application-approve">
            {t('apps.approve')}
          </button>
        </div>
      )}
      {asking === 'approve' && (
        <ConfirmDialog title={t('apps.approveTitle', vars)} text={t('apps.approveText', vars)} confirm={t('apps.approve')} busy={busy} testId="approve-dialog" onConfirm={() => void approve()} onClose={() => setAsking(null)} />
      )}
      {asking === 'reject' && (
        <RejectDialog
          company={app.companyName}
          onReject={(reason) => rejectApplication(app.id, reason)}
          onRejected={(a) => {
            setAsking(null);
            onDecided(a, t('apps.rejected', vars));
          }}
          onClose={() => setAsking(null)}
        />
      )}
    </section>
  );
}

export function ApplicationsPage() {
  const t = useT();
  const [status, setStatus] = useState<ApplicationStatus | ''>('pending');
  const load = useCallback(() => listApplications(status), [status]);
  const loaded = useLoad(load);
  const [shown, setShown] = useState<Application | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [approvedNow, setApprovedNow] = useState(false);

  function show(app: Application) {
    setShown(app);
    setSaid(null);
    requestAnimationFrame(() => document.getElementById('application-title')?.focus());
  }

  const filter = (
    <label className="compact-field">
      <span>{t('apps.filter')}</span>{' '}
      <select value={status} onChange={(e) => setStatus(e.target.value as ApplicationStatus | '')} data-testid="applications-status">
        {STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
        <option value="">{t('apps.all')}</option>
      </select>
    </label>
  );

  return (
    <PageFrame id="applications" intro={t('apps.intro')} tools={filter}>
      <StatusLine text={said} testId="applications-status-line" />
      {said && approvedNow && (
        <p>
          <a
            href={hrefOf('partners')}
            data-testid="open-partners"
            onClick={(e) => {
              e.preventDefault();
              openPage('partners');
            }}
          >
            {t('apps.openPartners')}
          </a>
        </p>
      )}
      {loaded.data ? (
        <ListTable testId="applications" count={loaded.data.length} empty={t('apps.empty')} caption={t('apps.caption')} columns={[t('apps.company'), t('apps.contact'), t('apps.status'), t('apps.applied')]}>
          {loaded.data.map((a) => (
            <tr key={a.id} data-testid="application-row" aria-current={shown?.id === a.id ? 'true' : undefined}>
              <td>{a.companyName}</td>
              <td>
                {a.contactName}
                <br />
                <span className="muted">{a.email}</span>
              </td>
              <td>
                <span className={`chip chip-${a.status}`}>{t(`status.${a.status}`)}</span>
              </td>
              <td>{formatDateTime(a.createdAt)}</td>
              <td className="actions-cell">
                <button type="button" className="button small" onClick={() => show(a)} aria-label={t('apps.viewLabel', { company: a.companyName })} data-testid="application-view">
                  {t('common.view')}
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      ) : (
        <LoadState error={loaded.error} onRetry={loaded.reload} />
      )}
      {shown && (
        <Detail
          key={shown.id}
          app={shown}
          onDecided={(a, text) => {
            setShown(a);
            setSaid(text);
            setApprovedNow(a.status === 'approved');
            loaded.reload();
          }}
        />
      )}
    </PageFrame>
  );
}
