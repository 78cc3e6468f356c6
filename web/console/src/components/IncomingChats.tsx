// Chats offered to the agent, on every view: who, what they wrote, Accept or Refuse.
import { useT } from '../i18n/i18n.ts';
import { accept, refuse } from '../state/chatActions.ts';
import type { ChatEntry } from '../state/model.ts';
import { useStore } from '../state/store.ts';
import { ChatTags } from './chat/ChatTags.tsx';
import { useAction } from './hooks.ts';
import { messagePreview } from './messageText.ts';
import { useVisitorName } from './useVisitorName.ts';

export function IncomingChats() {
  const t = useT();
  const incoming = useStore((s) => s.incoming);
  const chats = useStore((s) => s.chats);
  const entries = incoming.map((id) => chats[id]).filter((e): e is ChatEntry => e !== undefined);
  if (entries.length === 0) return null;
  return (
    <section className="incoming" aria-label={t('incoming.label')} data-testid="incoming-chats">
      {entries.map((e) => (
        <IncomingCard key={e.chat.id} entry={e} />
      ))}
    </section>
  );
}

function IncomingCard({ entry }: { entry: ChatEntry }) {
  const t = useT();
  const name = useVisitorName(entry.chat.visitorId);
  const [run, busy] = useAction();
  const lastVisitor = entry.messages.findLast((m) => m.senderKind === 'visitor' && !m.deletedAt);
  const headingId = `incoming-${entry.chat.id}`;
  return (
    <article className="incoming-card" aria-labelledby={headingId} data-testid="incoming-chat" data-chat-id={entry.chat.id}>
      <span className="incoming-pulse" aria-hidden="true" />
      <div className="incoming-text">
        <h2 id={headingId}>
          {t('incoming.title', { name })}
          <ChatTags chat={entry.chat} />
        </h2>
        {lastVisitor && <p className="incoming-preview">{messagePreview(lastVisitor)}</p>}
      </div>
      <div className="incoming-actions">
        <button type="button" className="button primary" disabled={busy} onClick={() => void run(() => accept(entry.chat.id))} data-testid="incoming-accept">
          {t('incoming.accept')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run(() => refuse(entry.chat.id))} data-testid="incoming-refuse">
          {t('incoming.refuse')}
        </button>
      </div>
    </article>
  );
}
