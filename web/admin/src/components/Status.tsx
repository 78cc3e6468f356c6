// What a change did, said where it happened: a polite status line (always in the page, so a new
// text is read out) and an error line, announced at once; and a form's save row with both.
import { useT } from '../i18n/i18n.ts';

/** The outcome of the last change (empty until there is one). */
export function StatusLine({ text, testId = 'status' }: { text: string | null; testId?: string }) {
  return (
    <p className="status-line" role="status" data-testid={testId}>
      {text}
    </p>
  );
}

/** Why the last change failed, in the server's words; nothing when it did not. */
export function ErrorLine({ text, testId = 'error', id }: { text: string | null; testId?: string; id?: string }) {
  if (!text) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId} id={id}>
      {text}
    </p>
  );
}

/**
 * A form's save row: its error and status lines and the Save button (`{prefix}-error`,
 * `{prefix}-status`, `{prefix}-save`).
 */
export function SaveActions(o: { prefix: string; error: string | null; status: string | null; busy: boolean; disabled?: boolean; className?: string; label?: string }) {
  const t = useT();
  return (
    <div className={`form-actions${o.className ? ` ${o.className}` : ''}`}>
      <ErrorLine text={o.error} testId={`${o.prefix}-error`} />
      <StatusLine text={o.status} testId={`${o.prefix}-status`} />
      <button type="submit" className="button primary" disabled={o.busy || o.disabled === true} data-testid={`${o.prefix}-save`}>
        {o.busy ? t('common.saving') : (o.label ?? t('common.save'))}
      </button>
    </div>
  );
}
