// The one place that talks HTTP: same-origin with the session cookie, the CSRF header on every
// change, and problem+json errors turned into ApiError whose `detail` is shown to the agent as is.

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The parsed error body, for answers that carry more than a problem (409 `siteIds`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, title: string, detail: string, body: Record<string, unknown>) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail || title;
    this.body = body;
  }

  /** A network failure or a 5xx: worth retrying as is. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

/** What to show for a failed request: the server's `detail`, as it says it. */
export function errorText(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return String(err);
}

let csrfToken: string | null = null;
let bearerToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** A bearer token sent on every request instead of a session cookie (the platform admin's). */
export function setBearerToken(token: string | null): void {
  bearerToken = token;
}

/** Called when a request answers 401: the session is gone, the app goes back to sign-in. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export interface RequestOptions {
  json?: unknown;
  /** A raw body (a file upload) with its own content type. */
  body?: Blob;
  contentType?: string;
  signal?: AbortSignal;
  /** A 401 is an expected answer here (session probe, sign-in): do not leave the console. */
  expect401?: boolean;
  /** Headers of this request only (an Idempotency-Key). */
  headers?: Record<string, string>;
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function problemOf(status: number, statusText: string, body: unknown): ApiError {
  const obj = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const title = typeof obj.title === 'string' ? obj.title : statusText || `HTTP ${status}`;
  const detail = typeof obj.detail === 'string' ? obj.detail : typeof body === 'string' && body.length < 300 ? body : title;
  return new ApiError(status, title, detail, obj);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers['content-type'] = options.contentType || 'application/octet-stream';
    body = options.body;
  }
  if (CHANGES.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (bearerToken) headers.authorization = `Bearer ${bearerToken}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal ?? null });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Network error', '', {});
  }
  const parsed = await readBody(res);
  if (!res.ok) {
    const error = problemOf(res.status, res.statusText, parsed);
    if (res.status === 401 && !options.expect401) onUnauthorized?.();
    throw error;
  }
  return parsed as T;
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options);
export const post = <T>(path: string, json?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, json: json ?? {} });
export const put = <T>(path: string, json?: unknown) => request<T>('PUT', path, { json: json ?? {} });
export const patch = <T>(path: string, json: unknown) => request<T>('PATCH', path, { json });
export const del = <T>(path: string) => request<T>('DELETE', path);

/** A query string from the defined values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
