// What the visitor and the robot said before the hand-over, set apart from the agent's chat:
// folded by default once the agent has replied, so the conversation that matters stays in view.
import type { Message } from '../../api/types.ts';
import { formatTime } from '../../i18n/format.ts';
import { useT } from '../../i18n/i18n.ts';
import { LinkifiedText } from '../../render/LinkifiedText.tsx';
import { MessageBody } from '../../render/MessageBody.tsx';

/** A transcript line as the robot_transfer message carries it (when the messages themselves are not loaded). */
export interface TranscriptLine {
  from: 'customer' | 'robot';
  data: Record<string, unknown>;
  at: string;
}

interface Props {
  messages: Message[];
  /** Used only when `messages` is empty. */
  lines: TranscriptLine[];
  visitorName: string;
  open: boolean;
}

export function RobotTranscript({ messages, lines, visitorName, open }: Props) {
  const t = useT();
  const count = messages.length || lines.length;
  if (count === 0) return null;
  return (
    <li className="robot-transcript" data-testid="robot-transcript">
      <details open={open}>
        <summary>{t('robot.transcript', { count })}</summary>
        <ol className="robot-lines">
          {messages.length > 0
            ? messages.map((m) => (
                <li key={m.id} className={`robot-line robot-line-${m.senderKind}`} data-testid="message" data-sender-kind={m.senderKind} data-message-id={m.id} data-seq={m.seq}>
                  <span className="robot-line-who">{m.senderKind === 'bot' ? t('sender.robot') : visitorName}</span>
                  <time dateTime={m.createdAt}>{formatTime(m.createdAt)}</time>
                  <div className="robot-line-text">
                    <MessageBody message={m} />
                  </div>
                </li>
              ))
            : lines.map((line, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a transcript is a fixed list
                <li key={i} className={`robot-line robot-line-${line.from === 'robot' ? 'bot' : 'visitor'}`}>
                  <span className="robot-line-who">{line.from === 'robot' ? t('sender.robot') : visitorName}</span>
                  <time dateTime={line.at}>{formatTime(line.at)}</time>
                  <div className="robot-line-text">
                    <LinkifiedText text={String(line.data.answer ?? line.data.content ?? '')} />
                  </div>
                </li>
              ))}
        </ol>
      </details>
    </li>
  );
}
