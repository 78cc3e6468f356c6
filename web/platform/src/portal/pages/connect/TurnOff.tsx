// Turning one kind of single sign-on off, after a confirmation that says what agents meet then.
import { useState } from 'react';
import { problemText } from '../../../../../admin/src/api/problems.ts';
import { ErrorLine } from '../../../../../admin/src/components/Status.tsx';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { type SsoType, turnOffSso } from '../../api/connect.ts';
import { useT } from '../../i18n.ts';

/** `other`: whether the other kind stays on (it becomes primary). */
export function TurnOff({ type, other, onDone }: { type: SsoType; other: boolean; onDone: () => void }) {
  const t = useT();
  const lc = type.toLowerCase();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function turnOff() {
    setBusy(true);
    setError(null);
    try {
      await turnOffSso(type);
      setAsking(false);
      onDone();
    } catch (err) {
      setAsking(false);
      setError(problemText(err, t('common.network')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="connect-off">
      <ErrorLine text={error} testId={`sso-${lc}-off-error`} />
      <button type="button" className="button danger-outline" onClick={() => setAsking(true)} data-testid={`sso-${lc}-off`}>
        {t('sso.off.button', { type })}
      </button>
      {asking && (
        <ConfirmDialog
          title={t('sso.off.title', { type })}
          text={t(other ? 'sso.off.textOther' : 'sso.off.textLast', { type, other: type === 'SAML' ? 'JWT' : 'SAML' })}
          confirm={t('sso.off.confirm', { type })}
          danger
          busy={busy}
          testId={`sso-${lc}-off-dialog`}
          onConfirm={() => void turnOff()}
          onClose={() => setAsking(false)}
        />
      )}
    </div>
  );
}
