// The partner portal: the sign-in, forgot-password and set-password forms, or the portal itself:
// header, menu and the page, in the partner's brand. PortalPages is the portal without the sign-in,
// for a platform admin acting on a partner (inside the platform admin).
import { type ComponentType, useEffect } from 'react';
import { lazyPage, PageSuspense } from '../../../../admin/src/components/LazyPage.tsx';
import { useT } from '../i18n.ts';
import type { PortalPageId } from '../pages.ts';
import { ApiPage } from '../pages/ApiPage.tsx';
import { AuditPage } from '../pages/AuditPage.tsx';
import { BrandingPage } from '../pages/BrandingPage.tsx';
import { DomainsPage } from '../pages/DomainsPage.tsx';
import { ProfilePage } from '../pages/ProfilePage.tsx';
import { SitesPage } from '../pages/SitesPage.tsx';
import { SsoPage } from '../pages/SsoPage.tsx';
import { ThemePage } from '../pages/ThemePage.tsx';
import { useStore } from '../store.ts';
import { PortalHeader, PortalMenu } from './PortalChrome.tsx';
import { SetPassword } from './SetPassword.tsx';
import { ForgotPassword, SignIn } from './SignIn.tsx';

// The reports page comes with Chart.js: it loads when it is first opened.
const ReportsPage = lazyPage(() => import('../pages/ReportsPage.tsx').then((m) => m.ReportsPage));

const PAGE_VIEWS: Record<PortalPageId, ComponentType> = {
  sites: SitesPage,
  reports: ReportsPage,
  profile: ProfilePage,
  branding: BrandingPage,
  theme: ThemePage,
  domains: DomainsPage,
  sso: SsoPage,
  api: ApiPage,
  audit: AuditPage,
};

/** The menu and the page, once the partner is loaded. */
export function PortalPages() {
  const t = useT();
  const page = useStore((s) => s.page);
  const partner = useStore((s) => s.partner);
  const acting = useStore((s) => s.acting);
  useEffect(() => {
    document.title = `${t(`page.${page}`)} · ${acting === null ? t('app.title') : (partner?.name ?? '')}`;
  }, [t, page, acting, partner]);
  if (!partner) return <p role="status">{t('common.loading')}</p>;
  const View = PAGE_VIEWS[page];
  return (
    <div className="panel-columns">
      <PortalMenu current={page} />
      <main id="main" className="panel-main" tabIndex={-1} data-testid="portal-body">
        {acting !== null && (
          <p className="acting-banner" data-testid="acting-banner">
            {t('app.acting', { name: partner.name })}
          </p>
        )}
        <PageSuspense>
          <View key={page} />
        </PageSuspense>
      </main>
    </div>
  );
}

export function PortalApp() {
  const t = useT();
  const screen = useStore((s) => s.screen);
  if (screen === 'set-password') return <SetPassword />;
  if (screen === 'forgot') return <ForgotPassword />;
  if (screen === 'signin') return <SignIn />;
  return (
    <div className="panel">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <PortalHeader />
      <PortalPages />
    </div>
  );
}
