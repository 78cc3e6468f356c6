// A labelled field of a portal form: its label, the control (given the ARIA attributes that tie
// it to its hint and its problem), the hint, and what the server said about it.
import type { ReactNode } from 'react';
import { describedBy, FieldProblem } from '../../../../admin/src/components/FieldProblem.tsx';

type Attrs = ReturnType<typeof describedBy>;

export function Field(o: { id: string; label: string; hint?: string; problem: string | undefined; className?: string; children: (attrs: Attrs) => ReactNode }) {
  const hintId = o.hint ? `${o.id}-hint` : undefined;
  return (
    <div className={`field${o.className ? ` ${o.className}` : ''}`}>
      <label htmlFor={o.id}>{o.label}</label>
      {o.children(describedBy(o.id, o.problem, hintId))}
      {o.hint && (
        <small className="hint" id={hintId}>
          {o.hint}
        </small>
      )}
      <FieldProblem id={o.id} text={o.problem} />
    </div>
  );
}
