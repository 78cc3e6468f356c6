// The frame's root: the launcher when closed, the panel when open. It asks the loader for the
// iframe size each needs, moves focus into the panel when it opens and back to the launcher when
// it closes, and closes on Escape.
import type { JSX } from 'preact';
import { useEffect, useLayoutEffect, useReducer, useRef } from 'preact/hooks';
import { fmt } from '../i18n.ts';
import { postToHost } from '../host-bridge.ts';
import { setOpen } from '../state/boot.ts';
import { getState, patch, type State, subscribe } from '../state/store.ts';
import { Conversation } from './Conversation.tsx';
import { OfflineForm, PrechatForm } from './Forms.tsx';
import { Header } from './Header.tsx';
import { ChatIcon } from './icons.tsx';

// The open panel and the room around it for its shadow (the loader fits it to small screens).
const PANEL = { width: 380, height: 600, margin: 16 };

/**
 * The store's state, re-rendering on every change. Subscribed in a layout effect, then checked
 * once: a change between the first render and the subscription (the network can be quicker than
 * a passive effect in a background frame) must not be missed.
 */
function useWidgetState(): State {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const rendered = useRef(getState());
  rendered.current = getState();
  useLayoutEffect(() => {
    const unsubscribe = subscribe(() => rerender(0));
    if (getState() !== rendered.current) rerender(0);
    return unsubscribe;
  }, []);
  return rendered.current;
}

function unreadCount(s: State): number {
  const fromOthers = s.messages.filter((m) => m.seq > s.readSeq && !m.deletedAt && (m.senderKind === 'agent' || m.senderKind === 'bot'));
  return fromOthers.length + (s.invitation && !s.chat ? 1 : 0);
}

function PanelBody({ s }: { s: State }) {
  const { chat, config } = s;
  // In the app's WebView: nothing until the app calls start(), and a refused sign-in says so.
  if (s.webview?.phase === 'refused') {
    return (
      <div class="end" role="alert" data-testid="webview-refused">
        <p>
          <strong>{s.t.cannotStart}</strong>
        </p>
        <p>{s.webview.refusal}</p>
      </div>
    );
  }
  if (s.webview && (s.webview.phase === 'waiting' || !chat)) {
    return (
      <p class="sys" role="status" data-testid="webview-connecting">
        {s.t.connecting}
      </p>
    );
  }
  const fresh = !chat && !s.started && !s.invitation;
  const nobody = fresh && !config.agentsAvailable && config.startWith !== 'robot';
  if (s.offlineReason !== null || nobody || (chat?.status === 'ended' && chat.endedBy === 'system')) return <OfflineForm s={s} />;
  if (fresh && config.prechat.enabled && config.prechat.fields.length) return <PrechatForm s={s} />;
  return <Conversation s={s} />;
}

export function App() {
  const s = useWidgetState();
  const launcher = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  const wasOpen = useRef(false);
  const { t } = s;
  const shown = s.ready && !s.disabled;

  const look = s.config.campaign?.look;
  const side = look?.position === 'left' ? 'left' : 'right';
  useLayoutEffect(() => {
    const title = look?.title || s.config.brand.name || t.chat;
    if (!shown) {
      postToHost({ type: 'resize', open: false, width: 0, height: 0, title, side });
      return;
    }
    if (s.open) {
      postToHost({ type: 'resize', open: true, width: PANEL.width + 2 * PANEL.margin, height: PANEL.height + 2 * PANEL.margin, title, side });
      return;
    }
    // The launcher's size comes from the theme (--parley-launcher-size), which may load later.
    const button = launcher.current;
    if (!button) return;
    const report = () => {
      const size = button.getBoundingClientRect();
      postToHost({ type: 'resize', open: false, width: Math.ceil(size.width) + 2 * PANEL.margin, height: Math.ceil(size.height) + 2 * PANEL.margin, title, side });
    };
    report();
    const observer = new ResizeObserver(report);
    observer.observe(button);
    return () => observer.disconnect();
  }, [shown, s.open, t, s.config.brand.name, look?.title, side]);

  const panelShown = shown && s.open;
  useEffect(() => {
    if (panelShown && !wasOpen.current) {
      // The message box, else the form's first field, else the first button.
      const root = panel.current;
      const first = ['#pw-input', '.body input, .body textarea', '.body button', 'button'].map((q) => root?.querySelector<HTMLElement>(q)).find(Boolean);
      first?.focus();
    } else if (!panelShown && wasOpen.current) {
      launcher.current?.focus();
    }
    wasOpen.current = panelShown;
  }, [panelShown]);

  if (!shown) return null;
  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
    }
  };
  const unread = unreadCount(s);

  return (
    <main class={`pw${s.full ? ' full' : ''}`}>
      {s.open ? (
        <section class="panel" ref={panel} role="dialog" aria-labelledby="pw-title" data-testid="panel" onKeyDown={onKeyDown}>
          <Header s={s} />
          {s.error && (
            <div class="err" role="alert" data-testid="error">
              <span>{s.error}</span>
              <button type="button" class="link" onClick={() => patch({ error: '' })}>
                {t.dismiss}
              </button>
            </div>
          )}
          <div class="body">
            <PanelBody s={s} />
          </div>
        </section>
      ) : (
        <button
          type="button"
          class="launcher"
          ref={launcher}
          aria-haspopup="dialog"
          aria-label={unread ? `${t.open} (${fmt(t.unread, unread)})` : t.open}
          data-testid="launcher"
          onClick={() => setOpen(true)}
        >
          <ChatIcon />
          {look?.buttonText && (
            <span class="ltext" data-testid="launcher-text">
              {look.buttonText}
            </span>
          )}
          {unread > 0 && (
            <span class="badge" aria-hidden="true" data-testid="unread-badge">
              {unread > 9 ? '9+' : unread}
            </span>
          )}
        </button>
      )}
    </main>
  );
}
