// Auto-invitation rules: after N seconds on a page whose address contains a text (any page when
// empty), from the visitor's Nth visit (every visit when empty), invite with a message.
import { useRef } from 'react';
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { useT } from '../../i18n/i18n.ts';
import { MAX_RULES, newRule, type RuleDraft, type SectionProps } from './draft.ts';

export function InvitationsSection({ draft, change, problem }: SectionProps) {
  const t = useT();
  const add = useRef<HTMLButtonElement>(null);
  const rules = draft.invitations;
  const setRules = (invitations: RuleDraft[]) => change((d) => ({ ...d, invitations }));
  const setRule = (key: number, patch: Partial<RuleDraft>) => setRules(rules.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  function addRule() {
    const rule = newRule();
    setRules([...rules, rule]);
    // The new rule's first field, ready to type in.
    requestAnimationFrame(() => document.getElementById(`campaign-rule-${rule.key}-afterSeconds`)?.focus());
  }

  function remove(key: number) {
    setRules(rules.filter((r) => r.key !== key));
    requestAnimationFrame(() => add.current?.focus());
  }

  return (
    <fieldset className="card campaign-section" data-testid="campaign-invitations">
      <legend>{t('campaign.invitations')}</legend>
      <p className="hint">{t('campaign.invitationsHint')}</p>
      {rules.length === 0 && <p className="muted">{t('campaign.noRules')}</p>}
      <ol className="rule-list">
        {rules.map((r, i) => {
          const n = i + 1;
          const id = (prop: string) => `campaign-rule-${r.key}-${prop}`;
          const at = (prop: string) => problem(`settings.invitations.${i}.${prop}`);
          const input = (prop: 'afterSeconds' | 'urlContains' | 'onVisit', label: string, attrs: object, hint?: string) => (
            <div className="field">
              <label htmlFor={id(prop)}>{label}</label>
              <input {...attrs} value={r[prop]} onChange={(e) => setRule(r.key, { [prop]: e.target.value })} {...describedBy(id(prop), at(prop), hint && `${id(prop)}-hint`)} data-testid={`campaign-rule-${prop}`} />
              {hint && (
                <small className="hint" id={`${id(prop)}-hint`}>
                  {hint}
                </small>
              )}
              <FieldProblem id={id(prop)} text={at(prop)} />
            </div>
          );
          return (
            <li key={r.key}>
              <fieldset className="rule" data-testid="campaign-rule">
                <legend>{t('campaign.rule', { n })}</legend>
                <div className="rule-fields">
                  {input('afterSeconds', t('campaign.afterSeconds'), { type: 'number', required: true, min: 0, max: 3600 })}
                  {input('urlContains', t('campaign.urlContains'), { maxLength: 500, spellCheck: false }, t('campaign.urlContainsHint'))}
                  {input('onVisit', t('campaign.onVisit'), { type: 'number', min: 1, max: 100 }, t('campaign.onVisitHint'))}
                </div>
                <div className="field">
                  <label htmlFor={id('message')}>{t('campaign.ruleMessage')}</label>
                  <textarea rows={2} required maxLength={500} value={r.message} onChange={(e) => setRule(r.key, { message: e.target.value })} {...describedBy(id('message'), at('message'))} data-testid="campaign-rule-message" />
                  <FieldProblem id={id('message')} text={at('message')} />
                </div>
                <button type="button" className="button small danger-outline" onClick={() => remove(r.key)} aria-label={t('campaign.removeRule', { n })} data-testid="campaign-rule-remove">
                  {t('campaign.remove')}
                </button>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="section-actions">
        <button ref={add} type="button" className="button small" disabled={rules.length >= MAX_RULES} onClick={addRule} data-testid="campaign-rule-add">
          {t('campaign.addRule')}
        </button>
      </div>
    </fieldset>
  );
}
