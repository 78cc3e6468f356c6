// The chat panel's entry point (frame.html#siteId=N[&lang=xx][&campaignId=N]): renders the widget and starts it.
import { render } from 'preact';
import { isEmbedded, listenToHost, postToHost } from './host-bridge.ts';
import { boot, pageViewed, setOpen } from './state/boot.ts';
import { hasOwnStorage, adoptHostStorage } from './state/storage.ts';
import { patch } from './state/store.ts';
import { App } from './ui/App.tsx';

const params = new URLSearchParams(location.hash.slice(1));
const siteId = params.get('siteId') ?? '';
const root = document.getElementById('root');

if (root && /^[1-9][0-9]{0,15}$/.test(siteId)) {
  let started = false;
  const start = () => {
    if (!started) void boot(siteId, params.get('lang'), params.get('campaignId'));
    started = true;
  };
  // Opened on its own (not in a host page), the panel may use the whole window.
  patch({ full: !isEmbedded });
  render(<App />, root);
  listenToHost((m) => {
    if (m.type === 'page') pageViewed({ url: m.url, title: m.title, referrer: m.referrer });
    else if (m.type === 'open' || m.type === 'close') setOpen(m.type === 'open');
    else if (m.type === 'layout') patch({ full: m.full });
    else if (m.type === 'storage' && !hasOwnStorage && !started) {
      adoptHostStorage(m.items, (key, value) => postToHost({ type: 'store', key, value }));
      start();
    }
  });
  // Without storage of its own, the frame needs the stored visitor from the host page first
  // (an older loader never sends it: then start without).
  if (hasOwnStorage || !isEmbedded) start();
  else setTimeout(start, 1500);
}
