// Sends the customer's app a web address to open (the app opens it in the browser and closes the chat
// page, as the spec says). Only https addresses: the server refuses others, so they are caught here.
import { type FormEvent, useState } from 'react';
import { useT } from '../../i18n/i18n.ts';
import { sendAppEvent } from '../../state/chatActions.ts';
import { Dialog } from '../Dialog.tsx';
import { useAction } from '../hooks.ts';
import { FormActions } from '../FormActions.tsx';

const MAX_URL = 2000;

/** The address as sent, or null when it is not a whole https address. */
function httpsUrl(value: string): string | null {
  const text = value.trim();
  if (!/^https:\/\//i.test(text) || text.length > MAX_URL) return null;
  try {
    return new URL(text).hostname ? text : null;
  } catch {
    return null;
  }
}

export function AppLinkDialog({ chatId, onClose }: { chatId: number; onClose: () => void }) {
  const t = useT();
  const [value, setValue] = useState('');
  const [error, setError] = useState(false);
  const [run, busy] = useAction();
  const errorId = `app-link-error-${chatId}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const url = httpsUrl(value);
    if (!url) return setError(true);
    if (await run(() => sendAppEvent(chatId, { command: 'event.chat.open_link', params: { url } }))) onClose();
  }

  return (
    <Dialog title={t('app.linkTitle')} onClose={onClose} testId="app-link-dialog">
      <form onSubmit={submit} noValidate>
        <p className="muted">{t('app.linkText')}</p>
        <label className="field">
          <span>{t('app.linkUrl')}</span>
          <input
            type="url"
            inputMode="url"
            placeholder="https://"
            value={value}
            maxLength={MAX_URL}
            onChange={(e) => {
              setValue(e.target.value);
              setError(false);
            }}
            aria-invalid={error}
            aria-describedby={error ? errorId : undefined}
            data-testid="app-link-url"
          />
        </label>
        {error && (
          <p id={errorId} className="form-error" data-testid="app-link-error">
            {t('app.linkInvalid')}
          </p>
        )}
        <FormActions submit={t('app.send')} onCancel={onClose} disabled={busy} testId="app-link-send" />
      </form>
    </Dialog>
  );
}
