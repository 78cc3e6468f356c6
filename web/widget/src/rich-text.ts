// Agents' `rich` messages (HTML the server already sanitized) and robot answers written in HTML,
// rebuilt node by node with an allow-list, never through innerHTML: the HTML is parsed into an
// inert document (DOMParser runs no scripts and loads nothing), then only allowed elements and
// text are recreated in the page; everything else is dropped or reduced to its text.

const ALLOWED = new Set(['A', 'B', 'STRONG', 'I', 'EM', 'U', 'S', 'BR', 'P', 'UL', 'OL', 'LI', 'CODE', 'PRE', 'BLOCKQUOTE']);
// Elements whose content is not text a reader should see.
const DROPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'IFRAME', 'OBJECT', 'SVG', 'MATH', 'HEAD', 'TITLE']);

/** A link target worth following: web and mail addresses only. */
export function safeUrl(url: unknown): string | null {
  return typeof url === 'string' && /^(https?:\/\/|mailto:|\/(?!\/))/i.test(url.trim()) ? url.trim() : null;
}

function copy(from: Node, to: Node): void {
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.appendChild(document.createTextNode(node.textContent ?? ''));
    } else if (node instanceof Element) {
      const tag = node.tagName.toUpperCase();
      if (DROPPED.has(tag)) continue;
      if (!ALLOWED.has(tag)) {
        copy(node, to);
        continue;
      }
      const el = document.createElement(tag);
      if (tag === 'A') {
        const href = safeUrl(node.getAttribute('href'));
        if (href) {
          el.setAttribute('href', href);
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'noopener noreferrer');
        }
      }
      copy(node, el);
      to.appendChild(el);
    }
  }
}

/** Replaces the content of `target` with the allowed part of `html`. */
export function renderRich(html: string, target: HTMLElement): void {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const fragment = document.createDocumentFragment();
  copy(parsed.body, fragment);
  target.replaceChildren(fragment);
}

/** Whether a text looks like HTML (a tag), so it needs renderRich rather than plain text. */
export const looksLikeHtml = (text: string): boolean => /<[a-z][^>]*>/i.test(text);
