// The skills of the app's WebView chat: name, the group that answers, the deep link; adding one,
// changing one (SkillDialog.tsx), deleting one after asking, and adding the spec's standard skills.
import { useState } from 'react';
import { addStandardSkills, deleteSkill } from '../../../api/settings.ts';
import type { WebviewSkill } from '../../../api/types.ts';
import { ConfirmDelete, EditDeleteCell, ListTable } from '../../../components/ListTable.tsx';
import { ErrorLine, StatusLine } from '../../../components/Status.tsx';
import { useListChange } from '../../../components/useListChange.ts';
import { useT } from '../../../i18n/i18n.ts';
import type { Skills } from './MobileAppPage.tsx';
import { SkillDialog } from './SkillDialog.tsx';

type Open = { kind: 'create' } | { kind: 'edit' | 'delete'; skill: WebviewSkill };

interface Props {
  data: Skills;
  /** Load the list again (after a change). */
  onChanged: () => void;
}

export function SkillsSection({ data, onChanged }: Props) {
  const t = useT();
  const [open, setOpen] = useState<Open | null>(null);
  const { status, error, busy, change, saved } = useListChange(() => {
    setOpen(null);
    onChanged();
  });
  const groupName = (id: number | null) => (id === null ? t('skills.routingRule') : (data.groups.find((g) => g.id === id)?.name ?? `#${id}`));

  const remove = (s: WebviewSkill) => change(() => deleteSkill(s.id), t('skills.deleted', { name: s.name }));
  const presets = () => change(addStandardSkills, t('skills.presetsDone'));

  return (
    <section className="page-section" aria-labelledby="skills-title" data-testid="skills">
      <div className="page-header">
        <h2 id="skills-title">{t('skills.title')}</h2>
        <div className="row-actions">
          <button type="button" className="button" disabled={busy} onClick={() => void presets()} data-testid="skills-presets">
            {t('skills.presets')}
          </button>
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="skill-add">
            {t('skills.add')}
          </button>
        </div>
      </div>
      <p className="page-intro">{t('skills.intro')}</p>
      <ErrorLine text={error} testId="skills-error" />
      <StatusLine text={status} testId="skills-status" />
      <ListTable testId="skills" count={data.skills.length} empty={t('skills.empty')} caption={t('skills.count', { count: data.skills.length })} columns={[t('skills.name'), t('skills.group'), t('skills.deepLink')]}>
        {data.skills.map((s) => (
          <tr key={s.id} data-testid="skill-row" data-skill-id={s.id} data-skill-name={s.name}>
            <th scope="row" className="mono">
              {s.name}
            </th>
            <td data-testid="skill-group">{groupName(s.groupId)}</td>
            <td className="clip-cell" data-testid="skill-link">
              {s.deepLink ? <DeepLinkCell link={s.deepLink} /> : <span className="muted">{t('skills.noLink')}</span>}
            </td>
            <EditDeleteCell texts="skills" vars={{ name: s.name }} testId="skill" onEdit={() => setOpen({ kind: 'edit', skill: s })} onDelete={() => setOpen({ kind: 'delete', skill: s })} />
          </tr>
        ))}
      </ListTable>
      {(open?.kind === 'create' || open?.kind === 'edit') && <SkillDialog skill={open.kind === 'edit' ? open.skill : null} groups={data.groups} onClose={() => setOpen(null)} onSaved={saved} />}
      {open?.kind === 'delete' && <ConfirmDelete texts="skills" vars={{ name: open.skill.name }} busy={busy} testId="skill-delete-dialog" onConfirm={() => void remove(open.skill)} onClose={() => setOpen(null)} />}
    </section>
  );
}

function DeepLinkCell({ link }: { link: NonNullable<WebviewSkill['deepLink']> }) {
  const t = useT();
  return (
    <>
      {link.action && <span className="mono">{link.action}</span>}
      {link.destination && <small className="muted block">{link.destination}</small>}
      {link.uri && (
        <small className="muted block mono">
          <span className="visually-hidden">{t('skills.uri')}: </span>
          {link.uri}
        </small>
      )}
    </>
  );
}
