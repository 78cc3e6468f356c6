// Around every page of the platform admin: the header (Parley's name, the language, sign out) and
// the menu of the pages; acting on a partner, the way back to the partners instead of the menu.
import { BrandMark } from '../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../console/src/components/LanguageSelect.tsx';
import { useT } from '../i18n/i18n.ts';
import { hrefOf, PAGES, type PageId } from '../state/pages.ts';
import { openPage, signOut } from '../state/session.ts';
import { AppLink } from './AppLink.tsx';
import { PanelMenu } from './PanelMenu.tsx';

export function AdminHeader() {
  const t = useT();
  return (
    <header className="topbar panel-header" data-testid="platform-header">
      <div className="topbar-brand">
        <BrandMark brand={null} />
        <span className="panel-name">{t('app.heading')}</span>
      </div>
      <div className="topbar-tools">
        <LanguageSelect />
        <button type="button" className="button ghost" onClick={() => void signOut()} data-testid="signout">
          {t('app.signOut')}
        </button>
      </div>
    </header>
  );
}

/** The menu of the admin's pages. */
export function AdminMenu({ current }: { current: PageId }) {
  const t = useT();
  return <PanelMenu pages={PAGES} current={current} label={t('app.menu')} testId="platform-menu" hrefOf={hrefOf} titleOf={(id) => t(`page.${id}`)} onOpen={openPage} />;
}

/** Acting on a partner (whose portal menu takes the place of the admin's): the way back to the partners. */
export function ActingNav() {
  const t = useT();
  return (
    <nav className="acting-nav" aria-label={t('acting.nav')} data-testid="acting-nav">
      <AppLink href={hrefOf('partners')} onOpen={() => openPage('partners')} data-testid="acting-back">
        <span aria-hidden="true">← </span>
        {t('acting.back')}
      </AppLink>
    </nav>
  );
}
