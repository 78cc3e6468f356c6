// The webhook: where the IM API's reply notifications are POSTed, the secret that signs them, and
// the deliveries with their attempts (a dead one can be sent again).
import { fetchWebhook } from '../../../api/settings.ts';
import { LoadState, Page } from '../../../components/Page.tsx';
import { useLoad } from '../../../components/useLoad.ts';
import { useT } from '../../../i18n/i18n.ts';
import { Deliveries } from './Deliveries.tsx';
import { WebhookForm } from './WebhookForm.tsx';

export function WebhookPage() {
  const t = useT();
  const webhook = useLoad(fetchWebhook);
  return (
    <Page id="webhook" intro={t('webhook.intro')}>
      {webhook.data ? <WebhookForm saved={webhook.data} onSaved={webhook.setData} /> : <LoadState error={webhook.error} onRetry={webhook.reload} />}
      <Deliveries />
    </Page>
  );
}
