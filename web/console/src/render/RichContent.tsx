// Shows HTML from a rich message: sanitized into DOM nodes and appended, never set as a string.
import { useLayoutEffect, useRef } from 'react';
import { sanitizeToFragment } from './sanitize.ts';

export function RichContent({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.replaceChildren(sanitizeToFragment(html));
  }, [html]);
  return <div ref={ref} className="rich" />;
}
