// The robot's knowledge base: questions (with other phrasings) and their answers, and greetings
// (small talk); adding, changing and deleting one.
import { useState } from 'react';
import { ConfirmDialog } from '../../../../../console/src/components/ConfirmDialog.tsx';
import { deleteQuestion } from '../../../api/settings.ts';
import type { RobotQuestion } from '../../../api/types.ts';
import { ErrorLine, StatusLine } from '../../../components/Status.tsx';
import { useT } from '../../../i18n/i18n.ts';
import { QuestionDialog } from './QuestionDialog.tsx';
import { useListChange } from '../../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'edit' | 'delete'; question: RobotQuestion };

export function KnowledgeBase({ questions, onChanged }: { questions: RobotQuestion[]; onChanged: () => void }) {
  const t = useT();
  const [open, setOpen] = useState<Open | null>(null);
  const { status, setStatus, error, setError, busy, change } = useListChange(() => {
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
      {questions.length === 0 ? (
        <p className="empty-state" data-testid="kb-empty">
          {t('kb.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid="kb-table">
            <caption className="visually-hidden">{t('kb.count', { count: questions.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('kb.question')}</th>
                <th scope="col">{t('kb.answer')}</th>
                <th scope="col">{t('kb.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
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
                  <td className="actions-cell">
                    <div className="row-actions">
                      <button type="button" className="button small" onClick={() => setOpen({ kind: 'edit', question: q })} aria-label={t('kb.editLabel', { title: q.title })} data-testid="kb-edit">
                        {t('kb.edit')}
                      </button>
                      <button type="button" className="button small danger-outline" onClick={() => setOpen({ kind: 'delete', question: q })} aria-label={t('kb.deleteLabel', { title: q.title })} data-testid="kb-delete">
                        {t('kb.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(open?.kind === 'create' || open?.kind === 'edit') && (
        <QuestionDialog
          question={open.kind === 'edit' ? open.question : null}
          onClose={() => setOpen(null)}
          onSaved={(text) => {
            setOpen(null);
            setError(null);
            setStatus(text);
            onChanged();
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('kb.deleteTitle', { title: open.question.title })}
          text={t('kb.deleteText')}
          confirm={t('kb.delete')}
          danger
          busy={busy}
          testId="kb-delete-dialog"
          onConfirm={() => void remove(open.question)}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
