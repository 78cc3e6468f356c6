// The partner's API key: its first characters (the key itself is never shown again), the client_id
// it goes with, and its replacement, which stops the old key and its tokens at once; the new key
// is shown once.
import { useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { ErrorLine, StatusLine } from '../../../../../admin/src/components/Status.tsx';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { rotateApiKey } from '../../api/access.ts';
import { SecretBox } from '../../components/SecretBox.tsx';
import { useT } from '../../i18n.ts';
import { partnerChanged } from '../../session.ts';
import { useStore } from '../../store.ts';

export function ApiKeySection() {
  const t = useT();
  const partner = useStore((s) => s.partner)!;
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [apiKey, setApiKey] = useState<string | null>(null);

  async function rotate() {
    setBusy(true);
    setError(null);
    setStatus(null);
    setApiKey(null);
    try {
      const answer = await rotateApiKey();
      partnerChanged(answer.partner);
      setApiKey(answer.apiKey);
      setStatus(t('api.rotated'));
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  function dismiss() {
    setApiKey(null);
    setStatus(null);
  }

  return (
    <section className="page-section" aria-labelledby="api-key-title" data-testid="api-key-section">
      <div className="page-header">
        <h2 id="api-key-title">{t('api.keyTitle')}</h2>
      </div>
      <p className="page-intro">{t('api.keyIntro')}</p>
      <div className="card access-card">
        <dl className="detail-list" data-testid="api-key-facts">
          <div>
            <dt>{t('api.keyPrefix')}</dt>
            <dd className="mono" data-testid="api-key-prefix">
              {partner.apiKeyPrefix ? t('api.keyStarts', { prefix: partner.apiKeyPrefix }) : t('api.noKey')}
            </dd>
          </div>
          <div>
            <dt>{t('api.keyClientId')}</dt>
            <dd className="mono" data-testid="api-key-client-id">
              {partner.id}
            </dd>
          </div>
          {partner.clientId && (
            <div>
              <dt>{t('api.firstClient')}</dt>
              <dd className="mono" data-testid="api-first-client-id">
                {partner.clientId}
              </dd>
            </div>
          )}
          <div>
            <dt>{t('api.tokenEndpoint')}</dt>
            <dd className="mono" data-testid="api-token-endpoint">
              POST {location.origin}/partner/oauth/token
            </dd>
          </div>
        </dl>
        {apiKey && (
          <SecretBox key={apiKey} id="api-key-secret" label={t('api.newKey')} secret={apiKey} onDismiss={dismiss}>
            <p className="hint">{t('api.newKeyUse', { clientId: partner.id })}</p>
          </SecretBox>
        )}
        <ErrorLine text={error} testId="api-key-error" />
        <StatusLine text={status} testId="api-key-status" />
        <div className="section-actions">
          <button type="button" className="button danger-outline" onClick={() => setAsking(true)} disabled={busy} data-testid="api-key-rotate">
            {t('api.rotate')}
          </button>
        </div>
      </div>
      {asking && (
        <ConfirmDialog
          title={t('api.rotateTitle')}
          text={t('api.rotateText')}
          confirm={t('api.rotateConfirm')}
          danger
          busy={busy}
          testId="api-key-rotate-dialog"
          onConfirm={() => void rotate()}
          onClose={() => setAsking(false)}
        />
      )}
    </section>
  );
}
