// What a chat came with, as small chips: from the bank's mobile app, its skill, urgent. Shown in the
// pane header and on an incoming chat, so the agent sees them before accepting.
import type { Chat } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { Icon } from '../icons.tsx';

export function ChatTags({ chat }: { chat: Chat }) {
  const t = useT();
  return (
    <>
      {chat.urgent && (
        <span className="chip small chip-danger" data-testid="chat-urgent">
          {t('chat.urgent')}
        </span>
      )}
      {chat.skill && (
        <span className="chip small chip-skill" data-testid="chat-skill" title={t('chat.skillHint')}>
          {chat.skill}
        </span>
      )}
      {chat.channel === 'webview' && (
        <span className="chip small chip-mobile" data-testid="chat-mobile">
          <Icon name="mobile" size={12} /> {t('chat.mobileApp')}
        </span>
      )}
    </>
  );
}
