// A secret just made (an API key, an OAuth client's secret, the JWT signing secret), shown this once:
// the warning that it will not be shown again, the secret ready to copy, and a button that hides it.
// The secret lives only in the state of the section that shows it, so it is gone once hidden or when
// the page is left.
import { type ReactNode, useEffect } from 'react';
import { StatusLine } from '../../../../admin/src/components/Status.tsx';
import { useT } from '../i18n.ts';
import { useCopy } from './useCopy.ts';
import '../styles/copy.css';

interface Props {
  /** The box's id and the prefix of its test ids (`{id}-once`, `{id}-value`, `{id}-copy`, `{id}-copied`, `{id}-dismiss`). */
  id: string;
  label: string;
  secret: string;
  /** Where to keep it, when that is more than "somewhere safe". */
  once?: string;
  /** What to know besides the secret (the client id it goes with). */
  children?: ReactNode;
  onDismiss: () => void;
}

export function SecretBox({ id, label, secret, once, children, onDismiss }: Props) {
  const t = useT();
  const { field, copied, copy } = useCopy<HTMLInputElement>(secret);
  // A new secret is a new box (the parent keys it by the secret): focused once, so it is read out.
  useEffect(() => field.current?.focus(), [field]);

  return (
    <div className="secret-box" data-testid={id}>
      <p className="notice-box" id={`${id}-once`} data-testid={`${id}-once`}>
        {once ?? t('secret.once')}
      </p>
      {children}
      <label htmlFor={`${id}-value`}>{label}</label>
      <div className="input-with-button">
        <input
          ref={field}
          id={`${id}-value`}
          readOnly
          className="mono"
          autoComplete="off"
          spellCheck={false}
          value={secret}
          onFocus={(e) => e.target.select()}
          aria-describedby={`${id}-once`}
          data-testid={`${id}-value`}
        />
        <button type="button" className="button" onClick={() => void copy()} data-testid={`${id}-copy`}>
          {t('copy.button')}
        </button>
      </div>
      <StatusLine text={copied ? t('copy.copied', { label }) : null} testId={`${id}-copied`} />
      <button type="button" className="button small" onClick={onDismiss} data-testid={`${id}-dismiss`}>
        {t('secret.dismiss')}
      </button>
    </div>
  );
}
