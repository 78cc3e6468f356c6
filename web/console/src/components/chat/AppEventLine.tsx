// A request an agent sent to the customer's app (switch channel, a business result, a link, call
// connected) or the app's answer, as a line between the messages like the chat's system events.
import type { Message } from '../../api/types.ts';
import { formatTime } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { LinkifiedText } from '../../render/LinkifiedText.tsx';
import { useStore } from '../../state/store.ts';
import { Icon } from '../icons.tsx';
import { appEventText } from '../messageText.ts';

export function AppEventLine({ message, meId }: { message: Message; meId: number | undefined }) {
  const t = useT();
  const colleague = useStore((s) => s.agents.find((a) => a.id === message.senderId)?.name);
  const answer = message.type === 'app_result';
  const who = message.senderId === meId ? t('sender.you') : (colleague ?? t('sender.agent'));
  const text = appEventText(message, answer ? undefined : who);
  const params = message.data.params as Record<string, unknown> | undefined;
  const result = typeof params?.result === 'string' ? params.result : undefined;
  return (
    <li
      className={`system-line app-line${answer ? ' app-line-answer' : ''}`}
      data-testid="message"
      data-sender-kind={message.senderKind}
      data-message-id={message.id}
      data-seq={message.seq}
      data-type={message.type}
    >
      <span data-testid={answer ? 'app-result' : 'app-event'} data-command={String(message.data.command ?? '')} data-result={result}>
        <Icon name="mobile" size={14} />{' '}
        <LinkifiedText text={text} />
      </span>{' '}
      <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
    </li>
  );
}
