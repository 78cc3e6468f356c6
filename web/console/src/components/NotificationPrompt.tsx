// A one-time offer to turn on desktop notifications, so agents learn about them without opening
// the settings. The browser's prompt opens from the button's click, as browsers require.
import { useState } from 'react';
import { useT } from '../i18n/i18n.ts';
import { askNotificationPermission, notificationPermission } from '../notify/desktop.ts';
import { unlockAudio } from '../notify/sound.ts';

const DISMISSED = 'parley.console.notificationPrompt';

function dismissedBefore(): boolean {
  try {
    return localStorage.getItem(DISMISSED) === '1';
  } catch {
    return false;
  }
}

export function NotificationPrompt() {
  const t = useT();
  const [open, setOpen] = useState(() => notificationPermission() === 'default' && !dismissedBefore());
  if (!open) return null;

  function close() {
    setOpen(false);
    try {
      localStorage.setItem(DISMISSED, '1');
    } catch {
      // Asked again next time; harmless.
    }
  }

  return (
    <section className="prompt-bar" aria-label={t('settings.title')} data-testid="notifications-prompt">
      <span>{t('prompt.notifications')}</span>
      <button
        type="button"
        className="button small primary"
        onClick={() => {
          unlockAudio();
          void askNotificationPermission().finally(close);
        }}
        data-testid="notifications-enable"
      >
        {t('settings.allowNotifications')}
      </button>
      <button type="button" className="button small ghost" onClick={close} data-testid="notifications-later">
        {t('prompt.later')}
      </button>
    </section>
  );
}
