// The tag that shows a campaign on the customer's pages, ready to copy.
import { useState } from 'react';
import { StatusLine } from '../../components/Status.tsx';
import { useT } from '../../i18n/i18n.ts';
import { widgetTag } from './draft.ts';

export function WidgetTag({ siteId, campaignId }: { siteId: number; campaignId: number }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const tag = widgetTag(location.origin, siteId, campaignId);

  async function copy() {
    try {
      await navigator.clipboard.writeText(tag);
      setCopied(true);
    } catch {
      // No clipboard (a frame without the permission): the text is selected for a manual copy.
      document.querySelector<HTMLTextAreaElement>('#campaign-tag')?.select();
    }
  }

  return (
    <section className="card campaign-section" aria-labelledby="campaign-tag-title" data-testid="campaign-tag-section">
      <h3 id="campaign-tag-title">{t('campaign.tag')}</h3>
      <div className="field">
        <label htmlFor="campaign-tag">{t('campaign.tagLabel')}</label>
        <div className="input-with-button">
          <textarea id="campaign-tag" className="mono" readOnly rows={2} value={tag} onFocus={(e) => e.target.select()} aria-describedby="campaign-tag-hint" data-testid="campaign-tag" />
          <button type="button" className="button" onClick={() => void copy()} data-testid="campaign-tag-copy">
            {t('common.copy')}
          </button>
        </div>
        <small className="hint" id="campaign-tag-hint">
          {t('campaign.tagHint')}
        </small>
      </div>
      <StatusLine text={copied ? t('common.copied') : null} testId="campaign-tag-copied" />
    </section>
  );
}
