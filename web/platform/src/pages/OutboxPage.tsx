// The e-mail outbox: what the platform sent (to, subject, when), and a message's body in a dialog,
// its links clickable (the approval e-mail carries the partner's set-password link).
import { useState } from 'react';
import { Dialog } from '../../../console/src/components/Dialog.tsx';
import { formatDateTime } from '../../../console/src/i18n/format.ts';
import { LinkifiedText } from '../../../console/src/render/LinkifiedText.tsx';
import { ListTable } from '../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../admin/src/components/useLoad.ts';
import { type Email, listEmails } from '../api/platform.ts';
import { PageFrame } from '../components/PageFrame.tsx';
import { useT } from '../i18n/i18n.ts';

export function OutboxPage() {
  const t = useT();
  const loaded = useLoad(listEmails);
  const [reading, setReading] = useState<Email | null>(null);
  const tools = (
    <button type="button" className="button" onClick={loaded.reload} data-testid="outbox-refresh">
      {t('common.refresh')}
    </button>
  );
  return (
    <PageFrame id="outbox" intro={t('outbox.intro')} tools={tools}>
      {loaded.data ? (
        <ListTable testId="outbox" count={loaded.data.length} empty={t('outbox.empty')} caption={t('outbox.caption')} columns={[t('outbox.to'), t('outbox.subject'), t('outbox.when'), t('outbox.status')]}>
          {loaded.data.map((m) => (
            <tr key={m.id} data-testid="email-row">
              <td>{m.to}</td>
              <td>{m.subject}</td>
              <td>{formatDateTime(m.sentAt ?? m.createdAt)}</td>
              <td>{m.status}</td>
              <td className="actions-cell">
                <button type="button" className="button small" onClick={() => setReading(m)} aria-label={t('outbox.readLabel', { subject: m.subject, to: m.to })} data-testid="email-read">
                  {t('outbox.read')}
                </button>
              </td>
            </tr>
          ))}
        </ListTable>
      ) : (
        <LoadState error={loaded.error} onRetry={loaded.reload} />
      )}
      {reading && (
        <Dialog title={reading.subject} onClose={() => setReading(null)} testId="email-dialog" wide>
          <p className="muted">{t('outbox.from', { to: reading.to, when: formatDateTime(reading.sentAt ?? reading.createdAt) })}</p>
          <div className="email-body" data-testid="email-body">
            <LinkifiedText text={reading.body} />
          </div>
        </Dialog>
      )}
    </PageFrame>
  );
}
