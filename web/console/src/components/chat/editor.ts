// The composer is a contenteditable box (rich text needs one). These helpers read it as a
// message, find the "/shortcut" being typed before the caret, and replace it. Formatting goes
// through execCommand: deprecated on paper, but the one way that keeps the browser's undo stack.
import { sanitizeToFragment, sanitizeToString } from '../../render/sanitize.ts';

export type Outgoing = { kind: 'message'; text: string } | { kind: 'rich'; html: string } | null;

const FORMATTING = 'b, strong, i, em, u, s, a, ul, ol, li, code, blockquote';

/** What the composer holds: plain text if nothing is formatted (the common case), else HTML. */
export function readComposer(el: HTMLElement): Outgoing {
  // innerText, not textContent: it turns the editor's line and block breaks into newlines.
  // biome-ignore lint/performance/useDomNodeTextContent: the layout-aware text is the point
  const text = el.innerText.replace(/\u00a0/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  if (!text) return null;
  if (!el.querySelector(FORMATTING)) return { kind: 'message', text };
  return { kind: 'rich', html: sanitizeToString(el.innerHTML).trim() };
}

export interface Token {
  node: Text;
  start: number;
  end: number;
  query: string;
}

/** "/word" right before the caret, at the start or after a space: a canned message being asked for. */
export function shortcutBeforeCaret(el: HTMLElement): Token | null {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0 || !sel.isCollapsed) return null;
  const node = sel.anchorNode;
  if (!(node instanceof Text) || !el.contains(node)) return null;
  const before = node.data.slice(0, sel.anchorOffset);
  const match = /(^|\s)\/([\p{L}\p{N}_-]*)$/u.exec(before);
  if (!match) return null;
  const start = sel.anchorOffset - match[2]!.length - 1;
  return { node, start, end: sel.anchorOffset, query: match[2]! };
}

/** Replaces the "/word" with the canned text, as one undoable edit. */
export function replaceToken(token: Token, text: string): void {
  const range = document.createRange();
  range.setStart(token.node, token.start);
  range.setEnd(token.node, Math.min(token.end, token.node.length));
  const sel = document.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
  document.execCommand('insertText', false, text);
}

export function format(command: 'bold' | 'italic' | 'insertUnorderedList' | 'insertOrderedList'): void {
  document.execCommand(command);
}

/** The selection inside the composer, kept while a dialog (the link's) has the focus. */
export function saveSelection(el: HTMLElement): Range | null {
  const sel = document.getSelection();
  if (!sel || sel.rangeCount === 0) return null;
  const range = sel.getRangeAt(0);
  return el.contains(range.commonAncestorContainer) ? range.cloneRange() : null;
}

/** A link on the selected text, or the address itself as the link's text. */
export function insertLink(el: HTMLElement, range: Range | null, href: string): void {
  el.focus();
  const sel = document.getSelection();
  if (range && sel) {
    sel.removeAllRanges();
    sel.addRange(range);
  }
  if (range && !range.collapsed) {
    document.execCommand('createLink', false, href);
    return;
  }
  const a = document.createElement('a');
  a.href = href;
  a.textContent = href;
  let at = range;
  if (!at) {
    at = document.createRange();
    at.selectNodeContents(el);
    at.collapse(false);
  }
  at.insertNode(a);
  at.setStartAfter(a);
  at.collapse(true);
  sel?.removeAllRanges();
  sel?.addRange(at);
}

/** Accepts what an agent types as an address: a scheme is added when missing; only web and mail. */
export function normalizeUrl(input: string): string | null {
  const v = input.trim();
  if (!v) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : v.includes('@') && !v.includes('/') ? `mailto:${v}` : `https://${v}`;
  try {
    const url = new URL(withScheme);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Drafts survive a pane being hidden or swapped: kept per chat for the page's life. */
const drafts = new Map<number, string>();

export function saveDraft(chatId: number, el: HTMLElement): void {
  if (el.textContent?.trim()) drafts.set(chatId, el.innerHTML);
  else drafts.delete(chatId);
}

export function restoreDraft(chatId: number, el: HTMLElement): void {
  const html = drafts.get(chatId);
  if (html) el.replaceChildren(sanitizeToFragment(html));
}

export function clearDraft(chatId: number, el: HTMLElement): void {
  drafts.delete(chatId);
  el.replaceChildren();
}
