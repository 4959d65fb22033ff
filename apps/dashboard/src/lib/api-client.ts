import type { ApiErrorBody } from '@dora/domain';

/** An answer of the API that was not a success, with the API's own error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/** GETs JSON from the API. Pure: no redirects, no toasts; callers decide what an error means. */
export function getJson<T>(path: string): Promise<T> {
  return request<T>('GET', path);
}

/** Where changes take the signed-in session's CSRF token from; none until the app says (see `supplyCsrfToken` in features/auth/api/me.ts). */
let csrfTokenSource: () => string | undefined = () => undefined;

/** Tells the client where the session's CSRF token is, read afresh for every change. */
export function setCsrfTokenSource(source: () => string | undefined): void {
  csrfTokenSource = source;
}

/** Sends a change; a signed-in session's changes carry its CSRF token. */
export function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return request<T>(method, path, body, csrfTokenSource());
}

async function request<T>(method: string, path: string, body?: unknown, csrfToken?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (!response.ok) {
    const error = (await response.json().catch(() => undefined)) as ApiErrorBody | undefined;
    throw new ApiError(response.status, error?.error.code ?? 'http_error', error?.error.message ?? `HTTP ${response.status}`, error?.error.details);
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

/** `/api/v1/orgs/{slug}/...` with the defined query parameters. */
export function orgPath(slug: string, path: string, query: Record<string, string | number | boolean | null | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `/api/v1/orgs/${encodeURIComponent(slug)}/${path}${search ? `?${search}` : ''}`;
}
