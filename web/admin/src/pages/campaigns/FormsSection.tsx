// The offline message form (on or off, its message) and the post-chat survey (on or off).
import { describedBy, FieldProblem } from '../../components/FieldProblem.tsx';
import { useT } from '../../i18n/i18n.ts';
import type { SectionProps } from './draft.ts';

export function FormsSection({ draft, change, problem }: SectionProps) {
  const t = useT();
  const { offline, survey } = draft;
  return (
    <>
      <fieldset className="card campaign-section" data-testid="campaign-offline">
        <legend>{t('campaign.offline')}</legend>
        <label className="check-field">
          <input type="checkbox" checked={offline.enabled} onChange={(e) => change((d) => ({ ...d, offline: { ...d.offline, enabled: e.target.checked } }))} data-testid="campaign-offline-enabled" />
          <span>{t('campaign.offlineEnabled')}</span>
        </label>
        <div className="field">
          <label htmlFor="campaign-offline-message">{t('campaign.offlineMessage')}</label>
          <textarea
            rows={2}
            maxLength={500}
            value={offline.message}
            onChange={(e) => change((d) => ({ ...d, offline: { ...d.offline, message: e.target.value } }))}
            {...describedBy('campaign-offline-message', problem('settings.offline.message'), 'campaign-offline-hint')}
            data-testid="campaign-offline-message"
          />
          <small className="hint" id="campaign-offline-hint">
            {t('campaign.offlineHint')}
          </small>
          <FieldProblem id="campaign-offline-message" text={problem('settings.offline.message')} />
        </div>
      </fieldset>
      <fieldset className="card campaign-section" data-testid="campaign-survey">
        <legend>{t('campaign.survey')}</legend>
        <label className="check-field">
          <input type="checkbox" checked={survey.enabled} onChange={(e) => change((d) => ({ ...d, survey: { enabled: e.target.checked } }))} data-testid="campaign-survey-enabled" />
          <span>{t('campaign.surveyEnabled')}</span>
        </label>
      </fieldset>
    </>
  );
}
