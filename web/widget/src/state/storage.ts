// Where the widget keeps the visitor's token and unsent texts: the frame's own localStorage when
// the browser allows it; where third-party storage is denied, the host page's localStorage through
// the loader (`storage`/`store` messages, `parley:*` keys only); else memory, for this page only.
// Never throws.

let local: Storage | null = null;
try {
  local = window.localStorage;
  local.getItem('parley:probe');
} catch {
  local = null;
}

const memory = new Map<string, string>();
let relay: ((key: string, value: string | null) => void) | null = null;

/** Whether the frame has storage of its own (else it waits for the host's items before starting). */
export const hasOwnStorage = local !== null;

/** Takes the host page's items as the store, and writes through to it from now on. */
export function adoptHostStorage(items: Record<string, string>, write: (key: string, value: string | null) => void): void {
  for (const [key, value] of Object.entries(items)) if (typeof value === 'string') memory.set(key, value);
  relay = write;
}

export function load<T>(key: string): T | null {
  let raw: string | null | undefined;
  try {
    raw = local ? local.getItem(key) : memory.get(key);
  } catch {
    raw = memory.get(key);
  }
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

export function save(key: string, value: unknown): void {
  const raw = value === null ? null : JSON.stringify(value);
  try {
    if (local) {
      if (raw === null) local.removeItem(key);
      else local.setItem(key, raw);
      return;
    }
  } catch {
    // A full quota: keep it in memory.
  }
  if (raw === null) memory.delete(key);
  else memory.set(key, raw);
  relay?.(key, raw);
}
