import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/errors.js';

export type Headers = Record<string, string | string[] | undefined>;

/**
 * The bytes Forgejo signed: the body itself for the `json` content type; for `form`, the JSON string
 * in the `payload` field (Forgejo signs the JSON, not the url-encoded body).
 */
export function signedPayload(headers: Headers, body: Buffer): Buffer {
  const contentType = header(headers, 'content-type') ?? '';
  if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
    const payload = new URLSearchParams(body.toString('utf8')).get('payload');
    if (payload === null) throw new DomainError('validation_failed', 'A form delivery needs a payload field');
    return Buffer.from(payload, 'utf8');
  }
  return body;
}

/**
 * Checks HMAC-SHA256 of the signed bytes with the shared secret, in constant time, against
 * X-Forgejo-Signature, X-Gitea-Signature or X-Hub-Signature-256 (`sha256=` + hex), the first present.
 */
export function verifySignature(secret: string, signed: Buffer, headers: Headers): void {
  const presented =
    header(headers, 'x-forgejo-signature') ??
    header(headers, 'x-gitea-signature') ??
    header(headers, 'x-hub-signature-256')?.replace(/^sha256=/i, '');
  if (!presented) {
    throw new DomainError('invalid_signature', 'Missing signature: X-Forgejo-Signature, X-Gitea-Signature or X-Hub-Signature-256');
  }
  const expected = createHmac('sha256', secret).update(signed).digest();
  const given = /^[0-9a-f]{64}$/i.test(presented) ? Buffer.from(presented, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DomainError('invalid_signature', 'The signature does not match the body and the configured secret');
  }
}

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}
