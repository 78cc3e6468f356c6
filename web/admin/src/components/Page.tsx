// The frame of every page: its heading (focused after a move from the menu), a line about what it
// is for, its main action, and the states before its data is there.
import type { ReactNode } from 'react';
import { useT } from '../i18n/i18n.ts';
import type { PageId } from '../state/pages.ts';
import type { Loaded } from './useLoad.ts';

interface Props {
  id: PageId;
  intro?: string;
  /** The page's main action (Add agent, New group), beside the heading. */
  action?: ReactNode;
  children: ReactNode;
}

export function Page({ id, intro, action, children }: Props) {
  const t = useT();
  return (
    <div className="page" data-testid={`page-${id}`}>
      <div className="page-header">
        <h1 tabIndex={-1}>{t(`page.${id}`)}</h1>
        {action}
      </div>
      {intro && <p className="page-intro">{intro}</p>}
      {children}
    </div>
  );
}

/** While the page's data loads, or why it did not. */
export function LoadState({ error, onRetry }: { error: string | null; onRetry: () => void }) {
  const t = useT();
  if (!error) {
    return (
      <p className="page-loading" role="status">
        <span className="spinner" aria-hidden="true" /> {t('common.loading')}
      </p>
    );
  }
  return (
    <div className="form-error" role="alert" data-testid="load-error">
      <p>{t('common.loadFailed', { error })}</p>
      <button type="button" className="button small" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}

/** A section of a page with its own data: heading, intro, then what `children` draws once the data
 * is there (before that, the loading state or why it did not load). */
export function LoadedSection<T>({ id, title, intro, loaded, children }: { id: string; title: string; intro: string; loaded: Loaded<T>; children: (data: T) => ReactNode }) {
  return (
    <section className="page-section" aria-labelledby={`${id}-title`} data-testid={id}>
      <div className="page-header">
        <h2 id={`${id}-title`}>{title}</h2>
      </div>
      <p className="page-intro">{intro}</p>
      {loaded.data ? children(loaded.data) : <LoadState error={loaded.error} onRetry={loaded.reload} />}
    </section>
  );
}
