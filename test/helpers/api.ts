// A thin fetch client for tests: JSON in, status + JSON (or text) out.
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert on them
type Json = any;

/** Calls the API; `body` may be an object (sent as JSON) or a raw string. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<Json>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: res.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
}

/** A client bound to one base URL and, optionally, one token. */
export function client(baseUrl: string, token?: string) {
  return {
    get: (path: string) => call(baseUrl, 'GET', path, { token }),
    post: (path: string, body?: unknown) => call(baseUrl, 'POST', path, { token, body }),
    put: (path: string, body?: unknown) => call(baseUrl, 'PUT', path, { token, body }),
    patch: (path: string, body?: unknown) => call(baseUrl, 'PATCH', path, { token, body }),
    delete: (path: string) => call(baseUrl, 'DELETE', path, { token }),
    token,
  };
}
