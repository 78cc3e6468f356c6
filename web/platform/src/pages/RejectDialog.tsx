// Rejecting an application: the reason (required; the applicant receives it by e-mail).
import { type FormEvent, useRef, useState } from 'react';
import { Dialog } from '../../../console/src/components/Dialog.tsx';
import { FormActions } from '../../../console/src/components/FormActions.tsx';
import { describedBy, FieldProblem } from '../../../admin/src/components/FieldProblem.tsx';
import { ErrorLine } from '../../../admin/src/components/Status.tsx';
import { problemText } from '../../../admin/src/api/problems.ts';
import type { Application } from '../api/platform.ts';
import { useT } from '../i18n/i18n.ts';

interface Props {
  company: string;
  onReject: (reason: string) => Promise<Application>;
  onRejected: (a: Application) => void;
  onClose: () => void;
}

export function RejectDialog({ company, onReject, onRejected, onClose }: Props) {
  const t = useT();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The reason is what the dialog is for (the Dialog would otherwise focus its Close button).
  const field = useRef<HTMLTextAreaElement>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') {
      setProblem(t('apps.rejectRequired'));
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onRejected(await onReject(reason.trim()));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('apps.rejectTitle', { company })} onClose={onClose} testId="reject-dialog" initialFocus={field}>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="reject-reason">{t('apps.rejectReason')}</label>
          <textarea
            ref={field}
            {...describedBy('reject-reason', problem)}
            rows={4}
            maxLength={2000}
            required
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setProblem(undefined);
            }}
            data-testid="reject-reason"
          />
          <FieldProblem id="reject-reason" text={problem} />
        </div>
        <ErrorLine text={error} testId="reject-error" />
        <FormActions submit={t('apps.reject')} onCancel={onClose} disabled={busy} testId="reject-submit" className="button danger" />
      </form>
    </Dialog>
  );
}
