// The console in the SDK's frame (/sdk/console.html): only the modules the partner's page asked
// for (visitors, chats), with a switch between them when there are two. Before sign-in it waits for
// the page's agentConsole.login; a page the server refused to serve here says so.
import { useT } from '../../i18n/i18n.ts';
import { modulesStore, sdkPage } from '../../sdk/page.ts';
import { setState, useStore } from '../../state/store.ts';
import { BrandMark } from '../BrandMark.tsx';
import { ChatsView } from '../chat/ChatsView.tsx';
import { ConnectionBanner } from '../ConnectionBanner.tsx';
import { IncomingChats } from '../IncomingChats.tsx';
import { Notices } from '../Notices.tsx';
import { VisitorsView } from '../visitors/VisitorsView.tsx';
import { LoadingScreen } from '../LoadingScreen.tsx';

function Waiting({ refused }: { refused: boolean }) {
  const t = useT();
  const brand = useStore((s) => s.brand);
  return (
    <div className="sdk-waiting">
      <main className="signin-card" aria-labelledby="sdk-waiting-title" data-testid={refused ? 'sdk-refused' : 'sdk-signed-out'}>
        <div className="signin-brand">
          <BrandMark brand={brand} />
        </div>
        <h1 id="sdk-waiting-title">{refused ? t('sdk.refusedTitle') : t('sdk.signedOutTitle')}</h1>
        <p>{refused ? t('sdk.refusedText') : t('sdk.signedOutText')}</p>
        <Notices />
      </main>
    </div>
  );
}

export function SdkConsole() {
  const t = useT();
  const screen = useStore((s) => s.screen);
  const view = useStore((s) => s.view);
  const modules = modulesStore.useStore((m) => m);
  if (sdkPage.refused) return <Waiting refused />;
  if (screen === 'loading') {
    return <LoadingScreen />;
  }
  if (screen !== 'console') return <Waiting refused={false} />;
  const shown = modules.includes(view as (typeof modules)[number]) ? view : modules[0];
  return (
    <div className="console console-body-only sdk-console" data-part="sdk" data-module={shown}>
      {modules.length > 1 && (
        <fieldset className="segmented sdk-modules">
          <legend className="visually-hidden">{t('nav.label')}</legend>
          {modules.map((m) => (
            <button key={m} type="button" aria-pressed={shown === m} onClick={() => setState((s) => ({ ...s, view: m }))} data-testid={`sdk-module-${m}`}>
              {t(m === 'chats' ? 'nav.chats' : 'nav.visitors')}
            </button>
          ))}
        </fieldset>
      )}
      <ConnectionBanner />
      {modules.includes('chats') && <IncomingChats />}
      <main id="main" className="console-main" tabIndex={-1}>
        {/* Kept mounted while hidden: drafts, scroll positions and read state stay. */}
        {modules.includes('chats') && <ChatsView hidden={shown !== 'chats'} />}
        {shown === 'visitors' && <VisitorsView />}
      </main>
      <Notices />
    </div>
  );
}
