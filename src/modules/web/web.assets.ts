// The built browser code (web/dist, made by `scripts/build-web.ts`): the console's and the widget
// panel's HTML, with the server's values (CSRF token) put in at serving time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const attr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const MISSING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Parley</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm run build:web</code> (npm start does it) and reload.</p></body></html>`;

function readHtml(file: string): string | undefined {
  try {
    return fs.readFileSync(path.join(WEB_DIST, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** The HTML entry points of the built browser code. */
export interface WebAssets {
  /** The console page, carrying the session's CSRF token (or none before sign-in). */
  consolePage(csrfToken: string | null): string;
  /** The widget's chat panel page. */
  framePage(): string;
}

/**
 * The HTML entry points, read at each request (a few hundred bytes, from the page cache), so a
 * rebuild shows at once; a missing build serves a page that says how to make it.
 */
export function createWebAssets(): WebAssets {
  return {
    /** The console page, carrying the session's CSRF token (or none before sign-in). */
    consolePage(csrfToken: string | null): string {
      const html = readHtml('console/index.html');
      if (!html) return MISSING;
      const meta = csrfToken ? `<meta name="csrf-token" content="${attr(csrfToken)}">` : '';
      return html.replace('<head>', `<head>${meta}`);
    },
    /** The widget's chat panel page. */
    framePage(): string {
      return readHtml('widget/frame.html') ?? MISSING;
    },
  };
}

