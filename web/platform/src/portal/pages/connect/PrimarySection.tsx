// Where agents who are not signed in are sent: nowhere but Parley's password form, the one kind
// set up, or, with both, the one chosen here.
import { type FormEvent, useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { SaveActions } from '../../../../../admin/src/components/Status.tsx';
import { type SsoSettings, type SsoType, setPrimarySso } from '../../api/connect.ts';
import { useT } from '../../i18n.ts';

const TYPES: SsoType[] = ['SAML', 'JWT'];

export function PrimarySection({ settings, onChanged }: { settings: SsoSettings; onChanged: (s: SsoSettings) => void }) {
  const t = useT();
  const both = settings.saml !== null && settings.jwt !== null;
  return (
    <section className="page-section" aria-labelledby="sso-primary-title" data-testid="sso-primary">
      <div className="page-header">
        <h2 id="sso-primary-title">{t('sso.primary.title')}</h2>
      </div>
      {both ? (
        <PrimaryForm current={settings.primarySSO ?? 'SAML'} onChanged={onChanged} />
      ) : (
        <p className="card" data-testid="sso-primary-now">
          {settings.primarySSO ? t('sso.primary.only', { type: settings.primarySSO }) : t('sso.primary.none')}
        </p>
      )}
    </section>
  );
}

function PrimaryForm({ current, onChanged }: { current: SsoType; onChanged: (s: SsoSettings) => void }) {
  const t = useT();
  const [chosen, setChosen] = useState<SsoType>(current);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const updated = await setPrimarySso(chosen);
      onChanged(updated);
      setStatus(t('sso.primary.saved', { type: chosen }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} data-testid="sso-primary-form">
      <fieldset className="field">
        <legend>{t('sso.primary.legend')}</legend>
        {TYPES.map((type) => (
          <label key={type} className="check-field">
            <input type="radio" name="sso-primary" value={type} checked={chosen === type} onChange={() => setChosen(type)} data-testid={`sso-primary-${type}`} />
            <span>{t(type === 'SAML' ? 'sso.primary.saml' : 'sso.primary.jwt')}</span>
          </label>
        ))}
      </fieldset>
      <SaveActions prefix="sso-primary" error={error} status={status} busy={busy} label={t('sso.primary.save')} />
    </form>
  );
}
