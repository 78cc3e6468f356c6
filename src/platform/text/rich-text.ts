// Rich text (HTML) from senders is reduced to a small safe subset before it is stored, so every
// console and app can render it as it is: no scripts, styles, event handlers or javascript: links.
import sanitizeHtml from 'sanitize-html';

const allowedHtml: sanitizeHtml.IOptions = {
  allowedTags: ['a', 'b', 'strong', 'i', 'em', 'u', 's', 'br', 'p', 'div', 'span', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'img', 'h1', 'h2', 'h3', 'h4'],
  allowedAttributes: { a: ['href', 'title', 'target', 'rel'], img: ['src', 'alt', 'width', 'height'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  disallowedTagsMode: 'discard',
  // Links open outside the chat and tell the target nothing about it (whatever the sender set).
  transformTags: { a: sanitizeHtml.simpleTransform('a', { target: '_blank', rel: 'noopener noreferrer nofollow' }) },
};

/** Rich text reduced to the safe subset (scripts, styles, handlers and javascript: links removed). */
export function sanitizeRichText(html: string): string {
  return sanitizeHtml(html, allowedHtml);
}

/** Whether sanitized rich text still shows something (text or a picture). */
export function hasContent(html: string): boolean {
  return html.replace(/<[^>]*>/g, '').trim() !== '' || /<img\b/i.test(html);
}
