// The pre-chat form: on or off, its message, and its fields (name, label, type, required), which
// can be added, moved and removed. Focus follows a moved row and goes to "Add field" after a removal.
import { useRef } from 'react';
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { useT } from '../../i18n/i18n.ts';
import { type Draft, FIELD_TYPES, type FieldDraft, type FieldType, inWords, MAX_FIELDS, moved, newField, type SectionProps } from './draft.ts';

export function PrechatSection({ draft, change, problem }: SectionProps) {
  const t = useT();
  const add = useRef<HTMLButtonElement>(null);
  const prechat = draft.prechat;
  const setPrechat = (patch: Partial<Draft['prechat']>) => change((d) => ({ ...d, prechat: { ...d.prechat, ...patch } }));
  const setField = (key: number, patch: Partial<FieldDraft>) => setPrechat({ fields: prechat.fields.map((f) => (f.key === key ? { ...f, ...patch } : f)) });

  function move(index: number, by: -1 | 1) {
    const key = prechat.fields[index]!.key;
    setPrechat({ fields: moved(prechat.fields, index, by) });
    // The row's buttons were re-rendered in the new place: give the focus back to the one pressed, or its twin at the end of the list.
    requestAnimationFrame(() => {
      const row = document.querySelector(`[data-field-key="${key}"]`);
      const pressed = row?.querySelector<HTMLButtonElement>(`[data-move="${by}"]:not(:disabled)`) ?? row?.querySelector<HTMLButtonElement>('[data-move]:not(:disabled)');
      pressed?.focus();
    });
  }

  function remove(key: number) {
    setPrechat({ fields: prechat.fields.filter((f) => f.key !== key) });
    requestAnimationFrame(() => add.current?.focus());
  }

  return (
    <fieldset className="card campaign-section" data-testid="campaign-prechat">
      <legend>{t('campaign.prechat')}</legend>
      <label className="check-field">
        <input type="checkbox" checked={prechat.enabled} onChange={(e) => setPrechat({ enabled: e.target.checked })} data-testid="campaign-prechat-enabled" />
        <span>{t('campaign.prechatEnabled')}</span>
      </label>
      <div className="field">
        <label htmlFor="campaign-prechat-message">{t('campaign.prechatMessage')}</label>
        <textarea rows={2} maxLength={500} value={prechat.message} onChange={(e) => setPrechat({ message: e.target.value })} {...describedBy('campaign-prechat-message', problem('settings.prechat.message'))} data-testid="campaign-prechat-message" />
        <FieldProblem id="campaign-prechat-message" text={problem('settings.prechat.message')} />
      </div>
      <div className="table-wrap">
        <table className="data-table fields-table" data-testid="campaign-fields">
          <caption className="caption-left">{t('campaign.fields')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('campaign.fieldName')}</th>
              <th scope="col">{t('campaign.fieldLabel')}</th>
              <th scope="col">{t('campaign.fieldType')}</th>
              <th scope="col">{t('campaign.fieldRequired')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('common.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {prechat.fields.map((f, i) => {
              const n = i + 1;
              const at = (prop: string) => problem(`settings.prechat.fields.${i}.${prop}`);
              const nameProblem = inWords(at('name'), t('campaign.fieldNameProblem'));
              const id = (prop: string) => `campaign-field-${f.key}-${prop}`;
              return (
                <tr key={f.key} data-testid="campaign-field" data-field-key={f.key}>
                  <td>
                    <input className="mono" required maxLength={32} spellCheck={false} value={f.name} onChange={(e) => setField(f.key, { name: e.target.value })} aria-label={t('campaign.fieldNameOf', { n })} {...describedBy(id('name'), nameProblem, 'campaign-fields-hint')} data-testid="campaign-field-name" />
                    <FieldProblem id={id('name')} text={nameProblem} />
                  </td>
                  <td>
                    <input maxLength={100} value={f.label} onChange={(e) => setField(f.key, { label: e.target.value })} aria-label={t('campaign.fieldLabelOf', { n })} {...describedBy(id('label'), at('label'))} data-testid="campaign-field-label" />
                    <FieldProblem id={id('label')} text={at('label')} />
                  </td>
                  <td>
                    <select value={f.type} onChange={(e) => setField(f.key, { type: e.target.value as FieldType })} aria-label={t('campaign.fieldTypeOf', { n })} data-testid="campaign-field-type">
                      {FIELD_TYPES.map((type) => (
                        <option key={type} value={type}>
                          {t(`campaign.type.${type}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="matrix-cell">
                    <input type="checkbox" checked={f.required} onChange={(e) => setField(f.key, { required: e.target.checked })} aria-label={t('campaign.fieldRequiredOf', { n })} data-testid="campaign-field-required" />
                  </td>
                  <td className="actions-cell">
                    <div className="row-actions">
                      <button type="button" className="button small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('campaign.moveUp', { n })} data-move="-1" data-testid="campaign-field-up">
                        ↑
                      </button>
                      <button type="button" className="button small" disabled={i === prechat.fields.length - 1} onClick={() => move(i, 1)} aria-label={t('campaign.moveDown', { n })} data-move="1" data-testid="campaign-field-down">
                        ↓
                      </button>
                      <button type="button" className="button small danger-outline" onClick={() => remove(f.key)} aria-label={t('campaign.removeField', { n })} data-testid="campaign-field-remove">
                        {t('campaign.remove')}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <small className="hint" id="campaign-fields-hint">
        {t('campaign.fieldsHint')}
      </small>
      <div className="section-actions">
        <button ref={add} type="button" className="button small" disabled={prechat.fields.length >= MAX_FIELDS} onClick={() => setPrechat({ fields: [...prechat.fields, newField()] })} data-testid="campaign-field-add">
          {t('campaign.addField')}
        </button>
      </div>
    </fieldset>
  );
}
