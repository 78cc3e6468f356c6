// What the single sign-on forms share: a save that puts each of the server's problems at its field
// (schema errors, and the settings' own checks, which name their field or are about certificates),
// and reading pasted certificates.
import { useState } from 'react';
import { errorsByField, problemText } from '../../../../../admin/src/api/problems.ts';
import { ApiError } from '../../../../../console/src/api/http.ts';
import { focusAfter } from '../../../../../shared/focus.ts';
import { useT } from '../../i18n.ts';

/** The problems of a refused save, by field (`loginUrl`, `certificates`…). */
export function ssoProblems(err: unknown): ReadonlyMap<string, string> {
  const byField = new Map<string, string>();
  for (const [path, message] of errorsByField(err)) {
    const field = path.split('.')[0]!;
    if (!byField.has(field)) byField.set(field, message);
  }
  if (err instanceof ApiError && err.status === 400 && byField.size === 0) {
    const field = err.body.field;
    if (typeof field === 'string') byField.set(field, err.detail);
    else if (/certificate|private key/i.test(err.detail)) byField.set('certificates', err.detail);
  }
  return byField;
}

/** A settings form's save: busy, the outcome in words, or the problems at their fields (the first one focused). */
export function useSsoSave(formId: string) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());

  async function save(work: () => Promise<string>): Promise<void> {
    setBusy(true);
    setStatus(null);
    setError(null);
    setProblems(new Map());
    try {
      setStatus(await work());
    } catch (err) {
      const fields = ssoProblems(err);
      focusAfter(
        () => {
          setProblems(fields);
          setError(fields.size > 0 ? t('sso.notSaved') : problemText(err, t('common.network')));
        },
        () => document.querySelector<HTMLElement>(`#${formId} [aria-invalid="true"]`),
      );
    } finally {
      setBusy(false);
    }
  }

  return { busy, status, error, problems, save };
}

/** The certificates pasted: each PEM block, or the whole text as one base64 certificate. */
export function pemsOf(text: string): string[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (blocks) return blocks;
  return text.trim() ? [text.trim()] : [];
}
