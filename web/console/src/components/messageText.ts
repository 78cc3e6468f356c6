// Plain-text views of a message: for previews, notifications and the transcript's screen-reader text.
import type { Message } from '../api/types.ts';
import { type Key, t } from '../i18n/i18n.ts';

function textOfHtml(html: string): string {
  // DOMParser never runs scripts or loads images of what it parses: safe for reading text.
  return new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
}

export function messagePreview(m: Message): string {
  if (m.deletedAt) return t('message.deleted');
  if (isAppMessage(m)) return appEventText(m);
  const { content, answer, name } = m.data;
  if (m.type === 'rich' && typeof content === 'string') return textOfHtml(content).slice(0, 200);
  if (typeof content === 'string') return content.slice(0, 200);
  if (typeof answer === 'string') return answer.slice(0, 200);
  if ((m.type === 'image' || m.type === 'file') && typeof name === 'string') return name;
  return '';
}

/** A request to the customer's app (`app`, from an agent) or the app's answer (`app_result`). */
export const isAppMessage = (m: Message): boolean => m.type === 'app' || m.type === 'app_result';

const CHANNELS: Record<string, Key> = { video: 'app.channel.video', app_call: 'app.channel.app_call', chat_only: 'app.channel.chat_only' };

/** The business results in words, in the order the agent picks them. */
export const BUSINESS_RESULTS: Record<string, Key> = {
  'event.mb.acc_upgrade_video': 'app.business.acc_upgrade_video',
  'event.mb.loan_video': 'app.business.loan_video',
  'event.mb.withdraw_limit_adj': 'app.business.withdraw_limit_adj',
  'event.mb.credit_limit_adj': 'app.business.credit_limit_adj',
  'event.mb.predefined_acc_apply': 'app.business.predefined_acc_apply',
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** 00 succeeded, 01 failed (the spec's result codes). */
export function resultWord(code: unknown): string | null {
  return code === '00' ? t('app.result.00') : code === '01' ? t('app.result.01') : null;
}

/**
 * An app message as one line: what the agent asked of the app, or what the app answered. `who` names
 * the agent who asked ("You", a colleague); without it the line reads without a subject (previews).
 */
export function appEventText(m: Message, who?: string): string {
  const command = String(m.data.command ?? '');
  const params = (typeof m.data.params === 'object' && m.data.params !== null ? m.data.params : {}) as Record<string, unknown>;
  if (m.type === 'app_result') {
    const result = resultWord(params.result);
    const message = str(params.user_message);
    // `desc` repeats the result in English ("succeeded"): shown only when nothing else says it.
    const parts = [result, message ?? (result ? null : str(params.desc))].filter((p): p is string => p !== null);
    return parts.length ? t('app.answered', { text: parts.join(' — ') }) : t('app.answeredEmpty');
  }
  if (command === 'event.mb.channel_change') {
    const key = CHANNELS[String(params.channel)];
    const what = key ? t(key) : String(params.channel);
    return who ? t('app.asked', { who, what }) : t('app.askedShort', { what });
  }
  const business = BUSINESS_RESULTS[command];
  if (business) return t('app.resultSent', { what: t(business), result: resultWord(params.result) ?? String(params.result) });
  if (command === 'event.chat.open_link') return t('app.linkSent', { url: String(params.url ?? '') });
  if (command === 'event.mb.avaya_answer') return t('app.callConnected');
  return t('app.other', { command });
}
