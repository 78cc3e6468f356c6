// The few server-rendered pages of signing in and out: plain HTML, no scripts, every value
// escaped, and a Content-Security-Policy that says who may frame them.
import type { FastifyReply } from 'fastify';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML content and quoted attributes. */
export const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f5f6f8;color:#1d2330}
main{max-width:28rem;margin:10vh auto;padding:2rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin:0 0 1rem}label{display:block;margin:.75rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.5rem;font:inherit;border:1px solid #9aa3b2;border-radius:4px}
button{margin-top:1rem;padding:.5rem 1rem;font:inherit;background:#2456d6;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{color:#a11}.muted{color:#5a6478}`;

export interface PageOptions {
  title: string;
  body: string;
  /** `frame-ancestors` sources; none (only top-level) unless given. */
  frameAncestors?: string[];
  /** `form-action` sources beyond 'self' (a logout form that continues to the partner). */
  formAction?: string[];
  status?: number;
}

/** Sends a page with the security headers every sign-in page carries. */
export function sendPage(reply: FastifyReply, o: PageOptions): FastifyReply {
  const csp = [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src 'self'",
    "base-uri 'none'",
    `form-action 'self'${o.formAction?.length ? ` ${o.formAction.join(' ')}` : ''}`,
    `frame-ancestors ${o.frameAncestors?.length ? o.frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
  return reply
    .code(o.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)}</title><style>${STYLE}</style></head><body><main>${o.body}</main></body></html>`);
}

/** A refusal or failure, said plainly. */
export function errorPage(status: number, detail: string): PageOptions {
  const title = status === 403 || status === 401 ? 'Sign-in refused' : status >= 500 ? 'Something went wrong' : 'This request cannot be completed';
  return { status, title, body: `<h1>${esc(title)}</h1><p class="error" role="alert">${esc(detail)}</p><p class="muted">Go back and sign in again; if it keeps happening, tell your administrator.</p>` };
}

/** The password form (for sites whose partner has no single sign-on, and for admins). */
export function loginPage(o: { siteId?: number | undefined; returnTo?: string | undefined; error?: string | undefined; signedOut?: boolean | undefined }): PageOptions {
  const hidden = [o.siteId !== undefined ? `<input type="hidden" name="siteId" value="${esc(o.siteId)}">` : '', o.returnTo ? `<input type="hidden" name="return_to" value="${esc(o.returnTo)}">` : ''].join('');
  return {
    status: o.error ? 401 : 200,
    title: 'Sign in',
    body: `<h1>Sign in</h1>${o.signedOut ? '<p role="status">You are signed out.</p>' : ''}${o.error ? `<p class="error" role="alert">${esc(o.error)}</p>` : ''}
<form method="post" action="/login">${hidden}
<label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required maxlength="254">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Sign in</button></form>`,
  };
}

/**
 * Sends a page of a single-page app (the agent console): its own scripts only, its API and
 * real-time connection on this origin, pictures from anywhere (avatars, images in messages).
 */
export function sendApp(reply: FastifyReply, html: string, o: { frameAncestors: string[]; formAction: string[]; platformOrigin: string }): FastifyReply {
  const { frameAncestors, formAction } = o;
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    // Partner themes are served from the platform's own address, whichever host shows the page.
    `style-src 'self' 'unsafe-inline' ${o.platformOrigin}`,
    "img-src 'self' data: blob: https:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${formAction.length ? ` ${formAction.join(' ')}` : ''}`,
    `frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'none'"}`,
  ].join('; ');
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', csp)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .send(html);
}

/** After a logout with nowhere else to go. */
export function signedOutPage(): PageOptions {
  return { title: 'Signed out', body: '<h1>You are signed out</h1><p><a href="/login">Sign in again</a></p>' };
}
