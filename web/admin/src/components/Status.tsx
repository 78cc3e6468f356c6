// What a change did, said where it happened: a polite status line (always in the page, so a new
// text is read out) and an error line, announced at once.

/** The outcome of the last change (empty until there is one). */
export function StatusLine({ text, testId = 'status' }: { text: string | null; testId?: string }) {
  return (
    <p className="status-line" role="status" data-testid={testId}>
      {text}
    </p>
  );
}

/** Why the last change failed, in the server's words; nothing when it did not. */
export function ErrorLine({ text, testId = 'error', id }: { text: string | null; testId?: string; id?: string }) {
  if (!text) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId} id={id}>
      {text}
    </p>
  );
}
