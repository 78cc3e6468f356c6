// The partner's custom domains: add one (the server's refusal at the field), then each shows the
// DNS records to publish, a Verify button with the outcome and when it was checked, and Remove.
import { type FormEvent, useRef, useState } from 'react';
import { errorsByField, problemText } from '../../../../../admin/src/api/problems.ts';
import { LoadState } from '../../../../../admin/src/components/Page.tsx';
import { ErrorLine, StatusLine } from '../../../../../admin/src/components/Status.tsx';
import { useLoad } from '../../../../../admin/src/components/useLoad.ts';
import { addDomain, type Domain, listDomains } from '../../api/connect.ts';
import { Field } from '../../components/Field.tsx';
import { useT } from '../../i18n.ts';
import { useStore } from '../../store.ts';
import { DomainCard } from './DomainCard.tsx';

export function DomainsSection() {
  const t = useT();
  const host = useStore((s) => s.partner!.host);
  const domains = useLoad(listDomains);
  const [status, setStatus] = useState<string | null>(null);
  const [added, setAdded] = useState<number | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const list = domains.data ?? [];

  function onAdded(d: Domain) {
    domains.setData([...list, d]);
    setAdded(d.id);
    setStatus(t('domains.added', { host: d.host }));
  }

  function onRemoved(d: Domain) {
    domains.setData(list.filter((x) => x.id !== d.id));
    setStatus(t('domains.removed', { host: d.host }));
    // The card and its button are gone: the list's heading takes the focus.
    heading.current?.focus();
  }

  return (
    <section className="page-section" aria-labelledby="domains-title" data-testid="domains-section">
      <div className="page-header">
        <h2 id="domains-title" ref={heading} tabIndex={-1}>
          {t('domains.title')}
        </h2>
      </div>
      <p className="page-intro">{t('domains.intro', { host })}</p>
      <AddDomainForm onAdded={onAdded} />
      <StatusLine text={status} testId="domains-status" />
      {!domains.data ? (
        <LoadState error={domains.error} onRetry={domains.reload} />
      ) : list.length === 0 ? (
        <p className="empty-state" data-testid="domains-empty">
          {t('domains.empty')}
        </p>
      ) : (
        <ul className="connect-domains" data-testid="domains-list">
          {list.map((d) => (
            <DomainCard key={d.id} domain={d} partnerHost={host} focusOnMount={d.id === added} onChanged={(next) => domains.setData(list.map((x) => (x.id === next.id ? next : x)))} onRemoved={onRemoved} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The domain name and the Add button; what the server says about the name is shown at the field. */
function AddDomainForm({ onAdded }: { onAdded: (d: Domain) => void }) {
  const t = useT();
  const [host, setHost] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const d = await addDomain(host.trim());
      setHost('');
      onAdded(d);
    } catch (err) {
      setProblem(errorsByField(err).get('host') ?? problemText(err, t('common.network')));
      input.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card connect-add" onSubmit={submit} noValidate data-testid="domain-add-form">
      <Field id="domain-host" label={t('domains.host')} hint={t('domains.hostHint')} problem={problem}>
        {(attrs) => (
          <input
            ref={input}
            name="host"
            maxLength={253}
            autoComplete="off"
            spellCheck={false}
            placeholder="chat.example.com"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            {...attrs}
            data-testid="domain-host"
          />
        )}
      </Field>
      <div className="form-actions">
        <ErrorLine text={problem ? t('domains.addFailed') : null} testId="domain-add-error" />
        <button type="submit" className="button primary" disabled={busy} data-testid="domain-add">
          {busy ? t('domains.adding') : t('domains.add')}
        </button>
      </div>
    </form>
  );
}
