// Serves the browser code: the console's, the control panel's and the widget's content-hashed
// assets (cached for good), the widget loader customers put on their pages (`/widget.js`), and the
// widget's chat panel page (framed by any site, since it is put on customers' pages), and the
// platform's own pages (the public sign-up page and the platform admin, framed by no one). The
// console's and the control panel's pages are served behind sign-in by the sso module.
import staticFiles from '@fastify/static';
import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.ts';
import { WEB_DIST, type WebAssets } from './web.assets.ts';

/**
 * A page's CSP: its own scripts and API only; its partner's theme from the platform's address
 * (the widget panel may be served from a partner's host); pictures may be anyone's (avatars, logos,
 * images in messages); framed by `frameAncestors`.
 */
const pageCsp = (platformOrigin: string, frameAncestors: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'unsafe-inline' ${platformOrigin}`,
    "img-src 'self' data: blob: https:",
    "connect-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');

/** The platform app's pages: the public sign-up page and the platform admin (its pages' deep links, and a partner's portal pages as a platform admin acts on them). */
const PLATFORM_PAGES = ['/apply', '/platform', '/platform/:page', '/platform/partners/:partnerId', '/platform/partners/:partnerId/:page'];

/** Registers the web routes. */
export function registerWebRoutes(app: HttpServer, web: WebAssets, opts: { publicUrl: string }): void {
  const FRAME_CSP = pageCsp(new URL(opts.publicUrl).origin, '*');
  // The platform admin holds a platform user's token: no page may frame it (clickjacking).
  const PLATFORM_CSP = pageCsp(new URL(opts.publicUrl).origin, "'none'");
  void app.register(staticFiles, { root: WEB_DIST, serve: false });
  const hide = { hide: true } as const;

  for (const appName of ['console', 'admin', 'platform', 'widget'] as const) {
    app.get(
      `/${appName}/assets/*`,
      { config: { access: ['public'] }, schema: { ...hide, params: Type.Object({ '*': Type.String({ maxLength: 200 }) }) } },
      (request, reply) =>
        reply
          .header('x-content-type-options', 'nosniff')
          .header('cross-origin-resource-policy', appName === 'widget' ? 'cross-origin' : 'same-origin')
          .sendFile(request.params['*'], `${WEB_DIST}/${appName}/assets`, { immutable: true, maxAge: '365d', dotfiles: 'deny' }),
    );
  }

  app.get('/widget.js', { config: { access: ['public'] }, schema: hide }, (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'cross-origin')
      // Short: customers' pages pick up a new widget within minutes, without a versioned URL.
      .sendFile('widget/loader.js', WEB_DIST, { maxAge: '5m', immutable: false }),
  );

  // The Agent Console SDK (docs/agent-console-sdk.md): a script partners load from their own pages,
  // as a classic script or an ES module (which browsers fetch with CORS), and its types.
  const SDK_FILES = [
    ['agent-console.js', 'text/javascript'],
    ['agent-console.mjs', 'text/javascript'],
    ['agent-console.d.ts', 'text/plain'],
  ] as const;
  for (const [file, type] of SDK_FILES) {
    app.get(`/sdk/${file}`, { config: { access: ['public'] }, schema: hide }, async (_request, reply) =>
      reply
        .type(`${type}; charset=utf-8`)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('access-control-allow-origin', '*')
        // Short, as the widget loader: partners' pages pick up a new SDK within minutes.
        .header('cache-control', 'public, max-age=300')
        .send(await web.sdkFile(file)),
    );
  }

  app.get('/widget/frame.html', { config: { access: ['public'] }, schema: hide }, (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', FRAME_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'strict-origin-when-cross-origin')
      .header('cache-control', 'no-cache')
      .send(web.framePage()),
  );

  for (const path of PLATFORM_PAGES) {
    app.get(path, { config: { access: ['public'] }, schema: hide }, (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PLATFORM_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'same-origin')
        // The page is the same for everyone, but a rebuild must show at once.
        .header('cache-control', 'no-store')
        .send(web.appPage('platform', { csrfToken: null, brand: null })),
    );
  }
}
