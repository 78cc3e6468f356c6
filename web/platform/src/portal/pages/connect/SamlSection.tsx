// SAML 2.0: what the partner's IdP admin enters there (Parley's entity ID, ACS and logout URLs,
// the SP metadata to download), the IdP's side entered here (login and logout URLs, entity ID,
// signing certificates), creating agents at first sign-in, a test sign-in and turning it off.
import { type FormEvent, useState } from 'react';
import { LoadState } from '../../../../../admin/src/components/Page.tsx';
import { SaveActions } from '../../../../../admin/src/components/Status.tsx';
import { useLoad } from '../../../../../admin/src/components/useLoad.ts';
import { listSites, type SamlChange, type SsoSettings, saveSaml } from '../../api/connect.ts';
import { CopyValue } from '../../components/CopyValue.tsx';
import { Field } from '../../components/Field.tsx';
import { useT } from '../../i18n.ts';
import { date } from './format.ts';
import { pemsOf, useSsoSave } from './ssoForm.ts';
import { TestSignIn } from './TestSignIn.tsx';
import { TurnOff } from './TurnOff.tsx';

interface Props {
  settings: SsoSettings;
  onChanged: (s: SsoSettings) => void;
  /** Loads the settings again (after a kind is turned off). */
  reload: () => void;
}

export function SamlSection({ settings, onChanged, reload }: Props) {
  const t = useT();
  const { saml, serviceProvider: sp } = settings;
  return (
    <section className="page-section" aria-labelledby="sso-saml-title" data-testid="sso-saml">
      <div className="page-header">
        <h2 id="sso-saml-title">{t('sso.saml.title')}</h2>
        <span className={`chip ${saml ? 'connect-chip-ok' : 'connect-chip-off'}`} data-testid="sso-saml-state">
          {saml ? t('sso.on') : t('sso.off')}
        </span>
      </div>
      <p className="page-intro">{t('sso.saml.intro')}</p>
      <div className="card connect-sp" data-testid="sso-sp">
        <h3>{t('sso.saml.spTitle')}</h3>
        <p className="hint">{t('sso.saml.spIntro')}</p>
        <CopyValue id="sso-sp-entity" label={t('sso.saml.entityId')} value={sp.entityId} testId="sso-sp-entityId" />
        <CopyValue id="sso-sp-acs" label={t('sso.saml.acsUrl')} value={sp.acsUrl} testId="sso-sp-acsUrl" />
        <CopyValue id="sso-sp-slo" label={t('sso.saml.sloUrl')} value={sp.logoutUrl} testId="sso-sp-logoutUrl" />
        <details className="connect-details">
          <summary>{t('sso.saml.spCertificate')}</summary>
          <CopyValue id="sso-sp-cert" label={t('sso.saml.spCertificateLabel')} value={sp.certificate} testId="sso-sp-certificate" multiline />
        </details>
        {saml ? (
          <p>
            <a className="button" href={sp.metadataUrl} download={`parley-sp-metadata-${sp.metadataUrl.split('/').pop()}.xml`} data-testid="sso-saml-metadata">
              {t('sso.saml.metadata')}
            </a>
          </p>
        ) : (
          <p className="hint" data-testid="sso-saml-metadata-later">
            {t('sso.saml.metadataLater')}
          </p>
        )}
      </div>
      <SamlForm saml={saml} onSaved={onChanged} />
      {saml && (
        <>
          <SamlTest />
          <TurnOff type="SAML" other={settings.jwt !== null} onDone={reload} />
        </>
      )}
    </section>
  );
}

