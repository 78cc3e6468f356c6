// A partner's embed origins: web origins besides its own hosts that may frame Parley's embeddable
// pages (the agent console, the control panel). They go into a Content-Security-Policy's
// `frame-ancestors`, so each is an exact origin: https for a public host name, plain http only
// for a developer's own machine, never a wildcard.

export const MAX_EMBED_ORIGINS = 20;
export const MAX_EMBED_ORIGIN_LENGTH = 300;

/** The hosts of a developer's own machine, as the URL parser writes them: http is allowed there. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
// A public host name, as the URL parser writes it (lower case, international names in punycode).
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export interface EmbedOriginError {
  /** Position in the submitted array. */
  index: number;
  reason: string;
}
export type EmbedOriginsResult = { ok: true; value: string[] } | { ok: false; errors: EmbedOriginError[] };

const shown = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** One entry as an origin (`https://app.example.com:8443`), or why it is not one. */
function parseOrigin(entry: string): { origin: string } | { reason: string } {
  const text = entry.trim();
  if (text === '') return { reason: 'An embed origin cannot be empty.' };
  if (text.length > MAX_EMBED_ORIGIN_LENGTH) return { reason: `${shown(text)} is longer than ${MAX_EMBED_ORIGIN_LENGTH} characters.` };
  if (text.includes('*')) return { reason: `${shown(text)} has a wildcard; list each origin on its own.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: `${shown(text)} is not an origin such as https://app.example.com.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { reason: `${shown(text)} is not an https:// origin.` };
  if (url.username !== '' || url.password !== '' || text.includes('@')) return { reason: `${shown(text)} has a user name or password; an origin has none.` };
  // The parser drops an empty query or fragment (`https://a.example?`): the text tells.
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
    return { reason: `${shown(text)} has a path, query or fragment; give the origin only (scheme, host and port).` };
  }
  const loopback = LOOPBACK.has(url.hostname);
  if (url.protocol === 'http:' && !loopback) return { reason: `${shown(text)} uses http; only https is allowed, except for localhost, 127.0.0.1 and [::1].` };
  if (!loopback && !HOST_NAME.test(url.hostname)) return { reason: `${shown(text)} does not name a public host such as app.example.com.` };
  return { origin: url.origin };
}

/** Checks a submitted list of embed origins; returns them normalised, without duplicates, in order. */
export function checkEmbedOrigins(entries: readonly string[]): EmbedOriginsResult {
  if (entries.length > MAX_EMBED_ORIGINS) {
    return { ok: false, errors: [{ index: MAX_EMBED_ORIGINS, reason: `The list has ${entries.length} origins; at most ${MAX_EMBED_ORIGINS} are allowed.` }] };
  }
  const value = new Set<string>();
  const errors: EmbedOriginError[] = [];
  entries.forEach((entry, index) => {
    const parsed = parseOrigin(entry);
    if ('origin' in parsed) value.add(parsed.origin);
    else errors.push({ index, reason: parsed.reason });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: [...value] };
}
