// What surrounds a page when the panel is not embedded body-only: the header (brand, the console,
// language, who is signed in, sign out), the menu of the pages the agent may use, and the footer.
import { BrandMark } from '../../../console/src/components/BrandMark.tsx';
import { LanguageSelect } from '../../../console/src/components/LanguageSelect.tsx';
import { SignOutForm } from '../../../console/src/components/SignOutForm.tsx';
import { useT } from '../i18n/i18n.ts';
import { consoleHref, hrefOf, mayUse, PAGES, type PageId } from '../state/pages.ts';
import { openPage } from '../state/session.ts';
import { useStore } from '../state/store.ts';

export function PanelHeader() {
  const t = useT();
  const brand = useStore((s) => s.brand);
  const session = useStore((s) => s.session);
  return (
    <header className="topbar panel-header" data-testid="panel-header">
      <div className="topbar-brand">
        <BrandMark brand={brand} />
        <span className="panel-name">{t('panel.heading')}</span>
      </div>
      <div className="topbar-tools">
        <a className="button ghost" href={consoleHref} data-testid="console-link">
          {t('panel.console')}
        </a>
        <LanguageSelect />
        <span className="agent-name" data-testid="agent-name" title={session?.email}>
          {session?.name}
        </span>
        <SignOutForm csrfToken={session?.csrfToken ?? null} />
      </div>
    </header>
  );
}

/** Only the pages the agent may use; a click moves without reloading (the address still changes). */
export function PanelMenu({ current }: { current: PageId | null }) {
  const t = useT();
  const access = useStore((s) => s.access);
  return (
    <nav className="panel-menu" aria-label={t('panel.menu')} data-testid="panel-menu">
      <ul>
        {PAGES.filter((p) => mayUse(access, p.id)).map((p) => (
          <li key={p.id}>
            <a
              href={hrefOf(p.id)}
              aria-current={current === p.id ? 'page' : undefined}
              data-testid={`menu-${p.id}`}
              onClick={(e) => {
                if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
                e.preventDefault();
                openPage(p.id);
              }}
            >
              {t(`page.${p.id}`)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function PanelFooter() {
  const t = useT();
  const session = useStore((s) => s.session);
  return (
    <footer className="panel-footer" data-testid="panel-footer">
      {session && t('panel.footer', { site: session.siteId, name: session.name })}
    </footer>
  );
}
