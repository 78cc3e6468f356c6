// The postMessage protocol between the loader (host page) and the chat frame. Types only: the
// loader must not import anything at run time, and type imports vanish when it is built.
// Every message carries `parley: 1` so both sides ignore other scripts' messages.

/** The host page's address, sent at start and whenever a single-page site changes its URL. */
export interface PageInfo {
  url: string;
  title: string;
  referrer: string;
}

/** Loader → frame. */
export type HostMessage =
  | ({ parley: 1; type: 'page' } & PageInfo)
  | { parley: 1; type: 'open' }
  | { parley: 1; type: 'close' }
  /** How the loader placed the frame: `full` when the open panel covers a small screen. */
  | { parley: 1; type: 'layout'; full: boolean }
  /**
   * The `parley:*` items of the host page's localStorage, sent first after `ready`: the frame's
   * fallback store when its own (third-party) storage is denied.
   */
  | { parley: 1; type: 'storage'; items: Record<string, string> };

/** Frame → loader. */
export type FrameMessage =
  /** The frame listens: the loader answers with the current page. */
  | { parley: 1; type: 'ready' }
  /**
   * The frame's wanted size in CSS pixels (the loader clamps it to the viewport and makes the open
   * panel full screen on narrow screens), and the iframe's accessible title in the visitor's language.
   */
  | { parley: 1; type: 'resize'; open: boolean; width: number; height: number; title: string; side?: 'left' | 'right' }
  /** Keep (or with null, forget) a `parley:*` item in the host page's localStorage (see `storage`). */
  | { parley: 1; type: 'store'; key: string; value: string | null };
