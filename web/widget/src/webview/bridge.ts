// The JS bridge with the bank's native app (docs/mobile-webview.md): the app calls the page's
// `start()` once the page has loaded and then `sendMessage(json)` with its `cmd.*` commands; the
// page calls the app's `ncbmb.postMessage(json)` (Android's injected object) or
// `webkit.messageHandlers.ncbmb.postMessage(json)` (iOS) with its `event.*` events. Every message
// is a JSON string `{"command", "params"}`. Before start() the page sends nothing and takes nothing.

export type Params = Record<string, unknown>;
export interface Command {
  command: string;
  params: Params;
}

interface NativeHandler {
  postMessage(message: string): void;
}

type BridgeWindow = Window & {
  ncbmb?: Partial<NativeHandler>;
  webkit?: { messageHandlers?: { ncbmb?: Partial<NativeHandler> } };
  start?: () => void;
  sendMessage?: (json: string) => boolean;
};

const win = window as BridgeWindow;
let started = false;

/** The app's handler: Android's injected object, else iOS's message handler. */
function app(): NativeHandler | null {
  if (typeof win.ncbmb?.postMessage === 'function') return win.ncbmb as NativeHandler;
  const ios = win.webkit?.messageHandlers?.ncbmb;
  return typeof ios?.postMessage === 'function' ? (ios as NativeHandler) : null;
}

/** Sends an event to the app (nothing before start()). */
export function post(command: string, params: Params = {}): void {
  if (!started) return;
  app()?.postMessage(JSON.stringify({ command, params }));
}

/** The page's `start()` and `sendMessage(json)` for the app to call. */
export function installBridge(handlers: { start(): void; command(c: Command): void; malformed(why: string): void }): void {
  win.start = () => {
    if (started) return;
    started = true;
    handlers.start();
  };
  win.sendMessage = (json: string) => {
    if (!started) return false;
    let parsed: unknown;
    try {
      parsed = typeof json === 'string' ? JSON.parse(json) : json;
    } catch {
      handlers.malformed('The message is not JSON.');
      return false;
    }
    const c = parsed as Partial<Command> | null;
    if (typeof c !== 'object' || c === null || typeof c.command !== 'string' || (c.params !== undefined && (typeof c.params !== 'object' || c.params === null || Array.isArray(c.params)))) {
      handlers.malformed('The message must be {"command": string, "params": object}.');
      return false;
    }
    handlers.command({ command: c.command, params: (c.params as Params | undefined) ?? {} });
    return true;
  };
}
