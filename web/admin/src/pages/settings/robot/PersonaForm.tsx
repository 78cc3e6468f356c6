// The robot's persona and hand-over: saved whole (the API replaces the robot's settings together).
import { type FormEvent, useState } from 'react';
import { updateImSettings } from '../../../api/settings.ts';
import type { ImSettings, RobotQuestion, RobotSettings } from '../../../api/types.ts';
import { describedBy, FieldProblem } from '../../../components/FieldProblem.tsx';
import { SaveActions } from '../../../components/Status.tsx';
import { useSave } from '../../../components/useSave.ts';
import { useT } from '../../../i18n/i18n.ts';

type Text = 'name' | 'avatar' | 'welcomeMessage' | 'unknownMessage' | 'handoverMessage';
type Draft = Record<Text | 'handoverAfterMisses', string> & { guide: number[] };
/** The API's limit on the guide list. */
const MAX_GUIDE = 20;

const draftOf = (r: RobotSettings): Draft => ({
  name: r.name,
  avatar: r.avatar ?? '',
  welcomeMessage: r.welcomeMessage,
  unknownMessage: r.unknownMessage,
  handoverMessage: r.handoverMessage,
  handoverAfterMisses: String(r.handoverAfterMisses),
  guide: r.guideQuestionIds,
});

const robotOf = (d: Draft, questions: RobotQuestion[]): RobotSettings => ({
  name: d.name.trim(),
  avatar: d.avatar.trim() || null,
  welcomeMessage: d.welcomeMessage.trim(),
  unknownMessage: d.unknownMessage.trim(),
  handoverMessage: d.handoverMessage.trim(),
  handoverAfterMisses: Number(d.handoverAfterMisses),
  // A question deleted since is left out (the server would keep offering nothing for it).
  guideQuestionIds: d.guide.filter((id) => questions.some((q) => q.id === id)),
});

interface Props {
  saved: RobotSettings;
  questions: RobotQuestion[];
  onSaved: (settings: ImSettings) => void;
}

export function PersonaForm({ saved, questions, onSaved }: Props) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const { busy, status, error, problems, save } = useSave();
  const offered = questions.filter((q) => q.kind === 'qa' && q.isActive);

  function submit(e: FormEvent) {
    e.preventDefault();
    void save(async () => {
      const result = await updateImSettings({ robot: robotOf(draft, questions) });
      setDraft(draftOf(result.robot));
      onSaved(result);
      return t('robot.saved');
    });
  }

  /** A labelled field with its hint (translated) and the server's word on it. */
  const field = (name: Text | 'handoverAfterMisses', control: (props: object) => React.JSX.Element, hint?: string, wide?: boolean) => {
    const id = `robot-${name}`;
    const problem = problems.get(`robot.${name}`);
    return (
      <div className={wide ? 'field span-2' : 'field'}>
        <label htmlFor={id}>{t(`robot.${name}`)}</label>
        {control({ value: draft[name], onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [name]: e.target.value })), ...describedBy(id, problem, hint ? `${id}-hint` : undefined), 'data-testid': id })}
        {hint && (
          <small className="hint" id={`${id}-hint`}>
            {hint}
          </small>
        )}
        <FieldProblem id={id} text={problem} />
      </div>
    );
  };
  const line = (max: number) => (props: object) => <input required maxLength={max} {...props} />;
  const text = (props: object) => <textarea required rows={2} maxLength={2000} {...props} />;

  function toggleGuide(id: number, on: boolean) {
    setDraft((d) => ({ ...d, guide: on ? [...d.guide, id] : d.guide.filter((g) => g !== id) }));
  }

  return (
    <form className="card form-grid" onSubmit={submit} aria-labelledby="robot-persona-title" data-testid="robot-form">
      <h2 id="robot-persona-title" className="span-2">
        {t('robot.persona')}
      </h2>
      {field('name', line(100))}
      {field('avatar', (props) => <input type="url" maxLength={2000} {...props} />, t('robot.avatarHint'))}
      {field('welcomeMessage', text, undefined, true)}
      {field('unknownMessage', text, undefined, true)}
      {field('handoverMessage', text, undefined, true)}
      {field('handoverAfterMisses', (props) => <input type="number" required min={0} max={100} {...props} />, t('robot.handoverAfterMissesHint'))}
      <fieldset className="choice-group span-2" data-testid="robot-guide">
        <legend>{t('robot.guide')}</legend>
        {offered.length === 0 ? (
          <p className="hint">{t('robot.guideNone')}</p>
        ) : (
          <ul>
            {offered.map((q) => (
              <li key={q.id}>
                <label className="choice">
                  <input type="checkbox" checked={draft.guide.includes(q.id)} disabled={!draft.guide.includes(q.id) && draft.guide.length >= MAX_GUIDE} onChange={(e) => toggleGuide(q.id, e.target.checked)} data-testid="robot-guide-question" />
                  {q.title}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <SaveActions prefix="robot" error={error} status={status} busy={busy} className="span-2" />
    </form>
  );
}
