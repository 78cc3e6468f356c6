// The platform admin's screens: the sign-in form, or the admin: header, menu and the page, in
// Parley's own brand (never a partner's). Acting on a partner (/platform/partners/<id>/…), the
// menu and the page are the partner portal's, loaded only then.
import { type ComponentType, lazy, Suspense, useEffect } from 'react';
import { lazyPage, PageSuspense } from '../../../admin/src/components/LazyPage.tsx';
import { useT } from '../i18n/i18n.ts';
import { ApplicationsPage } from '../pages/ApplicationsPage.tsx';
import { AuditPage } from '../pages/AuditPage.tsx';
import { OutboxPage } from '../pages/OutboxPage.tsx';
import { PartnersPage } from '../pages/PartnersPage.tsx';
import { SitesPage } from '../pages/SitesPage.tsx';
import type { PageId } from '../state/pages.ts';
import { useStore } from '../state/store.ts';
import { ActingNav, AdminHeader, AdminMenu } from './AdminChrome.tsx';
import { SignIn } from './SignIn.tsx';

// The reports page comes with Chart.js: it loads when it is first opened.
const ReportsPage = lazyPage(() => import('../pages/ReportsPage.tsx').then((m) => m.ReportsPage));

const PAGE_VIEWS: Record<PageId, ComponentType> = {
  applications: ApplicationsPage,
  partners: PartnersPage,
  sites: SitesPage,
  reports: ReportsPage,
  audit: AuditPage,
  outbox: OutboxPage,
};

const ActingOnPartner = lazy(() => import('./ActingOnPartner.tsx').then((m) => ({ default: m.ActingOnPartner })));

function Admin() {
  const t = useT();
  const page = useStore((s) => s.page);
  const acting = useStore((s) => s.acting);
  useEffect(() => {
    // Acting, the portal's page names the tab (its page and the partner).
    if (acting === null) document.title = `${t(`page.${page}`)} · ${t('app.title')}`;
  }, [t, page, acting]);
  const View = PAGE_VIEWS[page];
  return (
    <div className="panel">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <AdminHeader />
      {acting === null ? (
        <div className="panel-columns">
          <AdminMenu current={page} />
          <main id="main" className="panel-main" tabIndex={-1} data-testid="platform-body">
            <PageSuspense>
              <View key={page} />
            </PageSuspense>
          </main>
        </div>
      ) : (
        <>
          <ActingNav />
          <Suspense
            fallback={
              <p className="page-loading" role="status">
                {t('common.loading')}
              </p>
            }
          >
            <ActingOnPartner key={acting} partnerId={acting} />
          </Suspense>
        </>
      )}
    </div>
  );
}

export function App() {
  const screen = useStore((s) => s.screen);
  return screen === 'admin' ? <Admin /> : <SignIn />;
}
