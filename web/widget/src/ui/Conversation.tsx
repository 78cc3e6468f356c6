// The chat itself: the message log (a polite live region), the queue position and the agent's
// typing (a status line), "Talk to a person" while the robot answers, then the composer — or,
// once the chat has ended, the survey and "Start a new chat".
import { useLayoutEffect, useRef } from 'preact/hooks';
import { fmt } from '../i18n.ts';
import { handover, newChat } from '../state/actions.ts';
import { retry } from '../state/outbox.ts';
import type { State } from '../state/store.ts';
import { Composer } from './Composer.tsx';
import { Survey } from './Forms.tsx';
import { MessageItem, PendingItem } from './MessageItem.tsx';

function Ended({ s }: { s: State }) {
  const { t } = s;
  const survey = s.config.survey;
  const asking = survey.enabled && survey.options.length > 0 && !s.surveyDone;
  return (
    <div class="end" data-testid="chat-ended">
      <p role="status">{t.ended}</p>
      {asking && <Survey s={s} />}
      {s.surveyDone === 'sent' && <p data-testid="survey-done">{t.thanks}</p>}
      {/* In the app's WebView the app closes the page; a new chat is a new page. */}
      {!s.webview && (
        <button class="btn alt" type="button" data-testid="new-chat" onClick={newChat}>
          {t.newChat}
        </button>
      )}
    </div>
  );
}

export function Conversation({ s }: { s: State }) {
  const { t, chat, messages } = s;
  const log = useRef<HTMLDivElement>(null);
  // Follow new messages (after every render) unless the visitor scrolled up to read older ones.
  const atBottom = useRef(true);
  useLayoutEffect(() => {
    const el = log.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  });

  // "Seen" goes under the last visitor message the agent has read.
  const readUpTo = chat?.agentId ? chat.agentReadSeq : 0;
  const seenSeq = messages.filter((m) => m.senderKind === 'visitor' && m.seq <= readUpTo).pop()?.seq;
  const greeting = !messages.length && !s.outbox.length && !s.invitation;
  const status = chat?.status;
  const agentName = s.agent?.name || t.agent;

  return (
    <>
      <div
        class="log"
        ref={log}
        role="log"
        aria-live="polite"
        aria-label={t.messages}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling log must be reachable by keyboard to scroll it (axe: scrollable-region-focusable)
        tabIndex={0}
        data-testid="messages"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {s.invitation && (
          <div class="msg agent" data-testid="invitation">
            <span class="sr">{s.invitation.operator.name}: </span>
            <div class="bubble">
              <p class="txt">{s.invitation.message || t.welcome}</p>
            </div>
          </div>
        )}
        {greeting && (
          <div class="msg agent" data-testid="greeting">
            <div class="bubble">
              <p class="txt">{t.welcome}</p>
            </div>
          </div>
        )}
        {messages.map((m) => (
          <MessageItem key={m.seq} m={m} s={s} seen={m.seq === seenSeq} />
        ))}
        {s.outbox.map((p) => (
          <PendingItem key={p.cid} p={p} t={t} retry={() => retry(true)} />
        ))}
      </div>
      <div class="status" role="status">
        {status === 'queued' &&
          (chat?.queuePosition ? (
            <span data-testid="queue-position" data-position={chat.queuePosition}>
              {fmt(t.queue, chat.queuePosition)}
            </span>
          ) : (
            <span data-testid="waiting">{t.waiting}</span>
          ))}
        {s.agentTyping && status !== 'ended' && <span data-testid="typing-indicator">{fmt(t.typing, agentName)}</span>}
      </div>
      {status === 'bot' && (
        <button type="button" class="btn alt human" data-testid="handover-button" onClick={() => void handover()}>
          {t.human}
        </button>
      )}
      {status === 'ended' ? <Ended s={s} /> : <Composer t={t} files={s.config.files.enabled} />}
    </>
  );
}
