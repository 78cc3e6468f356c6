// What the server said about one field, under it and tied to it: the field is marked invalid and
// describes itself with the message (and its hint, if it has one).

/** The ARIA attributes of a field that may have a hint and a problem. */
export function describedBy(id: string, problem: string | undefined, hintId?: string) {
  const ids = [hintId, problem ? `${id}-problem` : undefined].filter(Boolean).join(' ');
  return { id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': ids || undefined };
}

/** The problem's text, with the id describedBy() points at; nothing without one. */
export function FieldProblem({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <small className="field-problem" id={`${id}-problem`} data-testid="field-problem">
      {text}
    </small>
  );
}
