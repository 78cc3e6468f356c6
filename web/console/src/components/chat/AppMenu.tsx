// The "App" menu of a chat from the bank's mobile app (WebView): ask the customer's app to switch
// channel, send it a business result or a link, or tell it the call connected. A disclosure of plain
// buttons: Tab reaches each, Escape or a click outside closes it.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { AppChannel, AppEvent } from '../../api/chats.ts';
import type { Chat } from '../../api/types.ts';
import { useT } from '../../i18n/i18n.ts';
import { sendAppEvent } from '../../state/chatActions.ts';
import { useAction } from '../hooks.ts';
import { Icon } from '../icons.tsx';
import { AppLinkDialog } from './AppLinkDialog.tsx';
import { AppResultDialog } from './AppResultDialog.tsx';

const CHANNELS: AppChannel[] = ['video', 'app_call', 'chat_only'];

export function AppMenu({ chat }: { chat: Chat }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [dialog, setDialog] = useState<'result' | 'link' | null>(null);
  const [run, busy] = useAction();
  const menu = useRef<HTMLDetailsElement>(null);
  const opener = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (menu.current && !menu.current.contains(e.target as Node)) menu.current.open = false;
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);

  /** Closes the menu with focus back on its opener (so a dialog returns focus there too). */
  function close() {
    opener.current?.focus();
    if (menu.current) menu.current.open = false;
  }

  function send(event: AppEvent) {
    close();
    void run(() => sendAppEvent(chat.id, event));
  }

  function openDialog(which: 'result' | 'link') {
    close();
    setDialog(which);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDetailsElement>) {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      close();
    }
  }

  return (
    <>
      <details ref={menu} className="app-menu" onToggle={(e) => setOpen(e.currentTarget.open)} onKeyDown={onKeyDown}>
        <summary ref={opener} className="button small" data-testid="app-menu" title={t('app.menuHint')}>
          <Icon name="mobile" size={14} /> {t('app.menu')}
        </summary>
        <div className="app-menu-popup">
          <fieldset>
            <legend className="app-menu-heading">{t('app.askSwitch')}</legend>
            {CHANNELS.map((channel) => (
              <button
                key={channel}
                type="button"
                className="app-menu-item"
                disabled={busy}
                onClick={() => send({ command: 'event.mb.channel_change', params: { channel } })}
                data-testid={`app-channel-${channel}`}
              >
                {t(`app.switch.${channel}`)}
              </button>
            ))}
          </fieldset>
          <hr />
          <button type="button" className="app-menu-item" onClick={() => openDialog('result')} data-testid="app-result-open">
            {t('app.sendResult')}
          </button>
          <button type="button" className="app-menu-item" onClick={() => openDialog('link')} data-testid="app-link-open">
            {t('app.sendLink')}
          </button>
          <button type="button" className="app-menu-item" disabled={busy} onClick={() => send({ command: 'event.mb.avaya_answer', params: {} })} data-testid="app-call-connected">
            {t('app.callConnectedAction')}
          </button>
        </div>
      </details>
      {dialog === 'result' && <AppResultDialog chat={chat} onClose={() => setDialog(null)} />}
      {dialog === 'link' && <AppLinkDialog chatId={chat.id} onClose={() => setDialog(null)} />}
    </>
  );
}
