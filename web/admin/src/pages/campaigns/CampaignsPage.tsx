// The site's campaigns: the list (the first is the site's default, shown by a tag that names none),
// creating, renaming and deleting one, and below the list the settings of the one being edited.
import { useEffect, useState } from 'react';
import { createCampaign, deleteCampaign, fetchCampaigns, renameCampaign } from '../../api/settings.ts';
import type { Campaign } from '../../api/types.ts';
import { ConfirmDelete, EditDeleteCell, ListTable } from '../../components/ListTable.tsx';
import { LoadState, Page } from '../../components/Page.tsx';
import { ErrorLine, StatusLine } from '../../components/Status.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/i18n.ts';
import { CampaignEditor } from './CampaignEditor.tsx';
import { NameDialog } from './NameDialog.tsx';
import { useListChange } from '../../components/useListChange.ts';

type Open = { kind: 'create' } | { kind: 'rename' | 'delete'; campaign: Campaign };

export function CampaignsPage() {
  const t = useT();
  const campaigns = useLoad(fetchCampaigns);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [open, setOpen] = useState<Open | null>(null);
  const { status, setStatus, error, setError, busy, change } = useListChange(() => {
    setOpen(null);
    campaigns.reload();
  });
  // Asked to move the focus to the editor's heading once it shows the campaign chosen (after a dialog gave the focus back).
  const [focusEditor, setFocusEditor] = useState(0);
  const list = campaigns.data ?? [];
  const selected = list.find((c) => c.id === selectedId) ?? list[0] ?? null;

  const replaced = (saved: Campaign) => campaigns.setData(list.map((c) => (c.id === saved.id ? saved : c)));

  useEffect(() => {
    if (focusEditor > 0) document.getElementById('campaign-editor-title')?.focus();
  }, [focusEditor]);

  function edit(campaign: Campaign) {
    setSelectedId(campaign.id);
    setFocusEditor((n) => n + 1);
  }

  const remove = (campaign: Campaign) => change(() => deleteCampaign(campaign.id), t('campaigns.deleted', { name: campaign.name }));

  const add = (
    <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })} data-testid="campaign-add">
      {t('campaigns.add')}
    </button>
  );

  return (
    <Page id="campaigns" intro={t('campaigns.intro')} action={add}>
      <ErrorLine text={error} testId="campaigns-error" />
      <StatusLine text={status} testId="campaigns-status" />
      {!campaigns.data ? (
        <LoadState error={campaigns.error} onRetry={campaigns.reload} />
      ) : (
        <ListTable testId="campaigns" className="data-table wide-actions" count={list.length} empty={t('campaigns.empty')} caption={t('campaigns.count', { count: list.length })} columns={[t('campaigns.name'), t('campaign.prechat'), t('campaign.invitations')]}>
          {list.map((c, i) => (
            <tr key={c.id} data-testid="campaign-row" data-campaign-id={c.id} aria-current={c.id === selected?.id ? 'true' : undefined} className={c.id === selected?.id ? 'selected' : undefined}>
              <th scope="row">
                {c.name}
                {i === 0 && <span className="chip small">{t('campaigns.default')}</span>}
              </th>
              <td>{c.settings.prechat.enabled ? t('campaigns.on') : t('campaigns.off')}</td>
              <td className="num">{c.settings.invitations.length}</td>
              <EditDeleteCell texts="campaigns" vars={{ name: c.name }} testId="campaign" onEdit={() => edit(c)} onDelete={() => setOpen({ kind: 'delete', campaign: c })}>
                <button type="button" className="button small" onClick={() => setOpen({ kind: 'rename', campaign: c })} aria-label={t('campaigns.renameLabel', { name: c.name })} data-testid="campaign-rename">
                  {t('campaigns.rename')}
                </button>
              </EditDeleteCell>
            </tr>
          ))}
        </ListTable>
      )}
      {selected && <CampaignEditor key={selected.id} campaign={selected} onSaved={replaced} />}
      {(open?.kind === 'create' || open?.kind === 'rename') && (
        <NameDialog
          campaign={open.kind === 'rename' ? open.campaign : null}
          save={open.kind === 'rename' ? (name) => renameCampaign(open.campaign.id, name) : createCampaign}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            setError(null);
            setStatus(t(open.kind === 'rename' ? 'campaigns.renamed' : 'campaigns.created', { name: saved.name }));
            if (open.kind === 'rename') replaced(saved);
            else {
              campaigns.setData([...list, saved]);
              edit(saved);
            }
          }}
        />
      )}
      {open?.kind === 'delete' && <ConfirmDelete texts="campaigns" vars={{ name: open.campaign.name }} busy={busy} testId="campaign-delete-dialog" onConfirm={() => void remove(open.campaign)} onClose={() => setOpen(null)} />}
    </Page>
  );
}
