// The robot's knowledge base: questions (with other phrasings) and their answers, and greetings
// (small talk); adding, changing and deleting one.
import { useState } from 'react';
import { deleteQuestion } from '../../../api/settings.ts';
import type { RobotQuestion } from '../../../api/types.ts';
import { ConfirmDelete, EditDeleteCell, ListTable } from '../../../components/ListTable.tsx';
import { ErrorLine, StatusLine } from '../../../components/Status.tsx';
import { useT } from '../../../i18n/i18n.ts';
import { QuestionDialog } from './QuestionDialog.tsx';
import { useListChange } from '../../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'edit' | 'delete'; question: RobotQuestion };

export function KnowledgeBase({ questions, onChanged }: { questions: RobotQuestion[]; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState<Open | null>(null);
  const { status, error, busy, change, saved } = useListChange(() => {
    setOpen(null);
    onChanged();
  });

  const remove = (q: RobotQuestion) => change(() => deleteQuestion(q.id), t('kb.deleted', { title: q.title }));

  return (
    <section className="page-section" aria-labelledby="kb-title" data-testid="kb">
      <div className="page-header">
        <h2 id="kb-title">{t('kb.title')}</h2>
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="kb-add">
          {t('kb.add')}
        </button>
      </div>
      <ErrorLine text={error} testId="kb-error" />
      <StatusLine text={status} testId="kb-status" />
      <ListTable testId="kb" count={questions.length} empty={t('kb.empty')} caption={t('kb.count', { count: questions.length })} columns={[t('kb.question'), t('kb.answer'), t('kb.state')]}>
        {questions.map((q) => (
          <tr key={q.id} data-testid="kb-row" data-question-id={q.id} className={q.isActive ? undefined : 'inactive'}>
            <th scope="row">
              {q.title}
              {q.kind === 'greeting' && <span className="chip small">{t('kb.kind.greeting')}</span>}
              {q.alternatives.length > 0 && <small className="muted block">{t('kb.alternativesCount', { count: q.alternatives.length })}</small>}
            </th>
            <td className="clip-cell">{q.answer}</td>
            <td>
              <span className={q.isActive ? 'chip chip-active' : 'chip chip-ended'}>{q.isActive ? t('kb.active') : t('kb.inactive')}</span>
            </td>
            <EditDeleteCell texts="kb" vars={{ title: q.title }} testId="kb" onEdit={() => setOpen({ kind: 'edit', question: q })} onDelete={() => setOpen({ kind: 'delete', question: q })} />
          </tr>
        ))}
      </ListTable>
      {(open?.kind === 'create' || open?.kind === 'edit') && <QuestionDialog question={open.kind === 'edit' ? open.question : null} onClose={() => setOpen(null)} onSaved={saved} />}
      {open?.kind === 'delete' && <ConfirmDelete texts="kb" vars={{ title: open.question.title }} busy={busy} testId="kb-delete-dialog" onConfirm={() => void remove(open.question)} onClose={() => setOpen(null)} />}
    </section>
  );
}
