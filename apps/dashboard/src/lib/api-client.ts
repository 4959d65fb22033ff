import type { ApiErrorBody } from '@dora/domain';

/** An answer of the API that was not a success, with the API's own error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** GETs JSON from the API. Pure: no redirects, no toasts; callers decide what an error means. */
export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as ApiErrorBody | undefined;
    throw new ApiError(response.status, body?.error.code ?? 'http_error', body?.error.message ?? `HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}
