// A person's (or the robot's) picture, or their initials when there is none or it fails to load.
// Decorative: the name is always written next to it.
import { useState } from 'preact/hooks';
import { safeUrl } from '../rich-text.ts';

function initials(name: string): string {
  const words = name.trim().split(/\s+/).slice(0, 2);
  return words.map((w) => Array.from(w)[0] ?? '').join('').toUpperCase() || '?';
}

export function Avatar({ name, url, testid }: { name: string; url?: string | null | undefined; testid?: string }) {
  const [broken, setBroken] = useState(false);
  const src = safeUrl(url);
  return src && !broken ? (
    <img class="av" src={src} alt="" data-testid={testid} onError={() => setBroken(true)} />
  ) : (
    <span class="av" aria-hidden="true" data-testid={testid}>
      {initials(name)}
    </span>
  );
}
