// The panel's screens: loading, sign-in (the console's form), and the panel: header, menu and
// footer around the page, or with onlyDisplayBody=true the page alone, filling a partner's frame.
import { type ComponentType, useEffect } from 'react';
import { onlyDisplayBody } from '../../../console/src/api/page.ts';
import { LoadingScreen } from '../../../console/src/components/LoadingScreen.tsx';
import { SignInForm } from '../../../console/src/components/SignInForm.tsx';
import { useT } from '../i18n/i18n.ts';
import { IpRestrictionsPage } from '../pages/IpRestrictionsPage.tsx';
import { SiteProfilePage } from '../pages/SiteProfilePage.tsx';
import { AgentsPage } from '../pages/agents/AgentsPage.tsx';
import { CampaignsPage } from '../pages/campaigns/CampaignsPage.tsx';
import { CannedPage } from '../pages/canned/CannedPage.tsx';
import { GroupsPage } from '../pages/groups/GroupsPage.tsx';
import { PermissionsPage } from '../pages/permissions/PermissionsPage.tsx';
import { ImKeysPage } from '../pages/settings/ImKeysPage.tsx';
import { MobileAppPage } from '../pages/settings/mobile/MobileAppPage.tsx';
import { RobotPage } from '../pages/settings/robot/RobotPage.tsx';
import { RoutingPage } from '../pages/settings/RoutingPage.tsx';
import { WebhookPage } from '../pages/settings/webhook/WebhookPage.tsx';
import { mayUse, PAGES, type PageId } from '../state/pages.ts';
import { startPanel } from '../state/session.ts';
import { useStore } from '../state/store.ts';
import { Denied, NoAccess } from './Access.tsx';
import { lazyPage, PageSuspense } from './LazyPage.tsx';
import { PanelFooter, PanelHeader, PanelMenu } from './PanelChrome.tsx';

// The reports page comes with Chart.js: it loads when it is first opened.
const ReportsPage = lazyPage(() => import('../pages/reports/ReportsPage.tsx').then((m) => m.ReportsPage));

const PAGE_VIEWS: Record<PageId, ComponentType> = {
  site: SiteProfilePage,
  agents: AgentsPage,
  groups: GroupsPage,
  permissions: PermissionsPage,
  ipRestrictions: IpRestrictionsPage,
  campaigns: CampaignsPage,
  canned: CannedPage,
  routing: RoutingPage,
  robot: RobotPage,
  imKeys: ImKeysPage,
  webhook: WebhookPage,
  mobileApp: MobileAppPage,
  reports: ReportsPage,
};

/** The page shown: the one asked for, or at /admin the first the agent may use. */
function useShownPage(): PageId | null {
  const page = useStore((s) => s.page);
  const access = useStore((s) => s.access);
  return page ?? PAGES.find((p) => mayUse(access, p.id))?.id ?? null;
}

function PageBody({ page }: { page: PageId | null }) {
  const access = useStore((s) => s.access);
  if (page === null) return <NoAccess />;
  if (!mayUse(access, page)) return <Denied page={page} />;
  const View = PAGE_VIEWS[page];
  return (
    <PageSuspense>
      <View key={page} />
    </PageSuspense>
  );
}

function useTitle(page: PageId | null): void {
  const t = useT();
  const brand = useStore((s) => s.brand);
  useEffect(() => {
    const base = t('panel.title', { brand: brand?.name ?? 'Parley' });
    document.title = page ? `${t(`page.${page}`)} · ${base}` : base;
  }, [t, brand, page]);
}

function Panel() {
  const t = useT();
  const page = useShownPage();
  useTitle(page);
  if (onlyDisplayBody) {
    return (
      <main id="main" className="panel-main panel-body-only" data-testid="panel-body">
        <PageBody page={page} />
      </main>
    );
  }
  return (
    <div className="panel">
      <a className="skip-link" href="#main">
        {t('panel.skip')}
      </a>
      <PanelHeader />
      <div className="panel-columns">
        <PanelMenu current={page} />
        <main id="main" className="panel-main" tabIndex={-1} data-testid="panel-body">
          <PageBody page={page} />
        </main>
      </div>
      <PanelFooter />
    </div>
  );
}

export function App() {
  const t = useT();
  const screen = useStore((s) => s.screen);
  const brand = useStore((s) => s.brand);
  const expired = useStore((s) => s.expired);

  if (screen === 'loading') {
    return <LoadingScreen />;
  }
  if (screen === 'signin') {
    return (
      <SignInForm brand={brand} onSignedIn={startPanel}>
        {expired && (
          <div className="notices">
            <p className="notice notice-error" role="alert" data-testid="signed-out-notice">
              {t('panel.signedOut')}
            </p>
          </div>
        )}
      </SignInForm>
    );
  }
  return <Panel />;
}
