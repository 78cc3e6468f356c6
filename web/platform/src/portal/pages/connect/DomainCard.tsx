// One custom domain: verified or not; until it is, the DNS records to publish (the TXT record that
// proves the domain is the partner's, and the CNAME that brings it to Parley), Verify with its
// outcome and when it was checked; and Remove, after a confirmation.
import { useEffect, useRef, useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { ErrorLine, StatusLine } from '../../../../../admin/src/components/Status.tsx';
import { ApiError } from '../../../../../console/src/api/http.ts';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { type Domain, removeDomain, verifyDomain } from '../../api/connect.ts';
import { CopyValue } from '../../components/CopyValue.tsx';
import { useT } from '../../i18n.ts';
import { dateTime, time } from './format.ts';

interface Props {
  domain: Domain;
  /** The partner's Parley host, where the domain's CNAME points. */
  partnerHost: string;
  /** Just added: its heading takes the focus, so the instructions are read next. */
  focusOnMount: boolean;
  onChanged: (d: Domain) => void;
  onRemoved: (d: Domain) => void;
}

export function DomainCard({ domain, partnerHost, focusOnMount, onChanged, onRemoved }: Props) {
  const t = useT();
  const { id, host, verified } = domain;
  const [check, setCheck] = useState<{ at: Date; text: string; ok: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Only when the card first appears after an add.
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus once, on mount
  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, []);

  async function verify() {
    setBusy(true);
    try {
      onChanged(await verifyDomain(id));
      setCheck({ at: new Date(), text: t('domains.verifiedNow', { host }), ok: true });
    } catch (err) {
      const notYet = err instanceof ApiError && err.status === 409 && /TXT/.test(err.detail);
      setCheck({ at: new Date(), text: notYet ? t('domains.notFound') : problemText(err, t('common.network')), ok: false });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setRemoveError(null);
    try {
      await removeDomain(id);
      setAsking(false);
      onRemoved(domain);
    } catch (err) {
      setAsking(false);
      setRemoveError(problemText(err, t('common.network')));
      setBusy(false);
    }
  }

  const prefix = `domain-${id}`;
  return (
    <li className="card connect-domain" data-testid="domain-row" data-host={host} data-verified={verified}>
      <div className="connect-domain-head">
        <h3 id={`${prefix}-title`} ref={heading} tabIndex={-1}>
          {host}
        </h3>
        <span className={`chip ${verified ? 'connect-chip-ok' : 'connect-chip-wait'}`} data-testid="domain-state">
          {verified ? t('domains.verifiedOn', { date: dateTime(domain.verifiedAt!) }) : t('domains.unverified')}
        </span>
      </div>
      {verified ? (
        <p data-testid="domain-live">{t('domains.live', { url: `https://${host}`, target: partnerHost })}</p>
      ) : (
        <ol className="connect-steps" data-testid="domain-steps">
          <li>
            <p>{t('domains.stepTxt', { host })}</p>
            <div className="connect-record" data-testid="domain-txt">
              <CopyValue id={`${prefix}-txt-name`} label={t('domains.recordName', { type: 'TXT' })} value={domain.verification.name} testId="domain-txt-name" />
              <CopyValue id={`${prefix}-txt-value`} label={t('domains.recordValue', { type: 'TXT' })} value={domain.verification.value} testId="domain-txt-value" />
            </div>
          </li>
          <li>
            <p>{t('domains.stepCname', { host, target: partnerHost })}</p>
            <div className="connect-record" data-testid="domain-cname">
              <CopyValue id={`${prefix}-cname-name`} label={t('domains.recordName', { type: 'CNAME' })} value={host} testId="domain-cname-name" />
              <CopyValue id={`${prefix}-cname-value`} label={t('domains.recordValue', { type: 'CNAME' })} value={partnerHost} testId="domain-cname-value" />
            </div>
          </li>
          <li>
            <p>{t('domains.stepVerify')}</p>
          </li>
        </ol>
      )}
      <StatusLine text={check ? `${check.text} ${t('domains.checkedAt', { time: time(check.at) })}` : null} testId="domain-outcome" />
      <ErrorLine text={removeError} testId="domain-remove-error" />
      <div className="row-actions">
        {!verified && (
          <button type="button" className="button primary" onClick={() => void verify()} disabled={busy} aria-label={t('domains.verifyLabel', { host })} data-testid="domain-verify">
            {busy ? t('domains.verifying') : t('domains.verify')}
          </button>
        )}
        <button type="button" className="button danger-outline" onClick={() => setAsking(true)} disabled={busy} aria-label={t('domains.removeLabel', { host })} data-testid="domain-remove">
          {t('domains.remove')}
        </button>
      </div>
      {asking && (
        <ConfirmDialog
          title={t('domains.removeTitle', { host })}
          text={t('domains.removeText', { url: `https://${host}` })}
          confirm={t('domains.removeConfirm')}
          danger
          busy={busy}
          testId="domain-remove-dialog"
          onConfirm={() => void remove()}
          onClose={() => setAsking(false)}
        />
      )}
    </li>
  );
}
