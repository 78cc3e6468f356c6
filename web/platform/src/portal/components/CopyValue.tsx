// A value to hand to someone else's system or person (a DNS record, an address for the identity
// provider, a site's sign-in address, a password shown once): read-only and selected on focus, with
// a button that copies it; the copy is announced.
import { StatusLine } from '../../../../admin/src/components/Status.tsx';
import { useT } from '../i18n.ts';
import { useCopy } from './useCopy.ts';
import '../styles/copy.css';

interface Props {
  /** The field's id. */
  id: string;
  label: string;
  value: string;
  /** `{testId}` on the field, `{testId}-copy` on its button, `{testId}-copied` on the line that says it worked. */
  testId: string;
  /** The id of a text that goes with it (the shown-once warning). */
  describedBy?: string;
  /** A long value (a certificate): several lines. */
  multiline?: boolean;
}

export function CopyValue({ id, label, value, testId, describedBy, multiline }: Props) {
  const t = useT();
  const { field, copied, copy } = useCopy<HTMLInputElement & HTMLTextAreaElement>(value);
  const common = {
    ref: field,
    id,
    readOnly: true,
    className: 'mono',
    spellCheck: false,
    value,
    onFocus: (e: { target: { select(): void } }) => e.target.select(),
    'aria-describedby': describedBy,
    'data-testid': testId,
  };
  return (
    <div className="field copy-value">
      <label htmlFor={id}>{label}</label>
      <div className="input-with-button">
        {multiline ? <textarea rows={4} {...common} /> : <input autoComplete="off" {...common} />}
        <button type="button" className="button small" onClick={() => void copy()} aria-label={t('copy.label', { label })} data-testid={`${testId}-copy`}>
          {t('copy.button')}
        </button>
      </div>
      <StatusLine text={copied ? t('copy.copied', { label }) : null} testId={`${testId}-copied`} />
    </div>
  );
}
