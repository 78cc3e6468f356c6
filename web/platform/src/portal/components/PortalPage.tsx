// The frame of every portal page: its heading (focused after a move from the menu), what the page
// is for, and its main action beside the heading.
import type { ReactNode } from 'react';
import { useT } from '../i18n.ts';
import type { PortalPageId } from '../pages.ts';

export function PortalPage({ id, intro, action, children }: { id: PortalPageId; intro: string; action?: ReactNode; children: ReactNode }) {
  const t = useT();
  return (
    <div className="page" data-testid={`page-${id}`}>
      <div className="page-header">
        <h1 tabIndex={-1}>{t(`page.${id}`)}</h1>
        {action}
      </div>
      <p className="page-intro">{intro}</p>
      {children}
    </div>
  );
}
