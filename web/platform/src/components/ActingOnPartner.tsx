// The partner portal's pages inside the platform admin, acting on one partner: its calls go to the
// platform's mount for that partner (/api/v1/platform/partners/<id>/…) with the admin's own token,
// and its menu's addresses are /platform/partners/<id>/<page>. App loads this file (and with it
// the portal's code) only at those addresses.
import { useEffect, useState } from 'react';
import { problemText } from '../../../admin/src/api/problems.ts';
import { PortalPages } from '../portal/components/PortalApp.tsx';
import { actOn } from '../portal/session.ts';
import { useStore as usePortalStore } from '../portal/store.ts';
import { useT } from '../i18n/i18n.ts';

/** The portal's menu and page for `partnerId`, once its profile is loaded (or why it did not load). */
export function ActingOnPartner({ partnerId }: { partnerId: number }) {
  const t = useT();
  const [error, setError] = useState<string | null>(null);
  // The portal's state outlives this component: until this partner is loaded, it may still hold
  // the one acted on before, whose pages must not show (nor load) under this partner's address.
  const loaded = usePortalStore((s) => s.partner?.id === partnerId && s.acting === partnerId);

  useEffect(() => {
    let current = true;
    setError(null);
    actOn(partnerId).then(
      () => requestAnimationFrame(() => current && document.querySelector<HTMLElement>('#main h1')?.focus()),
      (err: unknown) => current && setError(problemText(err, t('common.network'))),
    );
    return () => {
      current = false;
    };
  }, [partnerId, t]);

  if (error) {
    return (
      <main id="main" className="panel-main" tabIndex={-1} data-testid="acting-error">
        <p className="form-error" role="alert">
          {t('acting.failed', { error })}
        </p>
      </main>
    );
  }
  if (!loaded) {
    return (
      <p className="page-loading" role="status">
        <span className="spinner" aria-hidden="true" /> {t('common.loading')}
      </p>
    );
  }
  return <PortalPages />;
}
