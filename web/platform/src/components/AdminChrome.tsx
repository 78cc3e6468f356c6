// Around every page of the platform admin: the header (Parley's name, the language, sign out) and
// the menu of the pages.
import { BrandMark } from '../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../console/src/components/LanguageSelect.tsx';
import { useT } from '../i18n/i18n.ts';
import { hrefOf, PAGES, type PageId } from '../state/pages.ts';
import { openPage, signOut } from '../state/session.ts';

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

/** A click moves without reloading (the address still changes, and a new tab still works). */
export function AdminMenu({ current }: { current: PageId }) {
  const t = useT();
  return (
    <nav className="panel-menu" aria-label={t('app.menu')} data-testid="platform-menu">
      <ul>
        {PAGES.map((id) => (
          <li key={id}>
            <a
              href={hrefOf(id)}
              aria-current={current === id ? 'page' : undefined}
              data-testid={`menu-${id}`}
              onClick={(e) => {
                if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                openPage(id);
              }}
            >
              {t(`page.${id}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
