// A modal dialog on the native <dialog> element: the page behind is inert, Escape closes it, Tab
// cycles inside it, and focus goes back to where it was when it closes. Render it only while open.
import { type ReactNode, type RefObject, useEffect, useId, useRef } from 'react';
import { useT } from '../i18n/i18n.ts';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  /** What gets focus on open (else the first field or button). */
  initialFocus?: RefObject<HTMLElement | null>;
  wide?: boolean;
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';
/** The same, inside the dialog's body only (each alternative of the list, not only the first). */
const FOCUSABLE_IN_BODY = FOCUSABLE.split(', ')
  .map((one) => `.dialog-body ${one}`)
  .join(', ');

export function Dialog({ title, onClose, children, testId, initialFocus, wide }: Props) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first = initialFocus?.current ?? dialog.querySelector<HTMLElement>(FOCUSABLE_IN_BODY) ?? dialog.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The opener may be gone (a row that left the list): then focus stays where the browser puts it.
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [initialFocus]);

  function onKeyDown(e: React.KeyboardEvent<HTMLDialogElement>) {
    if (e.key !== 'Tab') return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])].filter((el) => el.offsetParent !== null);
    const first = items[0];
    const last = items.at(-1);
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // Escape: the parent decides (it unmounts us), so the close and focus return stay in one place.
        e.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')} data-testid="dialog-close">
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
