// Adding a skill or changing one: its name as the app sends it, the group that answers it, and the
// app's deep link (action, URI, destination; an empty field is none). A change sends only what changed.
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../../console/src/components/Dialog.tsx';
import { errorsByField, problemText } from '../../../api/problems.ts';
import { createSkill, updateSkill } from '../../../api/settings.ts';
import type { DeepLink, Group, WebviewSkill, WebviewSkillInput } from '../../../api/types.ts';
import { describedBy, FieldProblem } from '../../../components/FieldProblem.tsx';
import { ErrorLine } from '../../../components/Status.tsx';
import { useT } from '../../../i18n/i18n.ts';
import { FormActions } from '../../../../../console/src/components/FormActions.tsx';

interface Props {
  /** null: a new skill. */
  skill: WebviewSkill | null;
  groups: Group[];
  onClose: () => void;
  onSaved: (status: string) => void;
}

interface Draft {
  name: string;
  /** A group's id, or '' for none. */
  groupId: string;
  action: string;
  uri: string;
  destination: string;
}

const LINK_FIELDS = ['action', 'uri', 'destination'] as const;

const draftOf = (s: WebviewSkill | null): Draft => ({
  name: s?.name ?? '',
  groupId: s?.groupId == null ? '' : String(s.groupId),
  action: s?.deepLink?.action ?? '',
  uri: s?.deepLink?.uri ?? '',
  destination: s?.deepLink?.destination ?? '',
});

function inputOf(d: Draft): Required<WebviewSkillInput> & { name: string } {
  const link: DeepLink = { action: d.action.trim() || null, uri: d.uri.trim() || null, destination: d.destination.trim() || null };
  return { name: d.name.trim(), groupId: d.groupId === '' ? null : Number(d.groupId), deepLink: LINK_FIELDS.every((f) => link[f] === null) ? null : link };
}

function changesOf(skill: WebviewSkill, d: Draft): WebviewSkillInput {
  const next = inputOf(d);
  const change: WebviewSkillInput = {};
  if (next.name !== skill.name) change.name = next.name;
  if (next.groupId !== skill.groupId) change.groupId = next.groupId;
  if (LINK_FIELDS.some((f) => (next.deepLink?.[f] ?? null) !== (skill.deepLink?.[f] ?? null))) change.deepLink = next.deepLink;
  return change;
}

export function SkillDialog({ skill, groups, onClose, onSaved }: Props) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(skill));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<ReadonlyMap<string, string>>(new Map());
  const set = (f: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [f]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setProblems(new Map());
    try {
      let saved: WebviewSkill;
      if (skill) {
        const change = changesOf(skill, draft);
        saved = Object.keys(change).length > 0 ? await updateSkill(skill.id, change) : skill;
      } else {
        saved = await createSkill(inputOf(draft));
      }
      onSaved(t(skill ? 'skills.saved' : 'skills.created', { name: saved.name }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setProblems(errorsByField(err));
      setBusy(false);
    }
  }

  // A refused deep link as a whole (null or not an object) is said at its first field.
  const linkProblem = (f: (typeof LINK_FIELDS)[number]) => problems.get(`deepLink.${f}`) ?? (f === 'action' ? problems.get('deepLink') : undefined);

  return (
    <Dialog title={skill ? t('skillForm.editTitle', { name: skill.name }) : t('skillForm.createTitle')} onClose={onClose} testId="skill-dialog" wide>
      <form onSubmit={submit} data-testid="skill-form">
        <div className="form-grid">
          <div className="field">
            <label htmlFor="skill-name">{t('skills.name')}</label>
            <input className="mono" required maxLength={50} spellCheck={false} autoComplete="off" value={draft.name} onChange={set('name')} {...describedBy('skill-name', problems.get('name'), 'skill-name-hint')} data-testid="skill-name" />
            <small className="hint" id="skill-name-hint">
              {t('skillForm.nameHint')}
            </small>
            <FieldProblem id="skill-name" text={problems.get('name')} />
          </div>
          <div className="field">
            <label htmlFor="skill-group">{t('skills.group')}</label>
            <select value={draft.groupId} onChange={set('groupId')} {...describedBy('skill-group', problems.get('groupId'))} data-testid="skill-group">
              <option value="">{t('skillForm.groupNone')}</option>
              {groups.map((g) => (
                <option key={g.id} value={String(g.id)}>
                  {g.name}
                </option>
              ))}
            </select>
            <FieldProblem id="skill-group" text={problems.get('groupId')} />
          </div>
        </div>
        <fieldset className="field">
          <legend>{t('skillForm.deepLink')}</legend>
          <div className="form-grid">
            {LINK_FIELDS.map((f) => (
              <div className={f === 'uri' ? 'field span-2' : 'field'} key={f}>
                <label htmlFor={`skill-${f}`}>{t(`skills.${f}`)}</label>
                <input
                  className={f === 'destination' ? undefined : 'mono'}
                  type={f === 'uri' ? 'url' : 'text'}
                  maxLength={f === 'uri' ? 500 : f === 'action' ? 100 : 200}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder={f === 'uri' ? 'https://' : undefined}
                  value={draft[f]}
                  onChange={set(f)}
                  {...describedBy(`skill-${f}`, linkProblem(f), `skill-${f}-hint`)}
                  data-testid={`skill-${f}`}
                />
                <small className="hint" id={`skill-${f}-hint`}>
                  {t(`skillForm.${f}Hint`)}
                </small>
                <FieldProblem id={`skill-${f}`} text={linkProblem(f)} />
              </div>
            ))}
          </div>
        </fieldset>
        <ErrorLine text={error} testId="skill-form-error" />
        <FormActions submit={busy ? t('common.saving') : skill ? t('common.save') : t('skillForm.create')} onCancel={onClose} disabled={busy} testId="skill-save" />
      </form>
    </Dialog>
  );
}
