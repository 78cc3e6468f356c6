// The pieces every list page draws the same way: the table (or the empty state when there is no
// row), a row's Edit and Delete buttons, and the question before a delete. A page names its
// texts by its key prefix (`skills` → skills.edit, skills.deleteLabel, skills.deleteTitle…).
import type { ReactNode } from 'react';
import { ConfirmDialog } from '../../../console/src/components/ConfirmDialog.tsx';
import { useT } from '../i18n/i18n.ts';

/** The lists whose texts follow the pattern (edit, delete, editLabel, deleteLabel, deleteTitle, deleteText). */
type ListKeys = 'skills' | 'canned' | 'kb' | 'groups' | 'campaigns';
type Vars = Record<string, string | number>;

interface TableProps {
  /** Prefix of the test ids: `${testId}-empty`, `${testId}-table`. */
  testId: string;
  count: number;
  empty: string;
  /** Read out, not shown. */
  caption?: string;
  /** The columns' headings (each a different text). */
  columns: string[];
  /** The last column's heading (read out, not shown); "Actions" unless told. */
  actions?: string;
  className?: string;
  /** The rows. */
  children: ReactNode;
}

/** The empty state when `count` is 0, else the table with its headings and a last column for the rows' actions. */
export function ListTable({ testId, count, empty, caption, columns, actions, className = 'data-table', children }: TableProps) {
  const t = useT();
  if (count === 0) {
    return (
      <p className="empty-state" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  }
  return (
    <div className="table-wrap">
      <table className={className} data-testid={`${testId}-table`}>
        {caption !== undefined && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{actions ?? t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

interface ActionsProps {
  texts: ListKeys;
  /** What the labels name the row by ({ name }, { shortcut }…). */
  vars: Vars;
  /** Prefix of the test ids: `${testId}-edit`, `${testId}-delete`. */
  testId: string;
  onEdit: () => void;
  onDelete: () => void;
  /** More buttons, between Edit and Delete. */
  children?: ReactNode;
}

/** A row's last cell: Edit, any more, Delete. */
export function EditDeleteCell({ texts, vars, testId, onEdit, onDelete, children }: ActionsProps) {
  const t = useT();
  return (
    <td className="actions-cell">
      <div className="row-actions">
        <button type="button" className="button small" onClick={onEdit} aria-label={t(`${texts}.editLabel`, vars)} data-testid={`${testId}-edit`}>
          {t(`${texts}.edit`)}
        </button>
        {children}
        <button type="button" className="button small danger-outline" onClick={onDelete} aria-label={t(`${texts}.deleteLabel`, vars)} data-testid={`${testId}-delete`}>
          {t(`${texts}.delete`)}
        </button>
      </div>
    </td>
  );
}

interface ConfirmProps {
  texts: ListKeys | 'imKeys';
  /** What the title names the row by. */
  vars: Vars;
  busy: boolean;
  testId: string;
  onConfirm: () => void;
  onClose: () => void;
}

/** Asks before deleting a row. */
export function ConfirmDelete({ texts, vars, busy, testId, onConfirm, onClose }: ConfirmProps) {
  const t = useT();
  return <ConfirmDialog title={t(`${texts}.deleteTitle`, vars)} text={t(`${texts}.deleteText`)} confirm={t(`${texts}.delete`)} danger busy={busy} testId={testId} onConfirm={onConfirm} onClose={onClose} />;
}
