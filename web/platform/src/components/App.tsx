// The platform admin's screens: the sign-in form, or the admin: header, menu and the page, in
// Parley's own brand (never a partner's).
import { useEffect } from 'react';
import { useT } from '../i18n/i18n.ts';
import { ApplicationsPage } from '../pages/ApplicationsPage.tsx';
import { AuditPage } from '../pages/AuditPage.tsx';
import { OutboxPage } from '../pages/OutboxPage.tsx';
import { PartnersPage } from '../pages/PartnersPage.tsx';
import type { PageId } from '../state/pages.ts';
import { useStore } from '../state/store.ts';
import { AdminHeader, AdminMenu } from './AdminChrome.tsx';
import { SignIn } from './SignIn.tsx';

const PAGE_VIEWS: Record<PageId, () => React.JSX.Element> = {
  applications: ApplicationsPage,
  partners: PartnersPage,
  audit: AuditPage,
  outbox: OutboxPage,
};

function Admin() {
  const t = useT();
  const page = useStore((s) => s.page);
  useEffect(() => {
    document.title = `${t(`page.${page}`)} · ${t('app.title')}`;
  }, [t, page]);
  const View = PAGE_VIEWS[page];
  return (
    <div className="panel">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <AdminHeader />
      <div className="panel-columns">
        <AdminMenu current={page} />
        <main id="main" className="panel-main" tabIndex={-1} data-testid="platform-body">
          <View key={page} />
        </main>
      </div>
    </div>
  );
}

export function App() {
  const screen = useStore((s) => s.screen);
  return screen === 'admin' ? <Admin /> : <SignIn />;
}
