// Naming a new campaign, or renaming one. The server keeps names unique in a site and says so.
import { type FormEvent, useState } from 'react';
import { Dialog } from '../../../../console/src/components/Dialog.tsx';
import { problemText } from '../../api/problems.ts';
import type { Campaign } from '../../api/types.ts';
import { ErrorLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';
import { FormActions } from '../../../../console/src/components/FormActions.tsx';

interface Props {
  /** null: a new campaign. */
  campaign: Campaign | null;
  save: (name: string) => Promise<Campaign>;
  onClose: () => void;
  onSaved: (campaign: Campaign) => void;
}

export function NameDialog({ campaign, save, onClose, onSaved }: Props) {
  const t = useT();
  const [name, setName] = useState(campaign?.name ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(await save(name.trim()));
    } catch (err) {
      setError(problemText(err, t('common.network')));
      setBusy(false);
    }
  }

  return (
    <Dialog title={campaign ? t('campaigns.renameTitle', { name: campaign.name }) : t('campaigns.createTitle')} onClose={onClose} testId="campaign-name-dialog">
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor="campaign-name">{t('campaigns.name')}</label>
          <input id="campaign-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} aria-describedby={error ? 'campaign-name-error' : undefined} aria-invalid={error ? true : undefined} data-testid="campaign-name" />
        </div>
        <ErrorLine text={error} testId="campaign-name-error" id="campaign-name-error" />
        <FormActions submit={busy ? t('common.saving') : campaign ? t('common.save') : t('campaigns.create')} onCancel={onClose} disabled={busy} testId="campaign-name-save" />
      </form>
    </Dialog>
  );
}
