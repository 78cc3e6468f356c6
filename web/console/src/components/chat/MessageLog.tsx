// A chat's messages: the robot's part folded at the top, then the conversation, the messages on
// their way, and "Seen" under the last of the agent's messages the visitor has read. A live region,
// so screen readers announce what arrives; it follows new messages unless the agent scrolled up.
import { useLayoutEffect, useRef } from 'react';
import type { Chat, Message } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import type { PendingMessage } from '../../state/model.ts';
import { isAppMessage } from '../messageText.ts';
import { AppEventLine } from './AppEventLine.tsx';
import { MessageItem } from './MessageItem.tsx';
import { PendingItem } from './PendingItem.tsx';
import { RobotTranscript, type TranscriptLine } from './RobotTranscript.tsx';
import { SystemLine } from './SystemLine.tsx';

interface Props {
  chat: Chat;
  messages: Message[];
  pending: PendingMessage[];
  visitorName: string;
  editable: boolean;
  meId: number | undefined;
  editingId: number | null;
  onEditDone: () => void;
}

function splitRobotPart(messages: Message[]) {
  const handover = messages.find((m) => m.type === 'robot_transfer');
  if (!handover) return { robot: [] as Message[], lines: [] as TranscriptLine[], rest: messages };
  const robot = messages.filter((m) => m.seq < handover.seq && (m.senderKind === 'bot' || m.senderKind === 'visitor'));
  const inRobot = new Set(robot.map((m) => m.id));
  const lines = Array.isArray(handover.data.transcript) ? (handover.data.transcript as TranscriptLine[]) : [];
  return { robot, lines, rest: messages.filter((m) => !inRobot.has(m.id)) };
}

export function MessageLog({ chat, messages, pending, visitorName, editable, meId, editingId, onEditDone }: Props) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const { robot, lines, rest } = splitRobotPart(messages);
  const seenId = rest.findLast((m) => m.senderKind === 'agent' && m.senderId === meId && m.seq <= chat.visitorReadSeq && !m.deletedAt && !isAppMessage(m))?.id;
  const agentReplied = rest.some((m) => m.senderKind === 'agent');

  useLayoutEffect(() => {
    const el = ref.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  });

  return (
    <div
      ref={ref}
      className="message-log"
      role="log"
      aria-live="polite"
      aria-label={t('chat.messages', { name: visitorName })}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
      }}
      // The log scrolls: keyboard users need to reach it to scroll it.
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
      tabIndex={0}
      data-testid="message-log"
    >
      <ol className="message-list">
        <RobotTranscript messages={robot} lines={robot.length ? [] : lines} visitorName={visitorName} open={!agentReplied} />
        {rest.map((m) =>
          m.senderKind === 'system' ? (
            <SystemLine key={m.id} message={m} />
          ) : isAppMessage(m) && !m.deletedAt ? (
            <AppEventLine key={m.id} message={m} meId={meId} />
          ) : (
            <MessageItem
              key={m.id}
              message={m}
              chatId={chat.id}
              editable={editable}
              seen={m.id === seenId}
              visitorName={visitorName}
              editing={m.id === editingId}
              onEditDone={onEditDone}
            />
          ),
        )}
        {pending.map((p) => (
          <PendingItem key={p.clientMessageId} chatId={chat.id} pending={p} />
        ))}
      </ol>
    </div>
  );
}
