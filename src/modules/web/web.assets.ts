// The built browser code (web/dist, made by `scripts/build-web.ts`): the console's, the control
// panel's and the widget panel's HTML, with the server's values (CSRF token, the site's partner's
// brand) put in at serving time.
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

/** The apps whose pages Parley serves: the agent console and the control panel (behind sign-in), and the platform's sign-up page and admin. */
export type WebApp = 'console' | 'admin' | 'platform';

/** What a page shows of its site's partner: the same fields as `GET /api/v1/brand`. */
export interface PageBrand {
  name: string;
  logoUrl: string | null;
  themeCssUrl: string | null;
}

/** What the server knows when it serves an app's page. */
export interface AppPageValues {
  /** The session's CSRF token; null before sign-in. */
  csrfToken: string | null;
  /** The brand of the site's partner, when the page is for a known site (else the app asks for the host's). */
  brand: PageBrand | null;
  /** The Agent Console SDK's frame: the page allowed to frame it (or why it was refused), whether the browser's session may resume there, and its partner (web/console/src/sdk/page.ts). */
  sdk?: { origin: string; refused: string | null; resume: boolean; partnerId: number | null };
}

/** The HTML entry points of the built browser code. */
export interface WebAssets {
  /** An app's page with the server's values in its head. */
  appPage(app: WebApp, values: AppPageValues): string;
  /** The widget's chat panel page. */
  framePage(): string;
  /** The mobile app's WebView chat page with what the server decided put in (docs/mobile-webview.md). */
  webviewPage(values: { config: Record<string, unknown>; themeCssUrl: string | null }): string;
  /** A file of the Agent Console SDK (`agent-console.js`, `.mjs`, `.d.ts`). */
  sdkFile(name: 'agent-console.js' | 'agent-console.mjs' | 'agent-console.d.ts'): Promise<string>;
}

/**
 * The head's additions: the CSRF token, the brand (read by the app), and the theme stylesheet,
 * linked here so the partner's colours are there from the first paint.
 */
function headOf({ csrfToken, brand, sdk }: AppPageValues): string {
  const parts: string[] = [];
  if (sdk) parts.push(`<meta name="parley-sdk" content="${attr(JSON.stringify(sdk))}">`);
  if (csrfToken) parts.push(`<meta name="csrf-token" content="${attr(csrfToken)}">`);
  if (brand) {
    const { name, logoUrl, themeCssUrl } = brand;
    parts.push(`<meta name="parley-brand" content="${attr(JSON.stringify({ name, logoUrl, themeCssUrl }))}">`);
    if (themeCssUrl) parts.push(`<link rel="stylesheet" href="${attr(themeCssUrl)}" data-parley-theme>`);
  }
  return parts.join('');
}

/**
 * The HTML entry points, read at each request (a few hundred bytes, from the page cache), so a
 * rebuild shows at once; a missing build serves a page that says how to make it.
 */
export function createWebAssets(): WebAssets {
  return {
    /** An app's page with the server's values in its head. */
    appPage(app, values) {
      const html = readHtml(`${app}/index.html`);
      if (!html) return MISSING;
      // A function, so `$` sequences in a brand name are not replacement patterns.
      return html.replace('<head>', () => `<head>${headOf(values)}`);
    },
    /** The widget's chat panel page. */
    framePage(): string {
      return readHtml('widget/frame.html') ?? MISSING;
    },
    webviewPage({ config, themeCssUrl }) {
      const html = readHtml('widget/webview.html');
      if (!html) return MISSING;
      const theme = themeCssUrl ? `<link rel="stylesheet" id="parley-theme" href="${attr(themeCssUrl)}">` : '';
      return html.replace('<head>', () => `<head><meta name="parley-webview" content="${attr(JSON.stringify(config))}">${theme}`);
    },
    /** A file of the Agent Console SDK; a missing build says how to make it. */
    async sdkFile(name) {
      try {
        return await fs.promises.readFile(path.join(WEB_DIST, 'sdk', name), 'utf8');
      } catch {
        return `/* The Agent Console SDK is not built: run npm run build:web (npm start does it). */`;
      }
    },
  };
}

