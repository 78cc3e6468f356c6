// Alert settings: sound and desktop notifications. Turning notifications on asks the browser's
// permission here, from the click, as browsers require. Shown in the Settings dialog and, on its
// own, as the Settings page (/LiveChat/AgentConsole/Settings.html).
import { useState } from 'react';
import { useT } from '../i18n/i18n.ts';
import { askNotificationPermission, notificationPermission, type Permission } from '../notify/desktop.ts';
import { setAlertSettings, useAlertSettings } from '../notify/settings.ts';
import { playChime, unlockAudio } from '../notify/sound.ts';

export function SettingsPanel() {
  const t = useT();
  const settings = useAlertSettings();
  const [permission, setPermission] = useState<Permission>(notificationPermission());

  async function toggleNotifications(on: boolean) {
    setAlertSettings({ notifications: on });
    if (on && permission === 'default') setPermission(await askNotificationPermission());
  }

  return (
    <>
      <label className="check-field">
        <input
          type="checkbox"
          checked={settings.sound}
          onChange={(e) => {
            unlockAudio();
            setAlertSettings({ sound: e.target.checked });
          }}
          data-testid="settings-sound"
        />
        <span>{t('settings.sound')}</span>
      </label>
      <button
        type="button"
        className="button small"
        onClick={() => {
          unlockAudio();
          playChime('incoming');
        }}
      >
        {t('settings.testSound')}
      </button>
      <label className="check-field">
        <input type="checkbox" checked={settings.notifications} onChange={(e) => void toggleNotifications(e.target.checked)} data-testid="settings-notifications" />
        <span>{t('settings.notifications')}</span>
      </label>
      <p className="hint" data-testid="notification-permission">
        {permission === 'granted' && t('settings.permissionGranted')}
        {permission === 'denied' && t('settings.permissionDenied')}
        {permission === 'default' && t('settings.permissionDefault')}
        {permission === 'unsupported' && t('settings.permissionUnsupported')}
      </p>
      {permission === 'default' && (
        <button type="button" className="button small" onClick={() => void askNotificationPermission().then(setPermission)} data-testid="settings-allow-notifications">
          {t('settings.allowNotifications')}
        </button>
      )}
    </>
  );
}

/** The Settings page: the same settings as the dialog, as a view of their own. */
export function SettingsView() {
  const t = useT();
  return (
    <section className="settings-view" aria-labelledby="settings-title" data-testid="settings-view">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <div className="settings-card">
        <SettingsPanel />
      </div>
    </section>
  );
}
