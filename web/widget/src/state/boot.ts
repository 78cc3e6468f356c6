// Starting the widget: the site's configuration, the visitor session, the theme, the real-time
// connection, the chat, and the host page's views.
import { ApiError, api } from '../api/client.ts';
import type { VisitorSession, WidgetConfig } from '../api/types.ts';
import { pickLanguage } from '../i18n.ts';
import type { PageInfo } from '../protocol.ts';
import { invitationsChanged, pageChanged, startInvitations } from './invitations.ts';
import { flush, restoreOutbox, retry } from './outbox.ts';
import { connectRealtime } from './realtime.ts';
import { adoptSession, configureSession, openSession } from './session.ts';
import { clearChat, defaultConfig, getState, patch } from './store.ts';
import { applyEvent, resync } from './sync.ts';

let siteId = '';
let languageOverride: string | null = null;
let campaignId: string | null = null;
let pages: PageInfo[] = [];
let sendingPages = false;

/** The site's widget settings; the defaults when the server has none (or is older). */
export async function loadConfig(): Promise<void> {
  let loaded: Partial<WidgetConfig> = {};
  try {
    const query = campaignId && /^[1-9][0-9]{0,15}$/.test(campaignId) ? `?campaignId=${campaignId}` : '';
    loaded = await api<Partial<WidgetConfig>>('GET', `/api/v1/sites/${siteId}/widget${query}`, undefined, '');
  } catch {
    // Keep the defaults: a chat with the agents, no forms.
  }
  const d = defaultConfig;
  const config: WidgetConfig = {
    ...d,
    ...loaded,
    brand: { ...d.brand, ...loaded.brand },
    prechat: { ...d.prechat, ...loaded.prechat },
    robot: { ...d.robot, ...loaded.robot },
    survey: { ...d.survey, ...loaded.survey },
    files: { ...d.files, ...loaded.files },
  };
  const { lang, t } = pickLanguage(languageOverride ?? config.language, navigator.languages ?? [navigator.language]);
  document.documentElement.lang = lang;
  document.title = config.brand.name || t.chat;
  if (!getState().ready || config.brand.themeCssUrl !== getState().config.brand.themeCssUrl) applyTheme(config.brand.themeCssUrl);
  applyCampaignColor(config.campaign?.look.color ?? null);
  patch({ config, lang, t });
  invitationsChanged();
}

/** Links the site's theme: a stylesheet of --parley-* custom properties. */
function applyTheme(url: string | null | undefined): void {
  document.getElementById('parley-theme')?.remove();
  if (!url || !/^(https?:\/\/|\/)/i.test(url)) return;
  const link = document.createElement('link');
  link.id = 'parley-theme';
  link.rel = 'stylesheet';
  link.href = url;
  document.head.appendChild(link);
}

/** A campaign's colour overrides the theme's primary colour (the theme still gives the rest). */
function applyCampaignColor(color: string | null): void {
  const root = document.documentElement;
  if (color && /^#[0-9a-fA-F]{6}$/.test(color)) root.style.setProperty('--parley-primary-color', color);
  else root.style.removeProperty('--parley-primary-color');
}

function onSession(session: VisitorSession): void {
  const before = getState().visitor;
  patch({ visitor: session.visitor });
  // The stored token no longer worked and the server made a new visitor: its chat is not ours.
  if (before && before.id !== session.visitor.id) {
    clearChat();
    startRealtime();
  }
}

export function setOpen(open: boolean): void {
  patch({ open });
}

function startRealtime(): void {
  connectRealtime({
    event: (e) => applyEvent(e, () => setOpen(true)),
    connected: () => {
      void resync()
        .then(() => retry(false))
        .catch(() => {});
    },
  });
}

async function sendPages(): Promise<void> {
  if (sendingPages || !getState().visitor) return;
  sendingPages = true;
  for (let page = pages.shift(); page; page = pages.shift()) {
    const body = {
      url: page.url.slice(0, 2000),
      title: page.title.slice(0, 500) || undefined,
      referrer: page.referrer.slice(0, 2000) || undefined,
      // The visitor's own settings, for the agents' visitor list.
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      language: navigator.language,
    };
    // A page view that cannot be recorded is not worth bothering the visitor with.
    await api('POST', '/api/v1/visitors/me/pageviews', body).catch(() => {});
  }
  sendingPages = false;
}

/** Records a host page the loader reported (kept until the session is open). */
export function pageViewed(page: PageInfo): void {
  pages = [...pages.slice(-9), page];
  void sendPages();
  pageChanged(page.url);
}

/**
 * Starts the mobile WebView page (docs/mobile-webview.md) with the session the server opened for
 * it: the site's look and words, no launcher, no chat yet (that waits for the app's start()).
 */
export async function bootWebview(site: string, language: string | null, session: { token: string; expiresAt: string; visitorId: number }): Promise<void> {
  siteId = site;
  languageOverride = language;
  adoptSession(site, session, onSession);
  // Texts one customer could not send are never sent as the next customer's on the same device.
  restoreOutbox(`webview:${site}:${session.visitorId}`);
  await Promise.all([loadConfig(), openSession().catch(() => undefined)]);
  patch({ ready: true, open: true, full: true });
}

/** A page that cannot chat (a refused sign-in) still wears the site's look and speaks its language. */
export async function lookOnly(site: string, language: string | null): Promise<void> {
  siteId = site;
  languageOverride = language;
  await loadConfig();
  patch({ ready: true, open: true, full: true });
}

/** The WebView page's chat began (the app called start()): show it and keep it live. */
export async function goLive(): Promise<void> {
  startRealtime();
  await resync().catch(() => {});
  void flush();
}

/** Starts the widget of a site; retries later if Parley cannot be reached. */
export async function boot(site: string, language: string | null, campaign: string | null = null): Promise<void> {
  siteId = site;
  languageOverride = language;
  campaignId = campaign;
  configureSession(site, onSession);
  restoreOutbox(site);
  try {
    await Promise.all([loadConfig(), openSession()]);
  } catch (err) {
    // A missing or closed site: no widget at all. Anything else: try again shortly.
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) patch({ disabled: true });
    else setTimeout(() => void boot(site, language, campaign), 10_000);
    return;
  }
  patch({ ready: true });
  startInvitations(site);
  void sendPages();
  startRealtime();
  await resync().catch(() => {});
  void flush();
}
