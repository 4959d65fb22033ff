import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import { createMemoryRouter, type RouteObject, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { supplyCsrfToken } from '../features/auth/api/me';

/** Answers fetch by path (without the query string) from a table; anything else is a 404. Records the requests. */
type Answer = { status: number; body: unknown };
/** A fixed body, or an answer made from the request (its query string in `url.searchParams`). */
type Route = ((init: RequestInit | undefined, url: URL) => Answer) | object;

export function mockApi(routes: Record<string, Route>) {
  const calls: { path: string; method: string; body?: unknown; headers?: HeadersInit }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init?: RequestInit) => {
      const path = input.split('?')[0]!;
      calls.push({ path: input, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: init?.headers });
      const route = routes[path];
      const answer: Answer =
        typeof route === 'function' ? route(init, new URL(input, 'http://localhost')) : route === undefined ? { status: 404, body: { error: { code: 'not_found', message: 'no route' } } } : { status: 200, body: route };
      return new Response(answer.status === 204 ? null : JSON.stringify(answer.body), { status: answer.status, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return calls;
}

/** Renders routes at a URL with a fresh query client (no retries) that, as the app's, supplies the session's CSRF token. */
export function renderAt(url: string, routes: RouteObject[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  supplyCsrfToken(client);
  const router = createMemoryRouter(routes, { initialEntries: [url] });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { router, client };
}
