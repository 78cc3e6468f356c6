// The mobile app's WebView chat page (docs/mobile-webview.md): the agents' page (/UIMClient/Chat)
// and the robot's (/wise/webchat/Chat). The server checked the app's request and put the result
// in the page (`parley-webview`): the visitor's session and the page's ticket, or why the chat
// cannot start. The page shows the chat panel full screen and waits for the app's start(); then it
// starts the chat, tells the app what happens in it, and takes the app's commands.
import { render } from 'preact';
import { ApiError, api } from '../api/client.ts';
import type { Chat } from '../api/types.ts';
import { endChatNow, overrideActions, showError } from '../state/actions.ts';
import { bootWebview, goLive, lookOnly } from '../state/boot.ts';
import { getState, patch } from '../state/store.ts';
import { showChat } from '../state/sync.ts';
import { App } from '../ui/App.tsx';
import { type Command, installBridge, post } from './bridge.ts';
import { watchChat } from './events.ts';

interface PageConfig {
  siteId: number;
  page: 'agent' | 'robot';
  language: string | null;
  token?: string;
  expiresAt?: string;
  visitorId?: number;
  ticket?: string;
  error?: { code: string; message: string };
}

function readConfig(): PageConfig | null {
  try {
    const c = JSON.parse(document.querySelector<HTMLMetaElement>('meta[name="parley-webview"]')?.content ?? '') as PageConfig;
    return typeof c.siteId === 'number' && (c.page === 'agent' || c.page === 'robot') ? c : null;
  } catch {
    return null;
  }
}

const cfg = readConfig();
const root = document.getElementById('root');

/** A documented error event: what the page could not do, in the app's terms. */
const errorEvent = (code: string, message: string, extra: Record<string, unknown> = {}) => post('event.chat.error', { code, message, ...extra });

if (cfg && root) {
  const site = String(cfg.siteId);
  patch({ webview: { page: cfg.page, phase: cfg.error ? 'refused' : 'waiting', refusal: cfg.error?.message ?? '' }, open: true, full: true });
  render(<App />, root);
  const booted =
    cfg.error || !cfg.token || !cfg.expiresAt || !cfg.visitorId
      ? lookOnly(site, cfg.language)
      : bootWebview(site, cfg.language, { token: cfg.token, expiresAt: cfg.expiresAt, visitorId: cfg.visitorId });

  /** The robot page's "Talk to a person": the app opens the agents' page with this chat's handle. */
  const transfer = async (): Promise<boolean> => {
    const chat = getState().chat;
    if (!chat) return false;
    try {
      const { chat_id_robot } = await api<{ chat_id_robot: string }>('POST', `/api/v1/webview/chats/${chat.id}/handoff`);
      post('event.ai.transfer_agent', { chat_id_robot });
      return true;
    } catch (err) {
      showError(err);
      errorEvent('transfer_failed', err instanceof Error ? err.message : String(err));
      return false;
    }
  };
  overrideActions({
    // "End chat" asks the app, which asks the customer and answers cmd.chat.keep_chat or cmd.chat.end.
    end: async () => {
      post('event.chat.exit');
      return true;
    },
    ...(cfg.page === 'robot' && { handover: transfer }),
  });

  const begin = async () => {
    await booted;
    if (cfg.error || !cfg.ticket) {
      errorEvent(cfg.error?.code ?? 'invalid_page', cfg.error?.message ?? 'The page was opened without a valid request.');
      return;
    }
    patch({ webview: { page: cfg.page, phase: 'started', refusal: '' } });
    try {
      const { chat } = await api<{ chat: Chat }>('POST', '/api/v1/webview/start', { ticket: cfg.ticket });
      showChat(chat);
      patch({ started: true });
      watchChat(cfg.page);
      await goLive();
    } catch (err) {
      showError(err);
      if (err instanceof ApiError && err.type.endsWith('queue-full')) post('event.chat.agent_busy');
      else errorEvent('start_failed', err instanceof Error && err.message ? err.message : getState().t.error);
    }
  };

  const command = async (c: Command) => {
    const chat = getState().chat;
    switch (c.command) {
      case 'cmd.chat.end':
        if (chat && chat.status !== 'ended') await endChatNow();
        return;
      case 'cmd.chat.keep_chat':
        // The customer stays: nothing changes.
        return;
      case 'cmd.chat.channel_change_result': {
        const { result, desc, user_message } = c.params;
        const bad = (v: unknown, max: number) => v !== undefined && (typeof v !== 'string' || v.length > max);
        if ((result !== undefined && result !== '00' && result !== '01') || bad(desc, 200) || bad(user_message, 1000)) {
          errorEvent('invalid_params', 'cmd.chat.channel_change_result takes result "00" or "01", desc and user_message (strings).', { command: c.command });
          return;
        }
        if (!chat) {
          errorEvent('no_chat', 'There is no chat to answer in.', { command: c.command });
          return;
        }
        const params = { ...(result !== undefined && { result }), ...(desc !== undefined && { desc }), ...(user_message !== undefined && { user_message }) };
        await api('POST', `/api/v1/webview/chats/${chat.id}/results`, { command: c.command, params }).catch((err: unknown) =>
          errorEvent('command_failed', err instanceof Error ? err.message : String(err), { command: c.command }),
        );
        return;
      }
      // The robot page takes a transfer request from the app too (either spelling of the spec).
      case 'event.ai.transfer_agent':
      case 'event.ai_transfer_agent':
        if (cfg.page === 'robot' && chat?.status === 'bot') {
          await transfer();
          return;
        }
        break;
    }
    errorEvent('unknown_command', `${c.command.slice(0, 100)} is not a command of this page.`, { command: c.command.slice(0, 100) });
  };

  installBridge({
    start: () => void begin(),
    command: (c) => void command(c),
    malformed: (why) => errorEvent('malformed_command', why),
  });
}
