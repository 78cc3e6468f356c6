// A system event in the log: the chat ended, the robot handed over, …
import type { Message } from '../../api/types.ts';
import { formatTime } from '../../i18n/format.ts';
import { type Key, useT } from '../../i18n/i18n.ts';

const ENDED: Record<string, Key> = { visitor: 'system.endedByVisitor', agent: 'system.endedByAgent', system: 'system.endedBySystem' };

export function SystemLine({ message }: { message: Message }) {
  const t = useT();
  let text: string;
  if (message.type === 'close') text = t(ENDED[String(message.data.endedBy)] ?? 'system.ended');
  else if (message.type === 'robot_transfer') text = t('system.robotTransfer');
  else text = typeof message.data.content === 'string' ? message.data.content : t('message.unsupported', { type: message.type });
  return (
    <li className="system-line" data-testid="message" data-sender-kind="system" data-message-id={message.id} data-seq={message.seq} data-type={message.type}>
      <span>{text}</span> <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
    </li>
  );
}
