// The app's screens (loading, sign-in, console, ended) and the console's global keys:
// Alt+1..3 go to a chat pane's composer, Alt+Shift+A accepts the oldest incoming chat. A page
// opened with onlyDisplayBody=true shows only its part's body (state/part.ts).
import { useEffect } from 'react';
import { onlyDisplayBody } from '../api/page.ts';
import { useT } from '../i18n/i18n.ts';
import { unlockAudio } from '../notify/sound.ts';
import { accept } from '../state/chatActions.ts';
import { unreadCount } from '../state/chatState.ts';
import { errorText, notice } from '../state/notices.ts';
import { hasChats, part } from '../state/part.ts';
import { getState, setState, useStore } from '../state/store.ts';
import { CannedView } from './canned/CannedView.tsx';
import { ChatsView } from './chat/ChatsView.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { EndedScreen } from './EndedScreen.tsx';
import { Header } from './Header.tsx';
import { HistoryView } from './history/HistoryView.tsx';
import { IncomingChats } from './IncomingChats.tsx';
import { NotificationPrompt } from './NotificationPrompt.tsx';
import { Notices } from './Notices.tsx';
import { SettingsView } from './SettingsPanel.tsx';
import { SdkConsole } from './sdk/SdkConsole.tsx';
import { SignIn } from './SignIn.tsx';
import { VisitorsView } from './visitors/VisitorsView.tsx';
import { LoadingScreen } from './LoadingScreen.tsx';

function focusPane(n: number): void {
  setState((s) => (s.view === 'chats' ? s : { ...s, view: 'chats' }));
  // After the chats view is shown again.
  requestAnimationFrame(() => {
    const pane = document.querySelectorAll<HTMLElement>('[data-testid="chat-pane"]')[n - 1];
    if (!pane) return;
    (pane.querySelector<HTMLElement>('[data-testid="composer"]') ?? pane.querySelector<HTMLElement>('[data-testid="message-log"]') ?? pane).focus();
  });
}

function onGlobalKey(e: KeyboardEvent): void {
  if (!e.altKey || e.ctrlKey || e.metaKey || getState().screen !== 'console') return;
  if (document.querySelector('dialog[open]')) return;
  const digit = /^Digit([1-3])$/.exec(e.code);
  if (digit && !e.shiftKey && hasChats) {
    e.preventDefault();
    focusPane(Number(digit[1]));
  } else if (e.shiftKey && e.code === 'KeyA') {
    const oldest = getState().incoming[0];
    if (oldest === undefined) return;
    e.preventDefault();
    accept(oldest).catch((err: unknown) => notice(errorText(err), 'error'));
  }
}

/** The tab's title counts what waits: incoming chats and unread messages. */
function useTitle(): void {
  const t = useT();
  const brand = useStore((s) => s.brand);
  const incoming = useStore((s) => s.incoming.length);
  const chats = useStore((s) => s.chats);
  const tabs = useStore((s) => s.tabs);
  const unread = tabs.reduce((n, id) => n + (chats[id] ? unreadCount(chats[id]) : 0), 0);
  const waiting = incoming + unread;
  useEffect(() => {
    const base = t('app.title', { brand: brand?.name ?? 'Parley' });
    document.title = waiting > 0 ? `(${waiting}) ${base}` : base;
  }, [t, brand, waiting]);
}

export function App() {
  const t = useT();
  const screen = useStore((s) => s.screen);
  const view = useStore((s) => s.view);
  useTitle();

  useEffect(() => {
    window.addEventListener('keydown', onGlobalKey);
    // Browsers let a page play sound only after a gesture: the first one unlocks the chime.
    const unlock = () => unlockAudio();
    window.addEventListener('pointerdown', unlock, { once: true });
    window.addEventListener('keydown', unlock, { once: true });
    return () => {
      window.removeEventListener('keydown', onGlobalKey);
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, []);

  if (part === 'sdk') return <SdkConsole />;
  if (screen === 'loading') {
    return <LoadingScreen />;
  }
  if (screen === 'signin') return <SignIn />;
  if (screen === 'ended') return <EndedScreen />;

  const views = (
    <main id="main" className="console-main" tabIndex={-1}>
      {/* Kept mounted while hidden: drafts, scroll positions and read state stay. */}
      {hasChats && <ChatsView hidden={view !== 'chats'} />}
      {view === 'visitors' && <VisitorsView />}
      {view === 'history' && <HistoryView />}
      {view === 'canned' && <CannedView />}
      {view === 'settings' && <SettingsView />}
    </main>
  );

  // Embedded in a partner's product: the body of the page only, filling the frame.
  if (onlyDisplayBody) {
    return (
      <div className="console console-body-only" data-part={part}>
        <ConnectionBanner />
        {hasChats && <IncomingChats />}
        {views}
        <Notices />
      </div>
    );
  }

  return (
    <div className="console" data-part={part}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <Header />
      <ConnectionBanner />
      <NotificationPrompt />
      <IncomingChats />
      {views}
      <Notices />
    </div>
  );
}
