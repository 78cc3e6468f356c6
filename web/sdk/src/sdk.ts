// The Agent Console SDK in the partner's page: `init(container, config)` puts Parley's console
// (its visitors and chats modules) in an iframe on the partner's Parley host and gives the page
// `do`, `get`, `on`/`off` and `destroy`. The frame holds the agent's session (a cookie the page
// cannot read); the two talk over postMessage, each taking messages only from the other's window
// and origin. No run-time imports: one small script.
import type { AgentConsoleError, AgentConsoleSdk, App, Config, ErrorCode, EventMap, ModuleName, Properties } from '../agent-console.d.ts';
import { isProtocolMessage, PROTOCOL, type Snapshot, type ToFrame, type ToSdk, type WireError } from '../../shared/agent-console-protocol.ts';

export const VERSION = '1.0.0';

const MODULES: readonly ModuleName[] = ['visitors', 'chats'];
/** After the frame's `load` without a word from it, it was refused (CSP `frame-ancestors`) or broke. */
const AFTER_LOAD_MS = 3000;
const DEFAULT_TIMEOUT_MS = 15_000;

/** Maps a config handler key to the event it listens to. */
const CONFIG_EVENTS: Record<string, keyof EventMap> = {
  'visitors.enterSite': 'agentconsole.visitor.enterSite',
  'visitors.leaveSite': 'agentconsole.visitor.leaveSite',
  'chats.startChat': 'startChat',
  'chats.endChat': 'endChat',
  'chats.receivedMessage': 'receivedMessage',
  'chats.sentMessage': 'sentMessage',
};

/** The error every refused action rejects with. */
export function sdkError(e: WireError): AgentConsoleError {
  const err = new Error(e.message) as Error & { -readonly [K in keyof AgentConsoleError]: AgentConsoleError[K] };
  err.name = 'AgentConsoleError';
  err.code = e.code;
  err.status = e.status;
  if (e.siteIds) err.siteIds = e.siteIds;
  return err as AgentConsoleError;
}

const fail = (code: ErrorCode, message: string) => sdkError({ code, message, status: null });

function containerOf(container: HTMLElement | string): HTMLElement {
  const el = typeof container === 'string' ? document.querySelector<HTMLElement>(container) ?? document.getElementById(container) : container;
  if (!(el instanceof HTMLElement)) throw fail('invalid_argument', 'init(container, config): the container must be an element or the selector of one.');
  return el;
}

