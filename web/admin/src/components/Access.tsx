// What a page says to an agent who may not use it (the server refuses its calls anyway), and what
// the panel says to one who may use none of its pages.
import { useT } from '../i18n/i18n.ts';
import { type PageId, pageDef } from '../state/pages.ts';

export function Denied({ page }: { page: PageId }) {
  const t = useT();
  return (
    <div className="page" data-testid="page-denied" data-page={page}>
      <h1 tabIndex={-1}>{t(`page.${page}`)}</h1>
      <p className="notice-box">{t('access.denied', { permission: t(`permission.${pageDef(page).permission}`) })}</p>
    </div>
  );
}

export function NoAccess() {
  const t = useT();
  return (
    <div className="page" data-testid="page-none">
      <h1 tabIndex={-1}>{t('access.noneTitle')}</h1>
      <p className="notice-box">{t('access.none')}</p>
    </div>
  );
}
