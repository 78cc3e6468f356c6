// The widget loader (`/widget.js`): the one tag a customer puts on its pages. It finds the site id
// and Parley's origin from its own <script> tag and adds one iframe that holds the whole chat
// panel, so the host page's CSS and scripts cannot touch it. It only places the iframe, forwards
// the page's address (single-page sites included) and relays open/close. No run-time imports.
import type { FrameMessage, HostMessage, PageInfo } from './protocol.ts';

interface ParleyApi {
  open(): void;
  close(): void;
}
type HostWindow = Window & { ParleyWidget?: ParleyApi };

// A host message without its `parley` marker, which send() adds.
type Unmarked<T> = T extends unknown ? Omit<T, 'parley'> : never;
type Outgoing = Unmarked<HostMessage>;

// Below this viewport width (px) the open panel fills the screen.
const NARROW = 480;
const Z = '2147483000';

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // Some loaders (tag managers) run the script without currentScript: find the tag by its attribute.
  return document.querySelector<HTMLScriptElement>('script[data-site-id][src]');
}

// The frame's fallback store (its own localStorage is denied where third-party storage is
// blocked): only `parley:` keys, so the frame can never read or change the page's other data.
const PREFIX = 'parley:';

function storedItems(): Record<string, string> {
  const items: Record<string, string> = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      const value = key?.startsWith(PREFIX) ? localStorage.getItem(key) : null;
      if (key && value !== null) items[key] = value;
    }
  } catch {
    // Storage denied here too: the visitor is remembered for this page only.
  }
  return items;
}

function store(key: string, value: string | null): void {
  if (typeof key !== 'string' || !key.startsWith(PREFIX)) return;
  try {
    if (typeof value === 'string') localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // As above.
  }
}

function start(): void {
  const win = window as HostWindow;
  const script = ownScript();
  if (!script?.src) return;
  const src = new URL(script.src, location.href);
  const siteId = script.getAttribute('data-site-id') || src.searchParams.get('siteId') || '';
  if (!/^[1-9][0-9]{0,15}$/.test(siteId)) {
    console.warn('Parley widget: data-site-id is missing or not a number.');
    return;
  }
  // Several tags (or a tag added twice by a single-page app) make one widget.
  if (win.ParleyWidget) return;

  const origin = src.origin;
  const lang = script.getAttribute('data-language');
  const campaign = script.getAttribute('data-campaign-id') || src.searchParams.get('campaignId') || '';
  const frame = document.createElement('iframe');
  let ready = false;
  let open = false;
  // The frame's wanted size, until it says (it stays hidden until then).
  let wanted = { width: 88, height: 88 };
  let lastUrl = '';
  let referrer = document.referrer;
  // An open() or close() asked for before the frame listens; only the latest counts.
  let command: Outgoing | null = null;

  frame.src =
    `${origin}/widget/frame.html#siteId=${siteId}${lang ? `&lang=${encodeURIComponent(lang)}` : ''}` +
    (/^[1-9][0-9]{0,15}$/.test(campaign) ? `&campaignId=${campaign}` : '');
  frame.title = 'Chat';
  frame.setAttribute('data-parley-widget', siteId);
  // color-scheme: normal on both sides keeps the iframe transparent on pages with a dark scheme.
  frame.style.cssText =
    `position:fixed;right:0;bottom:0;z-index:${Z};border:0;margin:0;padding:0;background:transparent;` +
    'color-scheme:normal;display:block;max-width:100%;max-height:100%;visibility:hidden';

  const send = (message: Outgoing): void => {
    if (ready) frame.contentWindow?.postMessage({ parley: 1, ...message }, origin);
  };

  const place = (): void => {
    const full = open && innerWidth < NARROW;
    const s = frame.style;
    s.width = full ? '100%' : `${wanted.width}px`;
    s.height = full ? '100%' : `${wanted.height}px`;
    send({ type: 'layout', full });
  };

  const reportPage = (): void => {
    const url = location.href;
    if (!ready || url === lastUrl) return;
    const page: PageInfo = { url, title: document.title, referrer };
    // The next in-site navigation came from this page.
    referrer = url;
    lastUrl = url;
    send({ type: 'page', ...page });
  };

  // Single-page sites change the URL without loading a page; titles usually follow a moment later.
  let timer = 0;
  const urlMaybeChanged = (): void => {
    clearTimeout(timer);
    timer = window.setTimeout(reportPage, 300);
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    history[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      urlMaybeChanged();
      return result;
    };
  }
  addEventListener('popstate', urlMaybeChanged);
  addEventListener('hashchange', urlMaybeChanged);
  addEventListener('resize', place);

  addEventListener('message', (event: MessageEvent) => {
    // Only our own frame, loaded from Parley's origin, may talk to the loader.
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    const data = event.data as FrameMessage | null;
    if (data?.parley !== 1) return;
    if (data.type === 'ready') {
      ready = true;
      send({ type: 'storage', items: storedItems() });
      reportPage();
      if (command) send(command);
      command = null;
      place();
    } else if (data.type === 'resize') {
      open = data.open;
      wanted = { width: Math.min(Math.max(data.width, 40), 800), height: Math.min(Math.max(data.height, 40), 1000) };
      if (data.title) frame.title = data.title;
      // The campaign's side of the page.
      const left = data.side === 'left';
      frame.style.left = left ? '0' : 'auto';
      frame.style.right = left ? 'auto' : '0';
      // Width 0: nothing to show (a closed site), and nothing to catch clicks meant for the page.
      frame.style.visibility = data.width > 0 ? 'visible' : 'hidden';
      place();
    } else if (data.type === 'store') {
      store(data.key, data.value);
    }
  });

  const order = (message: Outgoing): void => {
    if (ready) send(message);
    else command = message;
  };
  win.ParleyWidget = { open: () => order({ type: 'open' }), close: () => order({ type: 'close' }) };
  place();

  const attach = (): void => {
    document.body.appendChild(frame);
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);
}

start();