function serverOf(config: Config): URL {
  let url: URL;
  try {
    url = new URL(config.server);
  } catch {
    throw fail('invalid_argument', 'init: config.server must be the address of Parley, such as https://acme.parley.example.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw fail('invalid_argument', 'init: config.server must be an http(s) address.');
  return url;
}

function modulesOf(config: Config): { modules: ModuleName[]; display: ModuleName } {
  const modules = config.modules === undefined ? [...MODULES] : config.modules.filter((m, i, all) => MODULES.includes(m) && all.indexOf(m) === i);
  if (modules.length === 0) throw fail('invalid_argument', "init: config.modules must list 'visitors', 'chats' or both.");
  const display = config.display ?? (modules.includes('visitors') ? 'visitors' : modules[0]!);
  if (!modules.includes(display)) throw fail('module_not_enabled', `init: config.display is '${display}', which is not in config.modules.`);
  return { modules, display };
}

function init(container: HTMLElement | string, config: Config): App {
  const host = containerOf(container);
  const server = serverOf(config);
  const { modules, display } = modulesOf(config);

  const src = new URL('/sdk/console.html', server);
  src.searchParams.set('origin', location.origin);
  if (config.partnerId !== undefined) src.searchParams.set('partnerId', String(config.partnerId));
  const frame = document.createElement('iframe');
  frame.src = src.toString();
  frame.title = 'Agent console';
  // Sign-out may continue to the partner's IdP; files and links open in new tabs.
  frame.allow = 'clipboard-write; autoplay';
  frame.style.cssText = 'border:0;width:100%;height:100%;display:block';
  frame.dataset.parleyAgentConsole = '';

  const handlers = new Map<keyof EventMap, Set<(data: never) => void>>();
  let snapshot: Snapshot = { agent: null, visitors: [], chats: [] };
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  let destroyed = false;
  let startError: AgentConsoleError | null = null;

  let settleReady!: (error: AgentConsoleError | null) => void;
  const ready = new Promise<void>((resolve, reject) => {
    settleReady = (error) => (error ? reject(error) : resolve());
  });
  // A page that never awaits `ready` still hears of the failure through `error` and each `do`.
  ready.catch(() => undefined);
  let isReady = false;

  function emit<E extends keyof EventMap>(name: E, data: EventMap[E]): void {
    for (const handler of [...(handlers.get(name) ?? [])]) {
      try {
        (handler as (d: EventMap[E]) => void)(data);
      } catch (err) {
        // One broken handler must not stop the others, nor the SDK.
        setTimeout(() => {
          throw err;
        });
      }
    }
  }

  function failStart(error: AgentConsoleError): void {
    if (isReady || startError) return;
    startError = error;
    clearTimeout(timer);
    settleReady(error);
    rejectPending(error);
    emit('error', error);
  }

  const send = (message: ToFrame) => frame.contentWindow?.postMessage(message, server.origin);
  const sendInit = () => send({ parley: PROTOCOL, type: 'init', modules, display, language: config.language ?? null });

  /** Rejects every action waiting for an answer (the frame is gone or started again). */
  function rejectPending(error: AgentConsoleError): void {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function onMessage(event: MessageEvent): void {
    // Only the frame, only from Parley's origin: another frame or window cannot speak for it.
    if (event.source !== frame.contentWindow || event.origin !== server.origin || !isProtocolMessage(event.data)) return;
    const m = event.data as ToSdk;
    switch (m.type) {
      case 'ready':
        if (startError) return;
        if (isReady) {
          // The frame loaded again (moved in the page, reloaded): it is told its modules again, and
          // what it was doing before is lost.
          rejectPending(fail('network', 'The agent console reloaded before it answered; try again.'));
          sendInit();
          return;
        }
        isReady = true;
        clearTimeout(timer);
        sendInit();
        settleReady(null);
        return;
      case 'refused':
        failStart(sdkError(m.error));
        return;
      case 'update':
        snapshot = m.snapshot;
        for (const e of m.events) emit(e.name, e.data as never);
        return;
      case 'reply': {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else p.reject(sdkError(m.error));
        return;
      }
      case 'ended':
        emit('error', sdkError(m.error));
        return;
    }
  }

  window.addEventListener('message', onMessage);
  const timer = setTimeout(() => failStart(fail('frame_blocked', 'The agent console did not load: check config.server and that this page’s origin is one the partner allows.')), config.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  frame.addEventListener('load', () => {
    if (isReady) return;
    setTimeout(() => failStart(fail('frame_blocked', `The agent console did not start in its frame: ${location.origin} may not be one of the partner’s allowed origins, or ${server.origin} is not Parley.`)), AFTER_LOAD_MS);
  });
  host.append(frame);

  for (const [key, name] of Object.entries(CONFIG_EVENTS)) {
    const [group, event] = key.split('.') as ['visitors' | 'chats', string];
    const handler = (config[group] as Record<string, unknown> | undefined)?.[event];
    if (typeof handler === 'function') on(name, handler as (d: never) => void);
  }

  function on(name: keyof EventMap, handler: (data: never) => void): void {
    if (typeof handler !== 'function') throw fail('invalid_argument', `on('${String(name)}', handler): the handler must be a function.`);
    const set = handlers.get(name) ?? new Set();
    handlers.set(name, set);
    set.add(handler);
  }

  const app: App = {
    ready,
    do: (async (action: string, ...args: unknown[]) => {
      if (destroyed) throw fail('destroyed', 'The agent console was destroyed.');
      await ready;
      if (destroyed) throw fail('destroyed', 'The agent console was destroyed.');
      if (typeof action !== 'string') throw fail('unknown_action', 'do(action, …): the action must be a name such as agentConsole.login.');
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        try {
          send({ parley: PROTOCOL, type: 'do', id, action, args });
        } catch {
          // Functions, DOM nodes and the like cannot cross to the frame.
          pending.delete(id);
          reject(fail('invalid_argument', `${action}: the arguments must be plain data (strings, numbers, objects, arrays).`));
        }
      });
    }) as App['do'],
    get(property) {
      switch (property) {
        case 'agentConsole.visitors':
          return snapshot.visitors as Properties[typeof property];
        case 'agentConsole.chats':
          return snapshot.chats as Properties[typeof property];
        case 'agentConsole.agent':
          return snapshot.agent as Properties[typeof property];
        default:
          throw fail('invalid_argument', `get('${String(property)}'): not a property; use agentConsole.visitors, agentConsole.chats or agentConsole.agent.`);
      }
    },
    on(name, handler) {
      on(name, handler as (d: never) => void);
      return app;
    },
    off(name, handler) {
      if (handler) handlers.get(name)?.delete(handler as (d: never) => void);
      else handlers.delete(name);
      return app;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      handlers.clear();
      const gone = fail('destroyed', 'The agent console was destroyed.');
      rejectPending(gone);
      if (!isReady && !startError) {
        startError = gone;
        settleReady(gone);
      }
      frame.remove();
    },
  };
  return app;
}

export const sdk: AgentConsoleSdk = Object.freeze({ version: VERSION, init });
