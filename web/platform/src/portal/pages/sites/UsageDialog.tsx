// A site's usage figures: its agents, visitors, chats (all, the last 30 days, open now) and messages.
import { useCallback } from 'react';
import { Dialog } from '../../../../../console/src/components/Dialog.tsx';
import { getLang } from '../../../../../console/src/i18n/i18n.ts';
import { LoadState } from '../../../../../admin/src/components/Page.tsx';
import { useLoad } from '../../../../../admin/src/components/useLoad.ts';
import { type Site, siteUsage } from '../../api/sites.ts';
import { useT } from '../../i18n.ts';

export function UsageDialog({ site, onClose }: { site: Site; onClose: () => void }) {
  const t = useT();
  const loaded = useLoad(useCallback(() => siteUsage(site.id), [site.id]));
  const number = new Intl.NumberFormat(getLang());
  const u = loaded.data;
  const figures = u
    ? ([
        ['agents', u.agents],
        ['visitors', u.visitors],
        ['chats', u.chats.total],
        ['chats30', u.chats.last30Days],
        ['open', u.chats.open],
        ['messages', u.messages],
      ] as const)
    : [];
  return (
    <Dialog title={t('sites.usageTitle', { company: site.company })} onClose={onClose} testId="site-usage-dialog">
      {u ? (
        <dl className="usage-figures" data-testid="site-usage-figures">
          {figures.map(([key, value]) => (
            <div key={key} data-testid={`usage-${key}`}>
              <dt>{t(`sites.usage.${key}`)}</dt>
              <dd>{number.format(value)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <LoadState error={loaded.error} onRetry={loaded.reload} />
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} data-testid="site-usage-close">
          {t('sites.close')}
        </button>
      </div>
    </Dialog>
  );
}
