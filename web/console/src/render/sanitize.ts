// Every piece of HTML the console shows or sends goes through DOMPurify with one short list of
// tags: what the rich-text toolbar can make, nothing that loads or runs anything.
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = ['b', 'strong', 'i', 'em', 'u', 's', 'a', 'ul', 'ol', 'li', 'p', 'br', 'div', 'span', 'code', 'pre', 'blockquote'];
const ALLOWED_ATTR = ['href', 'title'];
const SAFE_URL = /^(?:https?:|mailto:)/i;

let hooked = false;

function hook(): void {
  if (hooked) return;
  hooked = true;
  // Links open in a new tab and never hand the console to the page they open.
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_URL.test(href)) node.removeAttribute('href');
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  });
}

const config = { ALLOWED_TAGS, ALLOWED_ATTR, ADD_ATTR: ['target', 'rel'] };

/** Sanitized nodes, ready to append: never a string handed to innerHTML. */
export function sanitizeToFragment(html: string): DocumentFragment {
  hook();
  return DOMPurify.sanitize(html, { ...config, RETURN_DOM_FRAGMENT: true });
}

/** Sanitized HTML to send (the server sanitizes again). */
export function sanitizeToString(html: string): string {
  hook();
  return DOMPurify.sanitize(html, config);
}
