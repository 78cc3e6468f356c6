// The alert settings (SettingsPanel) in a dialog, opened from the header.
import { useT } from '../i18n/i18n.ts';
import { Dialog } from './Dialog.tsx';
import { SettingsPanel } from './SettingsPanel.tsx';

export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  return (
    <Dialog title={t('settings.title')} onClose={onClose} testId="settings-dialog">
      <SettingsPanel />
      <div className="dialog-actions">
        <button type="button" className="button primary" onClick={onClose}>
          {t('common.done')}
        </button>
      </div>
    </Dialog>
  );
}
