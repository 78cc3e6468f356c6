// The foot of a dialog's form: Cancel, which closes it, and the button that sends the form.
import { useT } from '../i18n/i18n.ts';

interface Props {
  /** The send button's text (Send, Save, Insert…). */
  submit: string;
  onCancel: () => void;
  /** While the form is being sent, or cannot be yet. */
  disabled?: boolean;
  testId: string;
  /** The send button's look; a primary button unless told. */
  className?: string;
}

export function FormActions({ submit, onCancel, disabled, testId, className = 'button primary' }: Props) {
  const t = useT();
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className={className} disabled={disabled} data-testid={testId}>
        {submit}
      </button>
    </div>
  );
}
