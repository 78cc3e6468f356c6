// Short notices at the bottom; errors are announced assertively, the rest politely.
import { useT } from '../i18n/i18n.ts';
import { dismissNotice } from '../state/notices.ts';
import { useStore } from '../state/store.ts';

export function Notices() {
  const t = useT();
  const notices = useStore((s) => s.notices);
  return (
    <div className="notices">
      <div role="status" aria-live="polite">
        {notices
          .filter((n) => n.tone === 'info')
          .map((n) => (
            <Notice key={n.id} id={n.id} text={n.text} tone="info" closeLabel={t('common.dismiss')} />
          ))}
      </div>
      <div role="alert">
        {notices
          .filter((n) => n.tone === 'error')
          .map((n) => (
            <Notice key={n.id} id={n.id} text={n.text} tone="error" closeLabel={t('common.dismiss')} />
          ))}
      </div>
    </div>
  );
}

function Notice({ id, text, tone, closeLabel }: { id: number; text: string; tone: 'info' | 'error'; closeLabel: string }) {
  return (
    <div className={`notice notice-${tone}`} data-testid="notice" data-tone={tone}>
      <span>{text}</span>
      <button type="button" className="icon-button" onClick={() => dismissNotice(id)} aria-label={closeLabel}>
        ×
      </button>
    </div>
  );
}
