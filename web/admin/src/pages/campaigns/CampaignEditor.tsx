// One campaign's settings in one form: the look, the pre-chat form, the offline form, the survey
// and the invitation rules, saved together; then the tag that shows the campaign. A refused save
// says why at the top and under each field the server named.
import { type FormEvent, useState } from 'react';
import { saveCampaignSettings } from '../../api/settings.ts';
import { errorsByField, problemText } from '../../api/problems.ts';
import type { Campaign } from '../../api/types.ts';
import { SaveActions } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';
import { type Draft, draftOf, settingsOf } from './draft.ts';
import { FormsSection } from './FormsSection.tsx';
import { InvitationsSection } from './InvitationsSection.tsx';
import { LookSection } from './LookSection.tsx';
import { PrechatSection } from './PrechatSection.tsx';
import { WidgetTag } from './WidgetTag.tsx';

interface Props {
  campaign: Campaign;
  onSaved: (campaign: Campaign) => void;
}

/** The rows' order: the server names rows by index, so its errors hold only while the rows stay where they were. */
const rowsOf = (d: Draft) => `${d.prechat.fields.map((f) => f.key).join()}|${d.invitations.map((r) => r.key).join()}`;

export function CampaignEditor({ campaign, onSaved }: Props) {
  const t = useT();
  const [draft, setDraft] = useState<Draft>(() => draftOf(campaign.settings));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ rows: string; byField: ReadonlyMap<string, string> } | null>(null);
  const problem = (path: string) => (problems && problems.rows === rowsOf(draft) ? problems.byField.get(path) : undefined);
  const change = (update: (d: Draft) => Draft) => {
    setDraft(update);
    setStatus(null);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setStatus(null);
    setProblems(null);
    try {
      const saved = await saveCampaignSettings(campaign.id, settingsOf(draft));
      setDraft(draftOf(saved.settings));
      onSaved(saved);
      setStatus(t('campaign.saved', { name: saved.name }));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setProblems({ rows: rowsOf(draft), byField: errorsByField(err) });
    } finally {
      setBusy(false);
    }
  }

  const sections = { draft, change, problem };
  return (
    <section className="campaign-editor" aria-labelledby="campaign-editor-title" data-testid="campaign-editor" data-campaign-id={campaign.id}>
      <h2 id="campaign-editor-title" tabIndex={-1}>
        {t('campaign.editorTitle', { name: campaign.name })}
      </h2>
      <form onSubmit={submit} data-testid="campaign-form">
        <LookSection {...sections} />
        <PrechatSection {...sections} />
        <FormsSection {...sections} />
        <InvitationsSection {...sections} />
        <SaveActions prefix="campaign" error={error} status={status} busy={busy} className="sticky-actions" label={t('campaign.save')} />
      </form>
      <WidgetTag siteId={campaign.siteId} campaignId={campaign.id} />
    </section>
  );
}
