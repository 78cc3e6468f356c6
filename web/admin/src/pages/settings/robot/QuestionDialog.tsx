// Adding a question to the knowledge base or changing one: what kind, the question and its other
// phrasings (one a line), the answer, a link to read more, and whether the robot uses it.
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../../console/src/components/Dialog.tsx';
import { errorsByField, problemText } from '../../../api/problems.ts';
import { createQuestion, replaceQuestion } from '../../../api/settings.ts';
import type { QuestionInput, QuestionKind, RobotQuestion } from '../../../api/types.ts';
import { describedBy, FieldProblem } from '../../../components/FieldProblem.tsx';
import { ErrorLine } from '../../../components/Status.tsx';
import { useT } from '../../../i18n/i18n.ts';
import { FormActions } from '../../../../../console/src/components/FormActions.tsx';

interface Props {
  /** null: a new question. */
  question: RobotQuestion | null;
  onClose: () => void;
  onSaved: (status: string) => void;
}

export function QuestionDialog({ question, onClose, onSaved }: Props) {
  const t = useT();
  const [kind, setKind] = useState<QuestionKind>(question?.kind ?? 'qa');
  const [title, setTitle] = useState(question?.title ?? '');
  const [alternatives, setAlternatives] = useState(question?.alternatives.join('\n') ?? '');
  const [answer, setAnswer] = useState(question?.answer ?? '');
  const [link, setLink] = useState(question?.thirdUrl ?? '');
  const [active, setActive] = useState(question?.isActive ?? true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblems(new Map());
    const input: QuestionInput = {
      kind,
      title: title.trim(),
      alternatives: alternatives.split('\n').map((a) => a.trim()).filter((a) => a !== ''),
      answer: answer.trim(),
      // A change replaces the question whole: its related questions (not edited here) stay.
      related: question?.related ?? [],
      thirdUrl: link.trim() || null,
      isActive: active,
    };
    try {
      const saved = question ? await replaceQuestion(question.id, input) : await createQuestion(input);
      onSaved(t(question ? 'kb.saved' : 'kb.created', { title: saved.title }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setProblems(errorsByField(err));
      setBusy(false);
    }
  }

  const problem = (field: string) => problems.get(field) ?? [...problems].find(([path]) => path.startsWith(`${field}.`))?.[1];

  return (
    <Dialog title={question ? t('kb.editTitle', { title: question.title }) : t('kb.createTitle')} onClose={onClose} testId="kb-dialog" wide>
      <form onSubmit={submit} data-testid="kb-form">
        <div className="field">
          <label htmlFor="kb-kind">{t('kb.kind')}</label>
          <select id="kb-kind" value={kind} onChange={(e) => setKind(e.target.value as QuestionKind)} aria-describedby="kb-kind-hint" data-testid="kb-kind">
            <option value="qa">{t('kb.kind.qa')}</option>
            <option value="greeting">{t('kb.kind.greeting')}</option>
          </select>
          <small className="hint" id="kb-kind-hint">
            {t('kb.kindHint')}
          </small>
        </div>
        <div className="field">
          <label htmlFor="kb-title">{t('kb.question')}</label>
          <input required maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} {...describedBy('kb-title', problem('title'))} data-testid="kb-title" />
          <FieldProblem id="kb-title" text={problem('title')} />
        </div>
        <div className="field">
          <label htmlFor="kb-alternatives">{t('kb.alternatives')}</label>
          <textarea rows={3} value={alternatives} onChange={(e) => setAlternatives(e.target.value)} {...describedBy('kb-alternatives', problem('alternatives'), 'kb-alternatives-hint')} data-testid="kb-alternatives" />
          <small className="hint" id="kb-alternatives-hint">
            {t('kb.alternativesHint')}
          </small>
          <FieldProblem id="kb-alternatives" text={problem('alternatives')} />
        </div>
        <div className="field">
          <label htmlFor="kb-answer">{t('kb.answer')}</label>
          <textarea required rows={4} maxLength={10000} value={answer} onChange={(e) => setAnswer(e.target.value)} {...describedBy('kb-answer', problem('answer'))} data-testid="kb-answer" />
          <FieldProblem id="kb-answer" text={problem('answer')} />
        </div>
        <div className="field">
          <label htmlFor="kb-link">{t('kb.link')}</label>
          <input type="url" maxLength={2000} value={link} onChange={(e) => setLink(e.target.value)} {...describedBy('kb-link', problem('thirdUrl'), 'kb-link-hint')} data-testid="kb-link" />
          <small className="hint" id="kb-link-hint">
            {t('kb.linkHint')}
          </small>
          <FieldProblem id="kb-link" text={problem('thirdUrl')} />
        </div>
        <label className="check-field">
          <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="kb-active" />
          <span>{t('kb.activeLabel')}</span>
        </label>
        <ErrorLine text={error} testId="kb-form-error" />
        <FormActions submit={busy ? t('common.saving') : question ? t('common.save') : t('kb.add')} onCancel={onClose} disabled={busy} testId="kb-save" />
      </form>
    </Dialog>
  );
}
