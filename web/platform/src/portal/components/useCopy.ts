// Copying the value of a read-only field: to the clipboard when the browser allows it, otherwise the
// field's text is selected for a manual copy (plain http, a frame without the permission).
import { useRef, useState } from 'react';

/** The field to fall back on (give it `ref`), whether the last copy worked, and the copy itself. */
export function useCopy<E extends HTMLInputElement | HTMLTextAreaElement>(value: string) {
  const field = useRef<E>(null);
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      field.current?.focus();
      field.current?.select();
    }
  }

  return { field, copied, copy };
}
