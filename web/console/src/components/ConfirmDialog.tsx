// Asks before something that cannot simply be undone (banning a visitor).
import { useRef } from 'react';
import { useT } from '../i18n/i18n.ts';
import { Dialog } from './Dialog.tsx';

interface Props {
  title: string;
  text: string;
  confirm: string;
  danger?: boolean;
  busy?: boolean;
  testId?: string;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({ title, text, confirm, danger, busy, testId, onConfirm, onClose }: Props) {
  const t = useT();
  // The safe choice has the focus: Enter right away does not ban anyone.
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Dialog title={title} onClose={onClose} testId={testId} initialFocus={cancel}>
      <p>{text}</p>
      <div className="dialog-actions">
        <button ref={cancel} type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="button" className={danger ? 'button danger' : 'button primary'} disabled={busy} onClick={onConfirm} data-testid="confirm-button">
          {confirm}
        </button>
      </div>
    </Dialog>
  );
}
