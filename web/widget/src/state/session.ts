// The visitor's session: a token from POST /api/v1/sites/{siteId}/visitors, kept in localStorage
// (`parley:visitor:{siteId}`) so the same visitor, and its chat, survive navigations and reloads
// on the site. Calling the same endpoint with the current token as bearer refreshes it (same
// visitor, new token); that happens before it expires, and whenever the real-time client asks.
import { ApiError, api, auth } from '../api/client.ts';
import type { VisitorSession } from '../api/types.ts';
import { load, save } from './storage.ts';

interface Stored {
  token: string;
  expiresAt: string;
  visitorId: number;
}

export interface VisitorDetails {
  name?: string;
  email?: string;
  info?: Record<string, string>;
}

let siteId = '';
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: Promise<VisitorSession> | null = null;
/** Called with every session opened, so the widget notices when it became another visitor. */
let onSession: (s: VisitorSession) => void = () => {};

/** The WebView page keeps its own session apart from the widget's on the same origin. */
let scope = 'visitor';
const key = (): string => `parley:${scope}:${siteId}`;

export function configureSession(site: string, listener: (s: VisitorSession) => void): void {
  siteId = site;
  onSession = listener;
}

export function storedVisitorId(): number | null {
  return load<Stored>(key())?.visitorId ?? null;
}

async function request(details: VisitorDetails): Promise<VisitorSession> {
  const stored = load<Stored>(key());
  // A token about to lapse is not worth sending: the server would answer 401.
  const current = stored && Date.parse(stored.expiresAt) - Date.now() > 5_000 ? stored.token : '';
  const path = `/api/v1/sites/${siteId}/visitors`;
  let session: VisitorSession;
  try {
    session = await api<VisitorSession>('POST', path, { ...details }, current);
  } catch (err) {
    // A revoked or unknown token: start over as a new visitor rather than not at all.
    if (!(err instanceof ApiError) || err.status !== 401 || !current) throw err;
    session = await api<VisitorSession>('POST', path, { ...details }, '');
  }
  save(key(), { token: session.token, expiresAt: session.expiresAt, visitorId: session.visitor.id } satisfies Stored);
  auth.token = session.token;
  schedule(session.expiresAt);
  onSession(session);
  return session;
}

/** Refreshes at four fifths of the token's remaining life (at least 10 s from now). */
function schedule(expiresAt: string): void {
  clearTimeout(timer);
  const left = Date.parse(expiresAt) - Date.now();
  timer = setTimeout(() => void refreshSession().catch(() => schedule(new Date(Date.now() + 60_000).toISOString())), Math.max(10_000, left * 0.8));
}

/**
 * Takes a session the server opened for the page (the mobile WebView's) and keeps it current like
 * any other.
 */
export function adoptSession(site: string, session: { token: string; expiresAt: string; visitorId: number }, listener: (s: VisitorSession) => void): void {
  configureSession(site, listener);
  scope = 'webview-visitor';
  save(key(), { token: session.token, expiresAt: session.expiresAt, visitorId: session.visitorId } satisfies Stored);
  auth.token = session.token;
  schedule(session.expiresAt);
}

/** Opens (or continues) the session, optionally telling the server who the visitor is. */
export function openSession(details: VisitorDetails = {}): Promise<VisitorSession> {
  return request(details);
}

/** A fresh token for the same visitor; concurrent callers share one request. */
export function refreshSession(): Promise<VisitorSession> {
  inFlight ??= request({}).finally(() => {
    inFlight = null;
  });
  return inFlight;
}
