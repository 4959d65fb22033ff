import { afterEach, describe, expect, it } from 'vitest';
import { mockApi } from '../test/render';
import { ApiError, getJson, sendJson, setCsrfTokenSource } from './api-client';

afterEach(() => setCsrfTokenSource(() => undefined));

describe('api client', () => {
  it('sends the session’s CSRF token with changes, read when each is sent, and never with reads', async () => {
    const calls = mockApi({ '/api/v1/x': () => ({ status: 204, body: null }), '/api/v1/y': { ok: true } });
    let token: string | undefined = 'first';
    setCsrfTokenSource(() => token);
    await sendJson<void>('POST', '/api/v1/x', { a: 1 });
    token = 'second';
    await sendJson<void>('DELETE', '/api/v1/x');
    expect(await getJson('/api/v1/y')).toEqual({ ok: true });
    token = undefined;
    await sendJson<void>('PUT', '/api/v1/x', {});
    expect(calls.map((c) => [c.method, (c.headers as Record<string, string>)['X-CSRF-Token']])).toEqual([
      ['POST', 'first'],
      ['DELETE', 'second'],
      ['GET', undefined],
      ['PUT', undefined],
    ]);
    expect(calls[0]!.body).toEqual({ a: 1 });
  });

  it('throws the API’s error code and message', async () => {
    mockApi({ '/api/v1/x': () => ({ status: 403, body: { error: { code: 'csrf_mismatch', message: 'The CSRF token is missing' } } }) });
    const error = await sendJson('POST', '/api/v1/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 403, code: 'csrf_mismatch', message: 'The CSRF token is missing' });
  });
});
