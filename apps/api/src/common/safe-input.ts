import type { ApiErrorDetail } from '@dora/domain';

/** How deep a JSON value may nest: the service's bodies (and Forgejo's payloads) are a few levels deep. */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text PostgreSQL can store: no NUL, no lone surrogate (which no UTF-8 can encode). */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * Why a parsed JSON value is refused before anything looks at it, or `undefined`: nested deeper than
 * MAX_JSON_DEPTH, a key that names a property every object has (`__proto__`, `constructor`,
 * `toString`, …: never a field of ours, and a classic way around validation), or a string (or key) the
 * database cannot store. Walks without recursion, so no nesting can exhaust the stack.
 */
export function unsafeJson(value: unknown): ApiErrorDetail | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { field: path || '(body)', message: 'must not contain NUL characters or unpaired surrogates' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= MAX_JSON_DEPTH) return { field: path || '(body)', message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, child] of Object.entries(current)) {
      const field = Array.isArray(current) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(current) && (key in Object.prototype || key === 'prototype')) return { field, message: 'is not a known field' };
      if (!isStorableText(key)) return { field, message: 'is a key with NUL characters or unpaired surrogates' };
      stack.push({ value: child, path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
