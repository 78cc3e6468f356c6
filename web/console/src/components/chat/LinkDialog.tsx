// Asks for a link's address (Ctrl+K or the toolbar's link button).
import { type FormEvent, useState } from 'react';
import { useT } from '../../i18n/i18n.ts';
import { Dialog } from '../Dialog.tsx';
import { normalizeUrl } from './editor.ts';
import { FormActions } from '../FormActions.tsx';

export function LinkDialog({ onDone, onClose }: { onDone: (href: string) => void; onClose: () => void }) {
  const t = useT();
  const [value, setValue] = useState('');
  const [error, setError] = useState(false);

  function submit(e: FormEvent) {
    e.preventDefault();
    const href = normalizeUrl(value);
    if (!href) return setError(true);
    onDone(href);
  }

  return (
    <Dialog title={t('composer.linkTitle')} onClose={onClose} testId="link-dialog">
      <form onSubmit={submit}>
        <label className="field">
          <span>{t('composer.linkUrl')}</span>
          <input
            type="text"
            inputMode="url"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(false);
            }}
            aria-invalid={error}
            aria-describedby={error ? 'link-error' : undefined}
            data-testid="link-url"
          />
        </label>
        {error && (
          <p id="link-error" className="form-error">
            {t('composer.linkInvalid')}
          </p>
        )}
        <FormActions submit={t('composer.linkInsert')} onCancel={onClose} testId="link-confirm" />
      </form>
    </Dialog>
  );
}
