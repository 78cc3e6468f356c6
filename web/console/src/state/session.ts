// The console's life: the session probe on load, sign-in, starting (data + real time), and the
// end screens when the server says this console must stop.
import { fetchBrand, fetchSession } from '../api/auth.ts';
import { setCsrfToken, setUnauthorizedHandler } from '../api/http.ts';
import { linkTheme, pageBrand, sessionFitsPage } from '../api/page.ts';
import { fetchAgents, fetchCanned, fetchFileSettings, fetchGroups, fetchMe, fetchMyPermissions, usesControlPanel } from '../api/team.ts';
import type { Brand, Session } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';
import { connectRealtime, disconnectRealtime } from '../realtime/connection.ts';
import { applyEvent, setEndHandler } from './events.ts';
import { live } from './part.ts';
import type { EndReason } from './model.ts';
import { notice } from './notices.ts';
import { retryTransient } from './outbox.ts';
import { getState, resetState, setState } from './store.ts';
import { requestSync, syncChat } from './sync.ts';

function applyBrand(brand: Brand): void {
  setState((s) => ({ ...s, brand }));
  linkTheme(brand.themeCssUrl);
}

/** The 3500-range codes after which reconnecting cannot help (docs/realtime.md). */
const END_CODES: Record<number, EndReason> = { 3503: 'elsewhere', 3507: 'blocked' };

export function endConsole(reason: EndReason): void {
  disconnectRealtime();
  setState((s) => ({ ...s, screen: 'ended', endReason: reason, connection: 'idle' }));
}

function sessionLost(): void {
  if (getState().screen !== 'console') return;
  disconnectRealtime();
  resetState({ screen: 'signin', brand: getState().brand });
  notice(t('signin.expired'), 'error');
}

let lastRestart = 0;
/** How the console starts again after a revoked token; the SDK's frame has its own (sdk/bridge.ts). */
let restart: (session: Session) => Promise<void> = (s) => startConsole(s);

export function setRestart(handler: (session: Session) => Promise<void>): void {
  restart = handler;
}

/** Any other final code (a revoked token): start again if the session still holds, once a minute at most. */
function restartOrStop(): void {
  const now = Date.now();
  if (now - lastRestart < 60_000) {
    endConsole('expired');
    return;
  }
  lastRestart = now;
  fetchSession().then((s) => (s ? restart(s) : sessionLost()), sessionLost);
}

export async function startConsole(session: Session): Promise<void> {
  setCsrfToken(session.csrfToken);
  // The view stays: the SDK's page may have chosen it before sign-in.
  resetState({ screen: 'console', session, brand: getState().brand, view: getState().view });
  setEndHandler(endConsole);
  // A body-only settings page only edits this browser's alert settings (state/part.ts).
  if (!live) return;
  const [me, agents, groups, canned, mine, files] = await Promise.allSettled([fetchMe(), fetchAgents(), fetchGroups(), fetchCanned(), fetchMyPermissions(), fetchFileSettings()]);
  setState((s) => ({
    ...s,
    me: me.status === 'fulfilled' ? me.value : s.me,
    controlPanel: mine.status === 'fulfilled' && usesControlPanel(mine.value),
    agents: agents.status === 'fulfilled' ? agents.value : s.agents,
    groups: groups.status === 'fulfilled' ? groups.value : s.groups,
    canned: canned.status === 'fulfilled' ? canned.value : s.canned,
    files: files.status === 'fulfilled' ? { agentFiles: files.value.agentFiles, maxBytes: files.value.maxBytes } : s.files,
  }));
  void requestSync();
  connectRealtime({
    publication: (_channel, data) => applyEvent(data),
    connected: () => {
      setState((s) => ({ ...s, everConnected: true }));
      void requestSync().then(retryTransient);
    },
    unrecovered: (channel) => {
      const chat = /^chat:(\d+)$/.exec(channel);
      if (chat) void syncChat(Number(chat[1]));
      else void requestSync();
    },
    state: (connection) => setState((s) => (s.connection === connection ? s : { ...s, connection })),
    stopped: (code) => {
      const reason = END_CODES[code];
      if (reason) endConsole(reason);
      else if (reason === undefined) restartOrStop();
    },
  });
}

/** What every page of the console does first: a lost session goes back to sign-in; the brand shows. */
export function prepare(): void {
  setUnauthorizedHandler(sessionLost);
  // The site's partner's brand when the server put it in the page, else the brand of this host.
  const brand = pageBrand();
  if (brand) applyBrand(brand);
  else void fetchBrand().then(applyBrand, () => undefined);
}

export async function boot(): Promise<void> {
  prepare();
  try {
    const session = await fetchSession();
    if (session && sessionFitsPage(session)) await startConsole(session);
    else setState((s) => ({ ...s, screen: 'signin' }));
  } catch {
    // The server is unreachable: sign-in shows, and says why when the agent tries.
    setState((s) => ({ ...s, screen: 'signin' }));
  }
}
