// Calls Parley's REST API from the frame (same origin as the API). Errors become ApiError with the
// problem+json `detail` to show, or status 0 when the network failed (the caller may retry).

export class ApiError extends Error {
  readonly status: number;
  /** The problem's `type`, e.g. `urn:parley:problem:queue-full`. */
  readonly type: string;
  readonly extras: Record<string, unknown>;
  constructor(status: number, detail: string, type = '', extras: Record<string, unknown> = {}) {
    super(detail);
    this.status = status;
    this.type = type;
    this.extras = extras;
  }
  /** Worth sending again later: the network, a rate limit or the server's own trouble. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

/** The visitor token sent as bearer; the session module keeps it current. */
export const auth = { token: '' };

type Body = Record<string, unknown> | Blob | undefined;

export async function api<T>(method: string, path: string, body?: Body, bearer = auth.token): Promise<T> {
  const headers: Record<string, string> = {};
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
    headers['content-type'] = body.type || 'application/octet-stream';
  } else if (body || method !== 'GET') {
    // An empty object rather than no body: routes whose body is optional still want JSON.
    payload = JSON.stringify(body ?? {});
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload ?? null, credentials: 'omit' });
  } catch {
    throw new ApiError(0, '');
  }
  const text = await response.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const problem = (parsed ?? {}) as Record<string, unknown>;
    const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : '';
    throw new ApiError(response.status, detail, typeof problem.type === 'string' ? problem.type : '', problem);
  }
  return parsed as T;
}