function SamlForm({ saml, onSaved }: { saml: SsoSettings['saml']; onSaved: (s: SsoSettings) => void }) {
  const t = useT();
  const [loginUrl, setLoginUrl] = useState(saml?.loginUrl ?? '');
  const [logoutUrl, setLogoutUrl] = useState(saml?.logoutUrl ?? '');
  const [entityId, setEntityId] = useState(saml?.idpEntityId ?? '');
  const [certs, setCerts] = useState('');
  const [jit, setJit] = useState(saml?.jitProvisioning ?? false);
  const { busy, status, error, problems, save } = useSsoSave('sso-saml-form');

  function submit(e: FormEvent) {
    e.preventDefault();
    const certificates = pemsOf(certs);
    const change: SamlChange = { loginUrl: loginUrl.trim(), logoutUrl: logoutUrl.trim() || null, idpEntityId: entityId.trim(), jitProvisioning: jit };
    // Left out, the certificates held stay (the first set-up needs one; the server says so).
    if (certificates.length > 0) change.certificates = certificates;
    void save(async () => {
      const updated = await saveSaml(change);
      onSaved(updated);
      setCerts('');
      return saml ? t('sso.saml.saved') : t('sso.saml.setUp');
    });
  }

  return (
    <form id="sso-saml-form" className="card form-grid" onSubmit={submit} noValidate aria-labelledby="sso-saml-form-title" data-testid="sso-saml-form">
      <h3 id="sso-saml-form-title" className="span-2">
        {t('sso.saml.idpTitle')}
      </h3>
      <Field id="sso-saml-loginUrl" label={t('sso.saml.loginUrl')} hint={t('sso.urlHint')} problem={problems.get('loginUrl')}>
        {(attrs) => <input type="url" required maxLength={2000} placeholder="https://" value={loginUrl} onChange={(e) => setLoginUrl(e.target.value)} {...attrs} data-testid="sso-saml-loginUrl" />}
      </Field>
      <Field id="sso-saml-logoutUrl" label={t('sso.saml.logoutUrl')} hint={t('sso.optional')} problem={problems.get('logoutUrl')}>
        {(attrs) => <input type="url" maxLength={2000} placeholder="https://" value={logoutUrl} onChange={(e) => setLogoutUrl(e.target.value)} {...attrs} data-testid="sso-saml-logoutUrl" />}
      </Field>
      <Field id="sso-saml-idpEntityId" className="span-2" label={t('sso.saml.idpEntityId')} hint={t('sso.saml.idpEntityIdHint')} problem={problems.get('idpEntityId')}>
        {(attrs) => <input required maxLength={1000} value={entityId} onChange={(e) => setEntityId(e.target.value)} {...attrs} data-testid="sso-saml-idpEntityId" />}
      </Field>
      {saml && saml.certificates.length > 0 && (
        <div className="span-2">
          <h4 className="connect-subhead">{t('sso.saml.certsHeld')}</h4>
          <ul className="connect-certs" data-testid="sso-saml-certs">
            {saml.certificates.map((c) => (
              <li key={c.fingerprint}>
                <strong>{c.subject}</strong> · {t('sso.saml.certUntil', { date: date(c.notAfter) })}
                <br />
                <span className="mono connect-fingerprint">{c.fingerprint}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <Field id="sso-saml-certificates" className="span-2" label={t('sso.saml.certificates')} hint={saml ? t('sso.saml.certsHintKeep') : t('sso.saml.certsHint')} problem={problems.get('certificates')}>
        {(attrs) => (
          <textarea
            rows={6}
            className="mono"
            spellCheck={false}
            placeholder={'-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----'}
            value={certs}
            onChange={(e) => setCerts(e.target.value)}
            {...attrs}
            data-testid="sso-saml-certificates"
          />
        )}
      </Field>
      <label className="check-field span-2">
        <input type="checkbox" checked={jit} onChange={(e) => setJit(e.target.checked)} aria-describedby="sso-saml-jit-hint" data-testid="sso-saml-jit" />
        <span>
          {t('sso.jit')}
          <small className="hint block" id="sso-saml-jit-hint">
            {t('sso.jitHint')}
          </small>
        </span>
      </label>
      <SaveActions className="span-2" prefix="sso-saml" error={error} status={status} busy={busy} label={saml ? t('sso.save') : t('sso.saml.turnOn')} />
    </form>
  );
}

/** The test, with the site whose agents the person is looked up in. */
function SamlTest() {
  const t = useT();
  const sites = useLoad(listSites);
  const [chosen, setChosen] = useState<number | undefined>();
  const siteId = chosen ?? sites.data?.[0]?.id;
  return (
    <TestSignIn type="SAML" siteId={siteId}>
      {!sites.data ? (
        <LoadState error={sites.error} onRetry={sites.reload} />
      ) : sites.data.length === 0 ? (
        <p className="hint" data-testid="sso-saml-test-nosite">
          {t('sso.test.noSite')}
        </p>
      ) : (
        <div className="field">
          <label htmlFor="sso-saml-test-site">{t('sso.test.site')}</label>
          <select id="sso-saml-test-site" value={siteId} onChange={(e) => setChosen(Number(e.target.value))} data-testid="sso-saml-test-site">
            {sites.data.map((s) => (
              <option key={s.id} value={s.id}>
                {t('sso.test.siteOption', { company: s.company, id: s.id })}
              </option>
            ))}
          </select>
        </div>
      )}
    </TestSignIn>
  );
}
