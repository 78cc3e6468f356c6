// The side menu of an app's pages (the platform admin's, the partner portal's): a link to each page,
// the current one marked, moving without a reload.
import { AppLink } from './AppLink.tsx';

interface Props<Id extends string> {
  pages: readonly Id[];
  current: Id;
  /** The menu's accessible name. */
  label: string;
  testId: string;
  hrefOf: (page: Id) => string;
  titleOf: (page: Id) => string;
  onOpen: (page: Id) => void;
}

/** The menu; each link's test id is `menu-{page}`. */
export function PanelMenu<Id extends string>({ pages, current, label, testId, hrefOf, titleOf, onOpen }: Props<Id>) {
  return (
    <nav className="panel-menu" aria-label={label} data-testid={testId}>
      <ul>
        {pages.map((page) => (
          <li key={page}>
            <AppLink href={hrefOf(page)} aria-current={current === page ? 'page' : undefined} data-testid={`menu-${page}`} onOpen={() => onOpen(page)}>
              {titleOf(page)}
            </AppLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
