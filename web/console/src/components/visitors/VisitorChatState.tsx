// The chat column of the visitor list: none, with the robot, waiting, offered, chatting.
import type { VisitorPresence } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { useStore } from '../../state/store.ts';

export function VisitorChatState({ chat }: { chat: VisitorPresence['chat'] }) {
  const t = useT();
  const me = useStore((s) => s.session?.agentId);
  const agent = useStore((s) => (chat?.agentId ? s.agents.find((a) => a.id === chat.agentId) : undefined));
  if (!chat) return <span className="muted">{t('visitors.chat.none')}</span>;
  const who = chat.agentId === me ? t('visitors.chat.you') : (agent?.name ?? (chat.agentId ? `#${chat.agentId}` : ''));
  switch (chat.status) {
    case 'bot':
      return <span className="chip small chip-bot">{t('visitors.chat.bot')}</span>;
    case 'queued':
      return <span className="chip small chip-queued">{t('visitors.chat.queued')}</span>;
    case 'assigned':
      return <span className="chip small chip-assigned">{t('visitors.chat.offered', { name: who })}</span>;
    case 'active':
      return <span className="chip small chip-active">{t('visitors.chat.active', { name: who })}</span>;
    default:
      return <span className="muted">{t('visitors.chat.none')}</span>;
  }
}
