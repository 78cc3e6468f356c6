// Pages that load on their own when first shown (the reports, with Chart.js), so the app's first
// load stays small: the loading line while the page's file comes, and what it says if it does not.
import { type ComponentType, lazy, type ReactNode, Suspense } from 'react';
import { useT } from '../i18n/i18n.ts';
import { LoadState } from './Page.tsx';

function Missing() {
  const t = useT();
  // The network, or a new version of the app replaced the file: a reload fetches the page again.
  return <LoadState error={t('common.network')} onRetry={() => location.reload()} />;
}

/** A page component whose code `load` brings when it is first rendered (inside a PageSuspense). */
export function lazyPage(load: () => Promise<ComponentType>): ComponentType {
  return lazy(() => load().then((page) => ({ default: page }), () => ({ default: Missing })));
}

/** Shows the loading line while a lazy page's code comes. */
export function PageSuspense({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadState error={null} onRetry={() => undefined} />}>{children}</Suspense>;
}
