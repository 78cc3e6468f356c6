// The panel's header: who the visitor talks to (the agent with their avatar, the robot, or the
// brand with its logo), "End chat" while a chat is open, and the close button.
import { endChat } from '../state/actions.ts';
import { setOpen } from '../state/boot.ts';
import type { State } from '../state/store.ts';
import { safeUrl } from '../rich-text.ts';
import { Avatar } from './Avatar.tsx';
import { CloseIcon } from './icons.tsx';

export function Header({ s }: { s: State }) {
  const { t, config, chat } = s;
  const agent = s.agent ?? (!chat && s.invitation ? s.invitation.operator : null);
  const robot = !agent && (chat ? chat.status === 'bot' : config.startWith === 'robot');
  const look = config.campaign?.look;
  const brand = look?.title || config.brand.name || config.company || t.chat;
  const logo = safeUrl(config.brand.logoUrl);
  let picture = look?.avatarUrl ? <Avatar name={brand} url={look.avatarUrl} testid="campaign-avatar" /> : logo ? <img class="logo" src={logo} alt="" /> : null;
  let title = brand;
  if (agent) {
    title = agent.name || t.agent;
    picture = <Avatar name={title} url={agent.avatarUrl} testid="agent-avatar" />;
  } else if (robot) {
    title = config.robot.name || t.robot;
    picture = <Avatar name={title} url={config.robot.avatar} />;
  }
  return (
    <header class="hdr">
      {picture}
      <h1 id="pw-title" class="ttl" data-testid={agent ? 'agent-name' : 'panel-title'}>
        {title}
      </h1>
      {chat && chat.status !== 'ended' && (
        <button type="button" class="hbtn" data-testid="end-chat" onClick={() => void endChat()}>
          {t.end}
        </button>
      )}
      {!s.webview && (
        <button type="button" class="hbtn icon" aria-label={t.close} data-testid="close-button" onClick={() => setOpen(false)}>
          <CloseIcon />
        </button>
      )}
    </header>
  );
}
