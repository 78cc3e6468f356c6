// A labelled form field; forms read their values with FormData on submit.

const TYPES: Record<string, string> = { email: 'email', phone: 'tel' };
const AUTOCOMPLETE: Record<string, string> = { name: 'name', email: 'email', phone: 'tel' };

interface FieldProps {
  /** The field's name, which also picks its autocomplete (and its input type, unless `type` says). */
  name: string;
  /** The input type a campaign chose (text, email, tel). */
  type?: string | undefined;
  label: string;
  /** Shown after the label of fields that may stay empty. */
  optional: string;
  required?: boolean | undefined;
  multiline?: boolean;
  value?: string | null | undefined;
  testid: string;
}

export function Field({ name, type, label, optional, required, multiline, value, testid }: FieldProps) {
  const id = `pw-${testid}`;
  const common = { id, name, required: !!required, 'data-testid': testid, defaultValue: value ?? '' };
  return (
    <div class="field">
      <label for={id}>
        {label}
        {!required && <span class="opt"> {optional}</span>}
      </label>
      {multiline ? (
        <textarea {...common} rows={3} maxLength={10000} />
      ) : (
        <input {...common} type={type ?? TYPES[name] ?? 'text'} autocomplete={AUTOCOMPLETE[name] ?? 'off'} maxLength={200} />
      )}
    </div>
  );
}
