// A link to one of the app's own addresses: a plain click moves without reloading (the address
// still changes, through `onOpen`), while a click that asks for a new tab or window keeps the
// browser's way.
import type { AnchorHTMLAttributes } from 'react';

/** A plain left click on a link, which the app follows itself. */
const isPlainClick = (e: { button: number; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }) =>
  e.button === 0 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey;

type Props = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'onClick'> & { href: string; onOpen: () => void };

/** An `<a>` whose plain click calls `onOpen` instead of loading `href`. */
export function AppLink({ href, onOpen, children, ...link }: Props) {
  return (
    <a
      href={href}
      {...link}
      onClick={(e) => {
        if (!isPlainClick(e)) return;
        e.preventDefault();
        onOpen();
      }}
    >
      {children}
    </a>
  );
}
