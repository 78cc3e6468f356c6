// The frame of every platform admin page: its heading (focused after a move from the menu), what
// the page is for, and its tools (filters, search) beside the heading.
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.ts';
import type { PageId } from '../state/pages.ts';

export function PageFrame({ id, intro, tools, children }: { id: PageId; intro: string; tools?: ReactNode; children: ReactNode }) {
  const t = useT();
  return (
    <div className="page" data-testid={`page-${id}`}>
      <div className="page-header">
        <h1 tabIndex={-1}>{t(`page.${id}`)}</h1>
        {tools}
      </div>
      <p className="page-intro">{intro}</p>
      {children}
    </div>
  );
}
