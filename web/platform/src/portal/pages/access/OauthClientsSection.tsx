// The partner's OAuth clients: each with its client id, the scopes it may be granted and when it
// was made; a new client, a client's new secret (each secret shown once), and revoking a client,
// which stops it and its tokens for good.
import { useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { ListTable } from '../../../../../admin/src/components/ListTable.tsx';
import { LoadState } from '../../../../../admin/src/components/Page.tsx';
import { ErrorLine, StatusLine } from '../../../../../admin/src/components/Status.tsx';
import { useLoad } from '../../../../../admin/src/components/useLoad.ts';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { getLang } from '../../../../../console/src/i18n/i18n.ts';
import { listOauthClients, type OauthClient, type OauthClientWithSecret, revokeOauthClient, rotateOauthSecret } from '../../api/access.ts';
import { SecretBox } from '../../components/SecretBox.tsx';
import { useT } from '../../i18n.ts';
import { useStore } from '../../store.ts';
import { OauthClientDialog } from './OauthClientDialog.tsx';

/** A secret to show once, with the client it belongs to. */
interface Shown {
  clientId: string;
  name: string;
  secret: string;
}

/** A day in the reader's language (the table has no room for the time). */
const formatDate = (iso: string) => new Intl.DateTimeFormat(getLang(), { dateStyle: 'medium' }).format(new Date(iso));

type Asking = { kind: 'create' } | { kind: 'rotate' | 'revoke'; client: OauthClient } | null;

export function OauthClientsSection() {
  const t = useT();
  const clients = useLoad(listOauthClients);
  const [asking, setAsking] = useState<Asking>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);

  /** Puts a changed client in its row (or a new one at the end). */
  function put(changed: OauthClient) {
    const list = clients.data ?? [];
    clients.setData(list.some((c) => c.id === changed.id) ? list.map((c) => (c.id === changed.id ? changed : c)) : [...list, changed]);
  }

  /** Shows a client's new secret once; the client goes into the list without it. */
  function reveal({ clientSecret, ...client }: OauthClientWithSecret, text: string) {
    put(client);
    setShown({ clientId: client.clientId, name: client.name, secret: clientSecret });
    setStatus(text);
  }

  async function act(client: OauthClient, kind: 'rotate' | 'revoke') {
    setBusy(true);
    setError(null);
    setStatus(null);
    setShown(null);
    try {
      if (kind === 'rotate') {
        reveal(await rotateOauthSecret(client.id), t('oauth.rotated', { name: client.name }));
      } else {
        put(await revokeOauthClient(client.id));
        setStatus(t('oauth.revoked', { name: client.name }));
      }
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
      setAsking(null);
    }
  }

  function open(next: Asking) {
    setError(null);
    setAsking(next);
  }

  return (
    <section className="page-section" aria-labelledby="oauth-title" data-testid="oauth-section">
      <div className="page-header">
        <h2 id="oauth-title">{t('oauth.title')}</h2>
        <button type="button" className="button primary" onClick={() => open({ kind: 'create' })} disabled={!clients.data} data-testid="oauth-create">
          {t('oauth.create')}
        </button>
      </div>
      <p className="page-intro">{t('oauth.intro')}</p>
      {shown && (
        <div className="card access-card">
          <SecretBox key={shown.secret} id="oauth-secret" label={t('oauth.secretLabel', { name: shown.name })} secret={shown.secret} onDismiss={() => setShown(null)}>
            <p className="hint" data-testid="oauth-secret-client-id">
              {t('oauth.secretFor', { clientId: shown.clientId })}
            </p>
          </SecretBox>
        </div>
      )}
      <ErrorLine text={error} testId="oauth-error" />
      <StatusLine text={status} testId="oauth-status" />
      {clients.data ? <ClientTable clients={clients.data} busy={busy} onAsk={open} /> : <LoadState error={clients.error} onRetry={clients.reload} />}
      {asking?.kind === 'create' && (
        <OauthClientDialog
          onClose={() => setAsking(null)}
          onCreated={(created) => {
            setAsking(null);
            reveal(created, t('oauth.created', { name: created.name }));
          }}
        />
      )}
      {asking?.kind === 'rotate' && (
        <ConfirmDialog
          title={t('oauth.rotateTitle', { name: asking.client.name })}
          text={t('oauth.rotateText')}
          confirm={t('oauth.rotateConfirm')}
          danger
          busy={busy}
          testId="oauth-rotate-dialog"
          onConfirm={() => void act(asking.client, 'rotate')}
          onClose={() => setAsking(null)}
        />
      )}
      {asking?.kind === 'revoke' && (
        <ConfirmDialog
          title={t('oauth.revokeTitle', { name: asking.client.name })}
          text={t('oauth.revokeText')}
          confirm={t('oauth.revokeConfirm')}
          danger
          busy={busy}
          testId="oauth-revoke-dialog"
          onConfirm={() => void act(asking.client, 'revoke')}
          onClose={() => setAsking(null)}
        />
      )}
    </section>
  );
}

function ClientTable({ clients, busy, onAsk }: { clients: OauthClient[]; busy: boolean; onAsk: (a: Asking) => void }) {
  const t = useT();
  const firstClientId = useStore((s) => s.partner?.clientId);
  return (
    <div className="oauth-clients">
      <ListTable testId="oauth-clients" count={clients.length} empty={t('oauth.empty')} caption={t('oauth.title')} columns={[t('oauth.client'), t('oauth.scopes')]} actions={t('oauth.actions')}>
        {clients.map((c) => (
          <tr key={c.id} data-testid="oauth-client-row" data-client-id={c.clientId} data-revoked={c.revokedAt !== null}>
            <td>
              <strong className="block">{c.name}</strong>
              <small className="block">
                {t('oauth.clientId')}: <span className="mono access-id">{c.clientId}</span>
              </small>
              <small className="block">{t('oauth.createdOn', { date: formatDate(c.createdAt) })}</small>
              {c.clientId === firstClientId && <small className="hint block">{t('oauth.fromApproval')}</small>}
              <small className="block" data-testid="oauth-client-state">
                {c.revokedAt ? (
                  <span className="chip chip-danger">{t('oauth.revokedAt', { date: formatDate(c.revokedAt) })}</span>
                ) : c.rotatedAt ? (
                  t('oauth.rotatedAt', { date: formatDate(c.rotatedAt) })
                ) : (
                  t('oauth.active')
                )}
              </small>
            </td>
            <td>
              <ul className="scope-list">
                {c.scopes.map((s) => (
                  <li key={s} className="chip mono">
                    {s}
                  </li>
                ))}
              </ul>
            </td>
            <td className="actions-cell">
              {c.revokedAt === null && (
                <div className="row-actions">
                  <button
                    type="button"
                    className="button small"
                    disabled={busy}
                    onClick={() => onAsk({ kind: 'rotate', client: c })}
                    aria-label={t('oauth.rotateLabel', { name: c.name })}
                    data-testid="oauth-rotate"
                  >
                    {t('oauth.rotate')}
                  </button>
                  <button
                    type="button"
                    className="button small danger-outline"
                    disabled={busy}
                    onClick={() => onAsk({ kind: 'revoke', client: c })}
                    aria-label={t('oauth.revokeLabel', { name: c.name })}
                    data-testid="oauth-revoke"
                  >
                    {t('oauth.revoke')}
                  </button>
                </div>
              )}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}
