// Plain-text views of a message: for previews, notifications and the transcript's screen-reader text.
import type { Message } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

function textOfHtml(html: string): string {
  // DOMParser never runs scripts or loads images of what it parses: safe for reading text.
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

export function messagePreview(m: Message): string {
  if (m.deletedAt) return t('message.deleted');
  const { content, answer, name } = m.data;
  if (m.type === 'rich' && typeof content === 'string') return textOfHtml(content).slice(0, 200);
  if (typeof content === 'string') return content.slice(0, 200);
  if (typeof answer === 'string') return answer.slice(0, 200);
  if ((m.type === 'image' || m.type === 'file') && typeof name === 'string') return name;
  return '';
}
