// Around every portal page: the header (the partner's brand, the language, sign out) and the menu
// of the pages. A platform admin acting on a partner sees a line saying so instead of the sign-out.
import { BrandMark } from '../../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../../console/src/components/LanguageSelect.tsx';
import { PanelMenu } from '../../components/PanelMenu.tsx';
import { useT } from '../i18n.ts';
import { PORTAL_PAGES, type PortalPageId, portalHref } from '../pages.ts';
import { openPage, signOut } from '../session.ts';
import { useStore } from '../store.ts';

export function PortalHeader() {
  const t = useT();
  const partner = useStore((s) => s.partner);
  const acting = useStore((s) => s.acting);
  const brand = partner ? { name: partner.branding ?? partner.name, logoUrl: partner.logoUrl, themeCssUrl: partner.themeCssUrl } : null;
  return (
    <header className="topbar panel-header" data-testid="portal-header">
      <div className="topbar-brand">
        <BrandMark brand={acting === null ? brand : null} />
        <span className="panel-name">{acting === null ? t('app.title') : partner?.name}</span>
      </div>
      <div className="topbar-tools">
        <LanguageSelect />
        {acting === null && (
          <button type="button" className="button ghost" onClick={() => void signOut()} data-testid="signout">
            {t('app.signOut')}
          </button>
        )}
      </div>
    </header>
  );
}

/** The menu of the portal's pages (a platform admin acting on a partner gets its addresses under /platform). */
export function PortalMenu({ current }: { current: PortalPageId }) {
  const t = useT();
  const acting = useStore((s) => s.acting);
  return <PanelMenu pages={PORTAL_PAGES} current={current} label={t('app.menu')} testId="portal-menu" hrefOf={(id) => portalHref(id, acting)} titleOf={(id) => t(`page.${id}`)} onOpen={openPage} />;
}
